"""`python -m discovery login | sync | sync-status | logout`: the person's own Instagram account, headless."""

from __future__ import annotations

import argparse
import getpass
import signal
import sys
import time
from typing import TYPE_CHECKING

from discovery import paths
from discovery.cli import CommandError
from discovery.progress import CancelToken, TerminalProgress
from discovery.settings import Settings

if TYPE_CHECKING:  # instagrapi and the store load when a command runs, not for --help
    from discovery.live import login as live_login

# Seams for tests: the client factory (to talk to the fake Instagram; None: instagrapi's) and the keyring backend.
CLIENT_FACTORY = None
KEYRING = None


def _client_factory():
    from discovery.live.client import new_client

    return CLIENT_FACTORY or new_client


def register(subparsers, common) -> None:
    login = subparsers.add_parser("login", parents=[common], help="log in to your Instagram account")
    login.add_argument("username", help="your Instagram username")
    login.add_argument("--no-remember", action="store_true",
                       help="keep neither the password nor the session on this computer")
    login.set_defaults(run=run_login)

    sync = subparsers.add_parser("sync", parents=[common],
                                 help="fetch your world from Instagram (resumes where the last sync stopped)")
    sync.add_argument("username", nargs="?", help="the account (default: the current world's)")
    sync.set_defaults(run=run_sync_command)

    status = subparsers.add_parser("sync-status", parents=[common], help="the last sync, pauses and budget")
    status.add_argument("username", nargs="?", help="the account (default: the current world's)")
    status.set_defaults(run=run_status)

    logout = subparsers.add_parser("logout", parents=[common],
                                   help="forget the saved password, session and its key (keeps the posts)")
    logout.add_argument("username", nargs="?", help="the account (default: the current world's)")
    logout.set_defaults(run=run_logout)


def _account(args: argparse.Namespace, root) -> str:
    from discovery import world
    from discovery.live.client import normalize_username, valid_username

    if args.username:
        username = normalize_username(args.username)
        if not valid_username(username):
            raise CommandError(f"{args.username!r} is not an Instagram username.")
        return username
    name = world.current_name(root)
    if name != world.DEMO and world.exists(root, name):
        opened = world.World.open(root, name)
        try:
            if opened.kind is world.WorldKind.ACCOUNT:
                return name
        finally:
            opened.close()
    raise CommandError("Which account? Give its username, e.g. `python -m discovery sync yourname`.")


def _ask(prompt: str) -> str:
    try:
        return input(prompt)
    except EOFError:
        return ""


def interactive_login(root, username: str, remember: bool = True) -> live_login.LoginFlow:
    from discovery.live import login as live_login

    flow = live_login.LoginFlow(root, remember=remember, client_factory=_client_factory(), keyring_backend=KEYRING)
    try:
        password = getpass.getpass(f"Instagram password for @{username}: ")
    except EOFError:
        password = ""
    step = flow.start(username, password)
    while step.kind != live_login.DONE:
        if step.kind == live_login.FAILED:
            raise CommandError(step.message)
        print(step.message, file=sys.stderr)
        if step.kind == live_login.CHALLENGE_APPROVE:
            if _ask("Press Enter once you have approved the login (or type q to give up): ").strip() == "q":
                flow.cancel()
                raise CommandError("The login was cancelled.")
            step = flow.continue_after_approval()
            continue
        code = _ask("Code: ").strip()
        if not code:
            flow.cancel()
            raise CommandError("The login was cancelled.")
        step = flow.submit_two_factor(code) if step.kind == live_login.TWO_FACTOR else flow.submit_challenge_code(code)
    print(step.message)
    return flow


def run_login(args: argparse.Namespace) -> int:
    root = paths.data_dir(args.data_dir)
    username = _account(args, root)
    interactive_login(root, username, remember=not args.no_remember)
    return 0


def run_sync_command(args: argparse.Namespace) -> int:
    from discovery import world
    from discovery.live import login as live_login
    from discovery.live.sync import COMPLETE, run_sync

    root = paths.data_dir(args.data_dir)
    username = _account(args, root)
    session = live_login.resume_session(root, username, _client_factory(), KEYRING)
    if session is None:
        if not sys.stdin.isatty():
            raise CommandError(f"Tessera is not logged in to @{username}: run `python -m discovery login "
                               f"{username}` first.")
        session = interactive_login(root, username).session
        assert session is not None  # interactive_login returns once the login is done
    opened = world.World.open(root, username)
    cancel = CancelToken()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.cancel())
    try:
        result = run_sync(opened, session, Settings(paths.settings_path(root)), TerminalProgress(), cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
        opened.close()
    stream = sys.stdout if result.status == COMPLETE else sys.stderr
    print(result.message, file=stream)
    if result.status != COMPLETE:
        print(f"{result.requests:,} requests this time; run `python -m discovery sync` again to go on.", file=stream)
    return 0 if result.status == COMPLETE else 2


def run_status(args: argparse.Namespace) -> int:
    from discovery import world
    from discovery.live.secrets import Secrets
    from discovery.live.stages import STAGES
    from discovery.live.sync import sync_status

    root = paths.data_dir(args.data_dir)
    username = _account(args, root)
    if not world.exists(root, username):
        raise CommandError(f"Nothing was synced for @{username} yet.")
    opened = world.World.open(root, username)
    try:
        status = sync_status(opened, Settings(paths.settings_path(root)))
        counts = opened.store.counts()
    finally:
        opened.close()
    last = time.strftime("%Y-%m-%d %H:%M", time.localtime(status.last_sync)) if status.last_sync else "never"
    print(f"@{username}: last complete sync {last}")
    if status.in_progress:
        print(f"a sync is under way: stage {status.stage_number}/{len(STAGES)}, {status.stage} "
              f"({status.requests_run:,} requests so far)")
    if status.blocked_until:
        until = time.strftime("%Y-%m-%d %H:%M", time.localtime(status.blocked_until))
        why = "Instagram restricted the account" if status.blocked_reason == "restricted" else "cooling down"
        print(f"paused until {until}: {why}")
    print(f"requests: {status.requests_hour}/{status.budget_hour} this hour, "
          f"{status.requests_day}/{status.budget_day} today")
    print(f"stored: {counts['accounts']:,} accounts, {counts['follows']:,} follows, {counts['posts']:,} posts, "
          f"{counts['likes']:,} likes")
    saved = Secrets(root, username, KEYRING)
    print("session: " + ("saved (encrypted)" if saved.has_session() else "not saved"))
    return 0


def run_logout(args: argparse.Namespace) -> int:
    from discovery.live import login as live_login

    root = paths.data_dir(args.data_dir)
    username = _account(args, root)
    print(live_login.logout(root, username, KEYRING))
    return 0

