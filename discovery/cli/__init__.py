"""`python -m discovery`: every feature of Tessera without a window.

One module of this package per group of commands (`feed`, `demo`, `export`, `likes`, `live`, `insights`)
registers its subcommands with `register(subparsers, common)`; a command returns an exit code, and raises
CommandError (or a StoreError) with one sentence for a person to read.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sqlite3
import sys
from typing import TYPE_CHECKING

from storage.errors import StoreError

if TYPE_CHECKING:  # the store loads when a command runs, not for --help
    from discovery.world import World

# Every command, in --help's order: the module that registers it, and its line in --help. Only the module of
# the command being run is imported, so that --help and each command start fast (tests/test_cli.py checks
# this table against what the modules register).
COMMANDS = {
    "demo": ("discovery.cli.demo", "build the demo world (the default world when no account is connected)"),
    "feed": ("discovery.cli.feed", "print the ranked Feed (or Explore)"),
    "stats": ("discovery.cli.feed", "what the current world holds"),
    "evaluate-ranking": ("discovery.cli.feed", "precision@20 and NDCG@20 of every ranker, on fresh demo worlds "
                         "against their hidden tastes (or, with --world, on your own likes)"),
    "import": ("discovery.cli.export", "import Instagram's data export (the .zip, or the unpacked folder)"),
    "evaluate-likes": ("discovery.cli.likes", "measure like prediction honestly against a baseline"),
    "train-likes": ("discovery.cli.likes", "train and save the current world's like model"),
    "predict-likes": ("discovery.cli.likes", "predict likes for candidate pictures"),
    "best-time": ("discovery.cli.likes", "when an account's posts draw most likes"),
    "login": ("discovery.cli.live", "log in to your Instagram account"),
    "sync": ("discovery.cli.live", "fetch your world from Instagram (resumes where the last sync stopped)"),
    "sync-status": ("discovery.cli.live", "the last sync, pauses and budget"),
    "logout": ("discovery.cli.live", "forget the saved password, session and its key (keeps the posts)"),
    "insights": ("discovery.cli.insights", "write the network picture and the engagement charts as PNG and CSV"),
}
COMMAND_MODULES = list(dict.fromkeys(module for module, _help in COMMANDS.values()))


class CommandError(Exception):
    """A failure a person can act on: the message is printed as is, the exit code is non-zero."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def chosen_world(args: argparse.Namespace, build_demo: bool = True) -> World:
    """The world a command works on (--world, else the current one); the demo world is generated on first
    use unless `build_demo` is off."""
    from discovery import paths, world
    from discovery.progress import TerminalProgress

    try:
        return world.open_world(paths.data_dir(args.data_dir), getattr(args, "world", None),
                                build_demo=build_demo, progress=TerminalProgress())
    except world.MissingWorld as exc:
        raise CommandError(str(exc)) from None


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv`: the module of the command it names registers its commands for real; every
    other command is a placeholder with its help line. Without `argv`, every module registers."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="PATH", help="where Tessera keeps its worlds (default: the "
                        "platform's user data directory)")
    parser = argparse.ArgumentParser(prog="python -m discovery", description="Tessera, without a window.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    if argv is None:
        wanted = set(COMMAND_MODULES)
    else:
        named = next((word for word in argv if not word.startswith("-")), None)
        wanted = {COMMANDS[named][0]} if named in COMMANDS else set()
    for name, (module, help_line) in COMMANDS.items():
        if module not in wanted:
            subparsers.add_parser(name, help=help_line)
        elif name == next(n for n, (m, _h) in COMMANDS.items() if m == module):
            importlib.import_module(module).register(subparsers, common)
    return parser


def _database_errors() -> tuple[type[BaseException], ...]:
    """SQLite's errors, and SQLAlchemy's wrapper of them when SQLAlchemy was loaded at all."""
    sqlalchemy_errors = sys.modules.get("sqlalchemy.exc")
    return (sqlite3.Error,) + ((sqlalchemy_errors.DBAPIError,) if sqlalchemy_errors else ())


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except CommandError as exc:
        print(f"tessera: {exc}", file=sys.stderr)
        return exc.exit_code
    except StoreError as exc:
        print(f"tessera: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # one sentence, never a traceback
        if exc.filename:
            print(f"tessera: could not use {exc.filename} ({exc.strerror or exc}); nothing half-written was "
                  "kept. Check that it exists and that you may write there, or choose another data folder "
                  "(--data-dir).", file=sys.stderr)
        else:
            print(f"tessera: {exc.strerror or exc}; nothing half-written was kept.", file=sys.stderr)
        return 1
    except _database_errors() as exc:
        print(f"tessera: the database could not be read or written ({getattr(exc, 'orig', None) or exc}); "
              "nothing half-written was kept.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tessera: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
