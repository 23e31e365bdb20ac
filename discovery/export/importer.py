"""Importing a data export into a world: the whole export is read and checked first, then written in one
transaction, so a bad file, a cancel or a crash leaves the store exactly as it was.

What it writes: the person's account (by username: a placeholder pk until a sync brings the real one), their
follows (me → them, first seen when the follow began, the list marked complete so unfollows since an older
import show) and followers (them → me), the posts they liked as stubs with `Like(origin="export")`, the
posts they saved as stubs with `Interaction(SAVED)`, and the authors of both. Importing the same export
twice changes nothing; a newer export merges into an older one; an older one only adds what was missing.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from discovery import paths
from discovery import world as worlds
from discovery.clock import SystemClock
from discovery.export.archive import ArchiveLimits, open_export
from discovery.export.errors import ExportError, UnknownOwner, WrongAccount
from discovery.export.layouts import (
    LEGACY,
    Y2022,
    Y2025,
    ExportData,
    FileReader,
    PostRef,
    load_json,
    locate,
    owner_from_name,
    profile_owner,
)
from discovery.export.text import media_pk
from discovery.export.text import username as valid_username
from discovery.progress import CancelToken, Progress, ProgressEvent, no_progress
from discovery.text import plural
from storage import Account, Follow, Interaction, InteractionKind, Like, MediaType, Post, Store
from storage.store import PLACEHOLDER_PREFIX, placeholder_pk

READING, WRITING = "Reading export", "Importing"
LEGACY_POST_PREFIX = "export-like:"  # pk of a post known only by its owner and time (2018–2020 exports)
_KINDS = {"p": (MediaType.PHOTO, "feed"), "reel": (MediaType.VIDEO, "clips"), "tv": (MediaType.VIDEO, "igtv")}
_WORLD_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,63}")
_FUTURE_SLACK = 2 * 86400  # a time later than now + this is implausible, and ignored
BUSY = "Another Tessera is importing into this world; try again when it has finished."


@dataclass(frozen=True)
class ImportSummary:
    username: str
    layout: str  # "2018–2020", "2021", "2022–2024" or "2025"
    exported_at: int
    following: int
    followers: int
    liked: int
    saved: int
    since: int | None  # the earliest like
    new_following: int  # follows that were not current in the world before
    unfollowed: int  # follows current before that this export no longer lists
    had_follows: bool  # the world knew my follows before (a previous import or sync)
    skipped: int  # export entries that named no account or post
    world: str | None = None
    files: tuple[str, ...] = field(default=(), repr=False)

    @property
    def sentence(self) -> str:
        """"312 following, 290 followers, 4,120 liked posts since 2019-03-02, 85 saved posts."""
        likes = plural(self.liked, "liked post")
        if self.since is not None:
            likes += " since " + datetime.fromtimestamp(self.since, UTC).strftime("%Y-%m-%d")
        text = f"{self.following:,} following, {plural(self.followers, 'follower')}, {likes}, " \
               f"{plural(self.saved, 'saved post')}"
        if self.had_follows and (self.new_following or self.unfollowed):
            text += (f"; {plural(self.new_following, 'new follow')} and "
                     f"{plural(self.unfollowed, 'unfollow')} since the world's last update")
        elif self.had_follows:
            text += "; whom you follow has not changed since the world's last update"
        if self.skipped:
            text += f" ({plural(self.skipped, 'entry', 'entries')} naming no account or post skipped)"
        return text + "."


# --- reading ---------------------------------------------------------------------------------------------


def read_export(path: str | Path, progress: Progress = no_progress, cancel: CancelToken | None = None,
                limits: ArchiveLimits | None = None, now: int | None = None) -> ExportData:
    """Read and check a whole export (a .zip or a folder) without writing anything; raises ExportError.

    Each file is parsed as soon as it is read and its JSON dropped, so memory holds one file at a time."""
    cancel = cancel or CancelToken()
    now = int(SystemClock().now()) if now is None else now  # a command-line read of a file: wall time
    with open_export(path, limits) as archive:
        files = locate(archive)
        names = files.all()
        label, inner = archive.label, archive.inner_name
        readers: list[FileReader] = []

        def load(name: str) -> tuple[object, FileReader]:
            cancel.check()
            progress(ProgressEvent(READING, len(readers), len(names), name))
            readers.append(FileReader(f"{name} in {label}", now + _FUTURE_SLACK, cancel.check))
            return load_json(archive, name), readers[-1]

        if files.layout == LEGACY:
            content, reader = load(files.following)
            following = reader.legacy_relations(content, "following", required=True)
            followers = reader.legacy_relations(content, "followers", required=False)
            liked_keys: tuple[str, ...] = ("media_likes",)
            saved_keys: tuple[str, ...] = ("saved_media",)
        else:
            content, reader = load(files.following)
            following = reader.relations(reader.entries(content, ("relationships_following",),
                                                        "a list of the accounts you follow"))
            followers = []
            for page in files.followers:
                content, reader = load(page)
                followers += reader.relations(reader.entries(content, ("relationships_followers",),
                                                             "a list of your followers"))
            liked_keys = ("likes_media_likes", "media_likes")
            saved_keys = ("saved_saved_media", "saved_media")
        del content
        strict = files.layout == LEGACY
        liked = _posts(load, files.liked, liked_keys, "a list of liked posts", strict)
        saved = _posts(load, files.saved, saved_keys, "a list of saved posts", strict)
        owner, full_name = profile_owner(load(files.profile)[0]) if files.profile else (None, "")
        progress(ProgressEvent(READING, len(names), len(names)))
        named_owner, named_date = owner_from_name(label)
        if named_owner is None and inner:
            named_owner, named_date = owner_from_name(inner)
        stamps = [r.at for r in following + followers if r.at] + [p.at for p in liked + saved if p.at]
        # With no time in the JSON or its name, the export dates from its files: the same download, the same.
        exported_at = (max(stamps + [named_date or 0])
                       or max((t for t in map(archive.written_at, names) if t), default=None) or now)

    layout = Y2025 if files.layout == Y2022 and any(r.new_shapes for r in readers) else files.layout
    return ExportData(label, layout, owner or named_owner, full_name, following, followers, liked, saved,
                      exported_at, names, sum(r.skipped for r in readers))


def _posts(load, name: str | None, keys: tuple[str, ...], expected: str, strict: bool) -> list[PostRef]:
    if name is None:
        return []
    data, parser = load(name)
    if strict:  # 2018–2020: likes.json also lists comment likes, so only the known key will do
        entries = data.get(keys[0]) if isinstance(data, dict) else None
        if entries is None and isinstance(data, dict):
            return []
        if not isinstance(entries, list):
            raise parser.shape_error(f'an object with the list "{keys[0]}"', data)
    else:
        entries = parser.entries(data, keys, expected)
    return parser.posts(entries)


# --- writing ---------------------------------------------------------------------------------------------


@dataclass
class _Records:
    accounts: list[Account]
    follows: list[Follow]
    posts: list[Post]
    likes: list[Like]
    saves: list[Interaction]


def import_export(path: str | Path, world: worlds.World | Store, progress: Progress = no_progress,
                  cancel: CancelToken | None = None, *, username: str | None = None,
                  limits: ArchiveLimits | None = None) -> ImportSummary:
    """Import the export at `path` into a world (or a bare Store), in one transaction.

    `username` names the account when the export does not say whose it is (see UnknownOwner). Raises an
    ExportError (str() is the sentence to show) or Cancelled; either way the store is as it was.
    """
    store = world.store if isinstance(world, worlds.World) else world
    if isinstance(world, worlds.World) and world.kind is worlds.WorldKind.DEMO:
        raise _demo_error()
    _refuse_demo(store)
    cancel = cancel or CancelToken()
    data = read_export(path, progress, cancel, limits, now=int(store.now()))
    summary = write_export(data, store, progress, cancel, username=username)
    if isinstance(world, worlds.World):
        world.reread_kind()
    return summary


def import_into_data_dir(path: str | Path, root: Path, world_name: str | None = None,
                         progress: Progress = no_progress, cancel: CancelToken | None = None, *,
                         username: str | None = None, limits: ArchiveLimits | None = None) -> ImportSummary:
    """Import into the world `world_name`, by default the one named after the export's account (created
    when new), and make it the current world. A world created here is removed again if the import fails."""
    cancel = cancel or CancelToken()
    data = read_export(path, progress, cancel, limits)
    if world_name is None:
        owner = data.username or _checked_username(username)
        if owner is None:
            raise _unknown_owner(data)
        world_name = owner.lstrip(".") or "export"
    if not _WORLD_NAME.fullmatch(world_name):
        raise ExportError(f"{world_name!r} cannot be a world's name: use letters, digits, '.', '_' or '-'.")
    if world_name == worlds.DEMO:
        raise _demo_error()
    if worlds.exists(root, world_name):
        target = worlds.World.open(root, world_name)
        try:
            summary = write_export(data, target.store, progress, cancel, username=username)
        finally:
            target.close()
    else:
        summary = _write_new_world(data, root, world_name, progress, cancel, username)
    worlds.set_current(root, world_name)
    return replace(summary, world=world_name)


def _write_new_world(data: ExportData, root: Path, name: str, progress: Progress, cancel: CancelToken,
                     username: str | None) -> ImportSummary:
    """A new world is built in a private folder and renamed into place once its import has committed: a
    failed or killed import leaves no world, and this process removes only the folder it made."""
    building = paths.new_world_folder(root)
    try:
        store = Store.open(building / "tessera.db")
        try:
            summary = write_export(data, store, progress, cancel, username=username)
        finally:
            store.close()
        if not paths.place_world(building, paths.world_dir(root, name)):
            raise ExportError(BUSY)
    finally:
        shutil.rmtree(building, ignore_errors=True)  # already gone once moved into place
    return summary


def write_export(data: ExportData, store: Store, progress: Progress = no_progress,
                 cancel: CancelToken | None = None, *, username: str | None = None) -> ImportSummary:
    """Write an export already read (`read_export`) into a store, in one transaction."""
    cancel = cancel or CancelToken()
    with store.transaction():  # the write lock first: what is read below stays true until the commit
        owner, me, before, records = _write_export(data, store, progress, cancel, username)
    after, _ = _my_follows(store, me)
    progress(ProgressEvent(WRITING, 5, 5))
    likes = [like.liked_at for like in records.likes if like.liked_at is not None]
    return ImportSummary(
        username=owner, layout=data.layout, exported_at=data.exported_at,
        following=len({r.username for r in data.following} - {owner}),
        followers=len({r.username for r in data.followers} - {owner}),
        liked=len(records.likes), saved=len(records.saves), since=min(likes) if likes else None,
        new_following=len(after - before), unfollowed=len(before - after), had_follows=bool(before),
        skipped=data.skipped, files=tuple(data.files))


def _write_export(data: ExportData, store: Store, progress: Progress, cancel: CancelToken,
                  username: str | None) -> tuple[str, str, set[int], _Records]:
    _refuse_demo(store)
    my_pk = store.me()
    owner = _owner(data, store, my_pk, username)
    me = my_pk or placeholder_pk(owner)
    new_world = my_pk is None and store.counts()["accounts"] == 0
    before, latest = _my_follows(store, me)
    # An export older than what the world already knows only adds; it must not undo later unfollows.
    complete = latest is None or data.exported_at >= latest
    synced_me = my_pk is not None and not my_pk.startswith(PLACEHOLDER_PREFIX)
    records = _records(data, owner, me, known_me=synced_me)

    steps = 5
    progress(ProgressEvent(WRITING, 0, steps, "accounts"))
    with store.transaction():
        if new_world:
            worlds.WorldKind.EXPORT.record(store)
        if my_pk is None:
            store.set_me(me)
        store.upsert_accounts(records.accounts)
        cancel.check()
        progress(ProgressEvent(WRITING, 1, steps, f"{len(data.following):,} following, "
                                                  f"{plural(len(data.followers), 'follower')}"))
        store.upsert_follows(records.follows, complete_sources=[me] if complete else (),
                             listed_at=data.exported_at)
        cancel.check()
        progress(ProgressEvent(WRITING, 2, steps, plural(len(records.posts), "post")))
        store.upsert_posts(records.posts)
        cancel.check()
        progress(ProgressEvent(WRITING, 3, steps, plural(len(records.likes), "liked post")))
        store.add_likes(records.likes)
        cancel.check()
        progress(ProgressEvent(WRITING, 4, steps, plural(len(records.saves), "saved post")))
        store.add_interactions(_new_saves(store, records.saves))
        cancel.check()
    return owner, me, before, records


def _records(data: ExportData, owner: str, me: str, known_me: bool) -> _Records:
    accounts: dict[str, Account] = {}

    def account(name: str, full_name: str = "") -> str:
        found = accounts.setdefault(name, Account(placeholder_pk(name), name))
        found.full_name = found.full_name or full_name
        return found.pk

    if not known_me:  # a real account (from a sync) is never overwritten by a placeholder
        account(owner, data.full_name)
    follows = [Follow(me, account(r.username), data.exported_at, r.at)
               for r in data.following if r.username != owner]
    follows += [Follow(account(r.username), me, data.exported_at, r.at)
                for r in data.followers if r.username != owner]

    posts: dict[str, Post] = {}
    likes: dict[str, Like] = {}
    saves: dict[str, Interaction] = {}
    for refs, liked in ((data.liked, True), (data.saved, False)):
        for ref in refs:
            pk = _post_pk(ref)
            media_type, product_type = _KINDS.get(ref.kind, _KINDS["p"])
            post = posts.setdefault(pk, Post(pk, account(ref.owner, ref.owner_name), None, ref.shortcode,
                                             media_type, product_type))
            post.caption = post.caption or ref.caption
            if ref.hashtags:
                post.hashtags = list(dict.fromkeys(post.hashtags + list(ref.hashtags)))
            if liked:
                if pk not in likes or _earlier(ref.at, likes[pk].liked_at):
                    likes[pk] = Like(pk, ref.at, origin="export")
            elif pk not in saves or _earlier(ref.at, saves[pk].at):
                saves[pk] = Interaction(InteractionKind.SAVED, ref.at or data.exported_at, post=pk)
    return _Records(list(accounts.values()), follows, list(posts.values()), list(likes.values()),
                    list(saves.values()))


def _earlier(time: int | None, than: int | None) -> bool:
    return time is not None and (than is None or time < than)


def _post_pk(ref: PostRef) -> str:
    if ref.shortcode:
        return media_pk(ref.shortcode)
    return f"{LEGACY_POST_PREFIX}{ref.owner}:{ref.at}"


def _new_saves(store: Store, saves: list[Interaction]) -> list[Interaction]:
    """Saves of posts not already saved in this world (so a second import adds none)."""
    if not saves:
        return []
    events = store.interactions_frame()
    saved = set(events.loc[(events["kind"] == str(InteractionKind.SAVED)) & events["post_id"].notna(),
                           "post_id"].astype(int))
    ids = store.post_ids([s.post for s in saves if s.post is not None])
    return [s for s in saves if s.post is not None and ids[s.post] not in saved]


def _my_follows(store: Store, me: str) -> tuple[set[int], int | None]:
    """Whom I follow now (account ids) and when my list was last seen, as the world knows it."""
    my_id = store.account_id(me)
    if my_id is None:
        return set(), None
    frame = store.follows_frame(my_id)
    if not len(frame):
        return set(), None
    return set(frame.loc[frame["current"], "target_id"].astype(int)), int(frame["last_seen"].max())


def _owner(data: ExportData, store: Store, my_pk: str | None, given: str | None) -> str:
    given = _checked_username(given)
    if data.username and given and data.username != given:
        raise WrongAccount(f"{data.label} is the export of @{data.username}, not of @{given}.")
    owner = data.username or given
    world_owner = None
    if my_pk is not None:
        my_id = store.account_id(my_pk)
        rows = store.accounts_frame([my_id]) if my_id is not None else None
        world_owner = str(rows["username"].iloc[0]).lower() if rows is not None and len(rows) else None
    if owner and world_owner and owner != world_owner:
        raise WrongAccount(f"{data.label} is the export of @{owner}, but this world belongs to "
                           f"@{world_owner}; import it into a world of its own.")
    owner = owner or world_owner
    if owner is None:
        raise _unknown_owner(data)
    return owner


def _checked_username(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    name = valid_username(value)
    if name is None:
        raise ExportError(f"{value!r} is not an Instagram username (letters, digits, '.' and '_').")
    return name


def _unknown_owner(data: ExportData) -> UnknownOwner:
    return UnknownOwner(f"{data.label} does not say whose account it is (it has no "
                        "personal_information.json, and its name is not the one Instagram gives the "
                        "download). Tell Tessera your username (on the command line: --username NAME).")


def _refuse_demo(store: Store) -> None:
    if worlds.WorldKind.of(store, "") is worlds.WorldKind.DEMO:
        raise _demo_error()


def _demo_error() -> ExportError:
    return ExportError("The demo world is generated and cannot take an import; import into a world of your "
                       "own (by default one named after the account).")
