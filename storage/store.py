"""The Tessera store: one SQLite file per world, opened, checked and migrated here.

Only this package writes SQL. Writes are bulk upserts in chunks; reads that feed the ranking come back as
numpy arrays or pandas frames from one query each.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Table, case, create_engine, event, func, select
from sqlalchemy.dialects.sqlite import insert

from storage.errors import DamagedDatabase, NewerDatabase, NotATesseraDatabase, ReadOnlyStore, StoreBusy, StoreError
from storage.records import Account, Follow, Interaction, Like, Post
from storage.schema import (
    AccountRow,
    Base,
    FollowListRow,
    InteractionRow,
    LikeCountRow,
    Meta,
    MyLikeRow,
    PostHashtagRow,
    PostMentionRow,
    PostRow,
    SyncStateRow,
    TaggedInRow,
)

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import ColumnElement, Executable

T = TypeVar("T")

# PRAGMA application_id of every Tessera database ("TESS"): how a Tessera file is told from any other.
APPLICATION_ID = 0x54455353
SQLITE_MAGIC = b"SQLite format 3\x00"
CHUNK = 5000  # rows per executemany
FRAME_SLICE = 20_000  # rows converted to a frame at a time
IN_CHUNK = 900  # values per IN (...) list, under SQLite's variable limit
EDGES_MMAP = 2**30  # bytes of the file edges() maps into memory while it reads the follow lists
PLACEHOLDER_PREFIX = "u:"
DATA_VERSION = "data_version"  # meta key: see Store.data_version

_MIGRATIONS = Path(__file__).with_name("migrations")
# How long a write waits for another writer (another Tessera, a sqlite3 shell) before giving up, and after how
# long it says that it is waiting. TESSERA_BUSY_TIMEOUT (seconds) changes the first.
BUSY_TIMEOUT = float(os.environ.get("TESSERA_BUSY_TIMEOUT", "30"))
BUSY_NOTICE = 1.0

log = logging.getLogger(__name__)


def _damaged(path: Path, what: str) -> DamagedDatabase:
    return DamagedDatabase(f"{path} is damaged ({what}); Tessera left it untouched. Restore it from a backup, "
                           "or move it away to start this world afresh.")


def _os_error(path: Path, exc: OSError) -> StoreError:
    """The sentence for an OSError met while opening or creating `path` (a file or a folder)."""
    if isinstance(exc, FileExistsError | NotADirectoryError):
        blocker = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), path)
        return StoreError(f"{blocker} is a file, where Tessera needs a folder; move it away or choose another "
                          "data folder (--data-dir).")
    if isinstance(exc, PermissionError):
        return StoreError(f"Tessera may not write in {exc.filename or path} (permission denied); make it "
                          "writable or choose another data folder (--data-dir).")
    return StoreError(f"Tessera cannot use {exc.filename or path} ({exc.strerror or exc}).")


def _store_error(path: Path, exc: BaseException) -> StoreError | None:
    """The sentence for an SQLite error on the database at `path`; None for errors that are bugs."""
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.IntegrityError | sqlite3.ProgrammingError):
        return None
    message = str(exc).lower()
    if "locked" in message:
        return StoreBusy(f"{path} is being changed by another program (another Tessera, or an SQLite shell) and "
                         f"stayed locked for {BUSY_TIMEOUT:g} s; try again when it has finished.")
    if "readonly" in message or "read-only" in message:
        if path.exists() and not os.access(path, os.W_OK):
            return ReadOnlyStore(f"{path} is read-only: Tessera can show it but not change it. Make the file "
                                 "writable to import or sync into it.")
        return ReadOnlyStore(f"Tessera may not write in {path.parent} (it is read-only), so it cannot change "
                             f"{path.name}; make the folder writable or choose another data folder (--data-dir).")
    if "unable to open" in message:
        return StoreError(f"Tessera cannot open {path} (is its folder {path.parent} read-only, or gone?); "
                          "make the folder writable or choose another data folder (--data-dir).")
    if "disk is full" in message:
        return StoreError(f"The disk holding {path} is full; nothing was written. Free some space and try again.")
    if "malformed" in message or "not a database" in message or "no such table" in message \
            or "no such column" in message or "i/o error" in message or "corrupt" in message:
        return _damaged(path, str(exc))
    return None


def placeholder_pk(username: str) -> str:
    """The pk of an account known only by its username (a data export); replaced when the real pk arrives."""
    return PLACEHOLDER_PREFIX + username.lower()


def _chunks(seq: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(seq), size):
        yield seq[start : start + size]


def _pack(values: np.ndarray) -> bytes:
    return np.ascontiguousarray(values, dtype="<i8").tobytes()


def _unpack(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<i8")


# alembic is imported where it is used: a start that needs no migration does not pay for it.
def _table(row: type[Base]) -> Table:
    """A mapped class's table (SQLAlchemy types `__table__` as any FROM clause)."""
    return cast(Table, row.__table__)


def _driver(conn: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under a SQLAlchemy one."""
    return cast(sqlite3.Connection, conn.connection.driver_connection)


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())


@functools.cache
def _revisions() -> dict[str, str | None]:
    """Each migration's revision and the one it follows, read from the files' `revision = "…"` and
    `down_revision = …` lines, without loading alembic (tests/test_store.py checks it agrees with alembic)."""
    found = {}
    for script in (_MIGRATIONS / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        revision = re.search(r"^revision\s*(?::[^=]*)?=\s*[\"']([^\"']+)[\"']", text, re.MULTILINE)
        down = re.search(r"^down_revision\s*(?::[^=]*)?=\s*(?:[\"']([^\"']+)[\"']|None)", text, re.MULTILINE)
        if revision and down:
            found[revision.group(1)] = down.group(1)
    return found


def head_revision() -> str:
    revisions = _revisions()
    [head] = set(revisions) - set(revisions.values())
    return head


def _known_revisions() -> set[str]:
    return set(_revisions())


def inspect_file(path: Path) -> str | None:
    """The schema revision of an existing Tessera file (None for a new one), read without writing.

    New means absent, empty, or an SQLite file with no tables at all (a first start killed while creating it).
    Anything else whose revision cannot be read is refused with a StoreError; the file is left untouched.
    """
    if path.is_dir():
        raise StoreError(f"{path} is a folder, where Tessera keeps a database file; move it away or choose "
                         "another data folder (--data-dir).")
    try:
        size = path.stat().st_size
        if size == 0:
            return None
        with open(path, "rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _os_error(path, exc) from None
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise NotATesseraDatabase(f"{path} is not a Tessera database (it is not an SQLite file). "
                                  "Choose another data directory or move the file away.")
    wal = path.with_name(path.name + "-wal")
    page_size = int.from_bytes(header[16:18], "big")
    pages = int.from_bytes(header[28:32], "big") if header[24:28] == header[92:96] else 0
    if not wal.exists() and size < pages * (65536 if page_size == 1 else page_size):
        raise _damaged(path, f"it is {size:,} bytes long but says it holds {pages * page_size:,}: it was cut short")
    try:
        with _read_only(path, immutable=not wal.exists()) as conn:
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables:
                return None
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise NotATesseraDatabase(f"{path} is an SQLite database of another program, not Tessera's. "
                                          "Choose another data directory or move the file away.")
            if "alembic_version" not in tables:
                raise _damaged(path, "its schema version is missing, so what it holds cannot be told")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise (_store_error(path, exc) or _damaged(path, str(exc))) from None
    if row is None or not row[0]:
        raise _damaged(path, "its schema version is empty, so what it holds cannot be told")
    revision = row[0]
    if revision not in _known_revisions():
        raise NewerDatabase(f"{path} was written by a newer version of Tessera (schema {revision}). "
                            "Update Tessera to open it; the file was left untouched.")
    return str(revision)


@contextmanager
def _read_only(path: Path, immutable: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection that cannot change the file. `immutable` (for a file with no write-ahead log beside it)
    also keeps SQLite from creating -wal and -shm files next to it."""
    uri = path.resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT)
    try:
        yield conn
    finally:
        conn.close()


def _backup(path: Path, revision: str) -> Path:
    backup = path.with_name(f"{path.name}.before-{head_revision()}-from-{revision}.bak")
    copy_database(path, backup)
    return backup


class Store:
    """One world's database. Thread-safe for reads; a write runs in its own transaction unless inside
    `transaction()`, which makes every write in its block one atomic unit (on that thread)."""

    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self.engine = engine
        self._local = threading.local()
        self.now = time.time  # stamps writes; World.open hands in the world's clock

    # --- opening -------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path) -> Store:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _os_error(path.parent, exc) from None
        revision = inspect_file(path)
        head = head_revision()
        if revision is not None and revision != head:
            _backup(path, revision)
        engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT})
        event.listen(engine, "connect", _configure_connection)
        event.listen(engine, "handle_error", lambda context: _raise_store_error(path, context.original_exception))
        store = cls(path, engine)
        if revision != head:
            store._migrate()
        if store.data_version() is None:
            try:
                with store.transaction():
                    pass  # a store from before data versions gets its first one
            except StoreError:
                pass  # read-only: it cannot change, and nothing may be cached against it
        return store

    def _migrate(self) -> None:
        from alembic import command

        config = _alembic_config()
        with self.engine.begin() as conn:
            self._begin_immediate(conn)  # tables, version and application id appear together, or not at all
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            self._set_meta(conn, "schema_version", head_revision())
            self._new_version(conn)
        with self.engine.connect() as conn:  # put the new header (application id) into the main file now
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions --------------------------------------------------------------------------------

    @contextmanager
    def transaction(self, changes_data: bool = True) -> Iterator[Connection]:
        """Every write inside is committed together, or none is. Unless every write inside says it changes
        nothing a ranking reads (`changes_data=False`), the store's data version changes with it."""
        active = getattr(self._local, "conn", None)
        if active is not None:
            self._local.changed = self._local.changed or changes_data
            yield active
            return
        with self.engine.begin() as conn:
            self._begin_immediate(conn)
            self._local.conn, self._local.changed = conn, changes_data
            try:
                yield conn
                if self._local.changed:
                    self._local.last_change = self._new_version(conn)
            finally:
                self._local.conn = None

    @staticmethod
    def _new_version(conn: Connection) -> tuple[str | None, str]:
        """A fresh data version (a random token, so that two worlds never share one): (before, after)."""
        before = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (DATA_VERSION,)).scalar()
        after = secrets.token_hex(8)
        conn.exec_driver_sql("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                             "value = excluded.value", (DATA_VERSION, after))
        return before, after

    def data_version(self) -> str | None:
        """A token that changes with every committed write that can change a ranking (posts, accounts,
        follows, likes, interactions, meta), in this process or any other."""
        return self.meta(DATA_VERSION)

    def last_change(self) -> tuple[str | None, str] | None:
        """(data version before, after) of this thread's last committed write that changed data."""
        return getattr(self._local, "last_change", None)

    def _begin_immediate(self, conn: Connection) -> None:
        """Take the write lock before the first read, so that what a transaction reads stays true until it
        commits; wait for another writer (saying so after a moment) rather than fail at once."""
        driver = _driver(conn)
        driver.execute(f"PRAGMA busy_timeout = {int(min(BUSY_NOTICE, BUSY_TIMEOUT) * 1000)}")
        try:
            driver.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or BUSY_TIMEOUT <= BUSY_NOTICE:
                _raise_store_error(self.path, exc)
                raise
            log.warning("Waiting for another program to finish writing to %s (at most %g s)…", self.path,
                        BUSY_TIMEOUT)
            driver.execute(f"PRAGMA busy_timeout = {int((BUSY_TIMEOUT - BUSY_NOTICE) * 1000)}")
            try:
                driver.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as again:
                _raise_store_error(self.path, again)
                raise
        finally:
            driver.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")

    # --- meta and sync state -------------------------------------------------------------------------

    @staticmethod
    def _set_meta(conn: Connection, key: str, value: str) -> None:
        stmt = insert(Meta).values(key=key, value=value)
        conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value}))

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            self._set_meta(conn, key, value)

    def meta(self, key: str, default: str | None = None) -> str | None:
        with self.engine.connect() as conn:
            value = conn.scalar(select(Meta.value).where(Meta.key == key))
        return default if value is None else value

    def schema_version(self) -> str:
        """The Alembic revision the file is at (also mirrored in meta.schema_version)."""
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() or ""

    def me(self) -> str | None:
        """The pk of the person whose world this is."""
        return self.meta("me")

    def set_me(self, pk: str) -> None:
        self.set_meta("me", pk)

    def sync_cursor(self, stage: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.scalar(select(SyncStateRow.cursor).where(SyncStateRow.stage == stage))

    def sync_states(self) -> pd.DataFrame:
        return self._frame(select(SyncStateRow.stage, SyncStateRow.cursor, SyncStateRow.updated_at))

    def set_sync_cursor(self, stage: str, cursor: str | None) -> None:
        stmt = insert(SyncStateRow).values(stage=stage, cursor=cursor, updated_at=int(self.now()))
        stmt = stmt.on_conflict_do_update(
            index_elements=["stage"], set_={"cursor": stmt.excluded.cursor, "updated_at": stmt.excluded.updated_at}
        )
        with self.transaction(changes_data=False) as conn:
            conn.execute(stmt)

    # --- accounts ------------------------------------------------------------------------------------

    def upsert_accounts(self, accounts: Iterable[Account]) -> None:
        """Insert or refresh accounts. A username-only placeholder is renamed when its real pk arrives;
        a placeholder for a username already known is folded into that account."""
        accounts = list(accounts)
        if not accounts:
            return
        table = _table(AccountRow)
        with self.transaction() as conn:
            real = [a for a in accounts if not a.pk.startswith(PLACEHOLDER_PREFIX)]
            if real:
                self._adopt_placeholders(conn, real)
            known = self._usernames_with_accounts(conn, [a.username for a in accounts
                                                           if a.pk.startswith(PLACEHOLDER_PREFIX)])
            rows = []
            for a in accounts:
                if a.pk.startswith(PLACEHOLDER_PREFIX) and a.username.lower() in known:
                    continue
                rows.append({
                    "pk": a.pk, "username": a.username, "full_name": a.full_name or "",
                    "follower_count": a.follower_count, "following_count": a.following_count,
                    "media_count": a.media_count, "is_private": bool(a.is_private),
                    "is_verified": bool(a.is_verified), "profile_pic_url": a.profile_pic_url,
                    "profile_pic_path": a.profile_pic_path, "fetched_at": a.fetched_at,
                })
            stmt = insert(table)
            ex = stmt.excluded
            stmt = stmt.on_conflict_do_update(index_elements=["pk"], set_={
                "username": ex.username,
                "full_name": func.coalesce(func.nullif(ex.full_name, ""), table.c.full_name),
                "follower_count": func.coalesce(ex.follower_count, table.c.follower_count),
                "following_count": func.coalesce(ex.following_count, table.c.following_count),
                "media_count": func.coalesce(ex.media_count, table.c.media_count),
                "is_private": ex.is_private,
                "is_verified": ex.is_verified,
                "profile_pic_url": func.coalesce(ex.profile_pic_url, table.c.profile_pic_url),
                "profile_pic_path": func.coalesce(ex.profile_pic_path, table.c.profile_pic_path),
                "fetched_at": func.coalesce(ex.fetched_at, table.c.fetched_at),
            })
            for chunk in _chunks(rows, CHUNK):
                conn.execute(stmt, list(chunk))

    @staticmethod
    def _adopt_placeholders(conn: Connection, accounts: list[Account]) -> None:
        placeholders = {placeholder_pk(a.username): a.pk for a in accounts}
        found: list[str] = []
        keys = list(placeholders)
        for chunk in _chunks(keys, IN_CHUNK):
            found += conn.execute(select(AccountRow.pk).where(AccountRow.pk.in_(chunk))).scalars().all()
        for old in found:
            new = placeholders[old]
            exists = conn.scalar(select(AccountRow.id).where(AccountRow.pk == new))
            if exists is None:
                conn.execute(_table(AccountRow).update().where(AccountRow.pk == old).values(pk=new))

    @staticmethod
    def _usernames_with_accounts(conn: Connection, usernames: list[str]) -> set[str]:
        lowered = sorted({u.lower() for u in usernames})
        known: set[str] = set()
        for chunk in _chunks(lowered, IN_CHUNK):
            stmt = select(func.lower(AccountRow.username)).where(func.lower(AccountRow.username).in_(chunk))
            known.update(conn.execute(stmt).scalars())
        return known

    def account_ids(self, pks: Iterable[str], conn: Connection | None = None) -> dict[str, int]:
        """Internal ids for account pks; placeholders resolve by username to whichever account has it."""
        pks = list(dict.fromkeys(pks))
        out: dict[str, int] = {}
        with self._reader(conn) as c:
            real = [p for p in pks if not p.startswith(PLACEHOLDER_PREFIX)]
            for chunk in _chunks(real, IN_CHUNK):
                out.update(c.execute(select(AccountRow.pk, AccountRow.id).where(AccountRow.pk.in_(chunk))).all())
            by_name = {p[len(PLACEHOLDER_PREFIX):]: p for p in pks if p.startswith(PLACEHOLDER_PREFIX)}
            names = list(by_name)
            for chunk in _chunks(names, IN_CHUNK):
                # A real pk wins over a placeholder: order so the real row comes last and overwrites.
                rows = c.execute(
                    select(func.lower(AccountRow.username), AccountRow.id)
                    .where(func.lower(AccountRow.username).in_(chunk))
                    .order_by(AccountRow.pk.like(PLACEHOLDER_PREFIX + "%").desc())
                ).all()
                for name, account_id in rows:
                    out[by_name[name]] = account_id
        return out

    def account_id(self, pk: str) -> int | None:
        return self.account_ids([pk]).get(pk)

    # --- follows -------------------------------------------------------------------------------------

    def upsert_follows(self, follows: Iterable[Follow], complete_sources: Iterable[str] = (),
                       listed_at: int | None = None) -> None:
        """Merge follow edges. For each source in `complete_sources` the edges given are its whole list:
        targets it no longer follows are marked as unfollowed (their last-seen stays in the past). The list
        counts as read at `listed_at`, by default the latest `seen_at` among its edges (or now, if none)."""
        follows = list(follows)
        complete = set(complete_sources)
        if not follows and not complete:
            return
        with self.transaction() as conn:
            ids = self.account_ids({f.source for f in follows} | {f.target for f in follows} | complete, conn)
            missing = sorted(({f.source for f in follows} | {f.target for f in follows}) - ids.keys())
            if missing:
                raise ValueError(f"follows name {len(missing)} accounts not in the store, e.g. {missing[0]}")
            src = np.fromiter((ids[f.source] for f in follows), np.int64, len(follows))
            dst = np.fromiter((ids[f.target] for f in follows), np.int64, len(follows))
            seen = np.fromiter((f.seen_at for f in follows), np.int64, len(follows))
            first = np.fromiter((f.seen_at if f.first_seen is None else f.first_seen for f in follows),
                                np.int64, len(follows))
            now = int(self.now()) if listed_at is None else listed_at
            listed = {}
            for source in complete:
                mine = seen[src == ids[source]]
                listed[ids[source]] = listed_at if listed_at is not None else (int(mine.max()) if len(mine) else now)
            self._merge_follow_lists(conn, src, dst, first, seen, listed)

    def _merge_follow_lists(self, conn: Connection, src: np.ndarray, dst: np.ndarray, first: np.ndarray,
                            seen: np.ndarray, listed: dict[int, int]) -> None:
        order = np.lexsort((dst, src))
        src, dst, first, seen = src[order], dst[order], first[order], seen[order]
        sources = np.unique(np.concatenate([src, np.fromiter(listed, np.int64, len(listed))]))
        existing = {}
        for chunk in _chunks(sources.tolist(), IN_CHUNK):
            for row in conn.execute(select(FollowListRow).where(FollowListRow.source_id.in_(chunk))):
                existing[row.source_id] = row
        bounds = np.searchsorted(src, sources, side="left"), np.searchsorted(src, sources, side="right")
        rows = []
        for source, lo, hi in zip(sources.tolist(), *bounds, strict=True):
            t, f, s = dst[lo:hi], first[lo:hi], seen[lo:hi]
            old = existing.get(source)
            if old is not None:
                t = np.concatenate([_unpack(old.targets), t])
                f = np.concatenate([_unpack(old.first_seen), f])
                s = np.concatenate([_unpack(old.last_seen), s])
            t, f, s = _dedupe_edges(t, f, s)
            listed_at = listed.get(source, old.listed_at if old is not None else None)
            rows.append({"source_id": source, "targets": _pack(t), "first_seen": _pack(f),
                         "last_seen": _pack(s), "listed_at": listed_at})
        stmt = insert(FollowListRow)
        stmt = stmt.on_conflict_do_update(index_elements=["source_id"], set_={
            c: stmt.excluded[c] for c in ("targets", "first_seen", "last_seen", "listed_at")})
        for chunk in _chunks(rows, CHUNK):
            conn.execute(stmt, list(chunk))

    def write_follow_lists(self, source_ids: np.ndarray, offsets: np.ndarray, targets: np.ndarray,
                           seen_at: int) -> None:
        """Fast path for bulk loads (benchmarks, generated worlds): replace whole lists given in CSR form,
        internal ids, one list per source, `targets[offsets[i]:offsets[i+1]]`."""
        stamp = np.int64(seen_at)
        rows = []
        for i, source in enumerate(source_ids.tolist()):
            t = np.unique(targets[offsets[i]:offsets[i + 1]])
            times = _pack(np.full(len(t), stamp))
            rows.append({"source_id": source, "targets": _pack(t), "first_seen": times, "last_seen": times,
                         "listed_at": seen_at})
        stmt = insert(FollowListRow).prefix_with("OR REPLACE")
        with self.transaction() as conn:
            for chunk in _chunks(rows, CHUNK):
                conn.execute(stmt, list(chunk))

    def edges(self, include_unfollowed: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """All current follow edges as (source ids, target ids), int64 arrays grouped by source, in one query
        through the raw driver (SQLAlchemy's row objects would cost more than the query)."""
        with self.engine.connect() as conn, self._translated():
            raw = _driver(conn)
            # Memory-mapped, SQLite hands over the blobs (hundreds of MB) without a read() per page.
            raw.execute(f"PRAGMA mmap_size = {EDGES_MMAP}")
            try:
                rows = raw.execute("SELECT source_id, targets, last_seen, coalesce(listed_at, -1) FROM follows "
                                   "ORDER BY source_id").fetchall()
            finally:
                raw.execute("PRAGMA mmap_size = 0")
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        sources, targets, last_seen, listed_at = zip(*rows, strict=True)
        lengths = np.fromiter(map(len, targets), np.int64, len(rows)) // 8
        src = np.repeat(np.array(sources, np.int64), lengths)
        dst = np.frombuffer(b"".join(targets), "<i8")
        listed = np.array(listed_at, np.int64)
        if include_unfollowed or listed.max() < 0:
            return src, dst
        seen = np.frombuffer(b"".join(last_seen), "<i8")
        # Only lists that kept an unfollowed target (one seen before the list was last read) need a filter.
        rows_with_edges = np.flatnonzero(lengths)
        starts = (np.cumsum(lengths) - lengths)[rows_with_edges]
        if len(seen) == 0 or np.all(np.minimum.reduceat(seen, starts) >= listed[rows_with_edges]):
            return src, dst
        keep = seen >= np.repeat(listed, lengths)
        return src[keep], dst[keep]

    def follows_frame(self, source_id: int) -> pd.DataFrame:
        """One account's follow list with first / last seen and whether it still stands."""
        with self.engine.connect() as conn:
            row = conn.execute(select(FollowListRow).where(FollowListRow.source_id == source_id)).first()
        if row is None:
            return pd.DataFrame({"target_id": [], "first_seen": [], "last_seen": [], "current": []})
        last = _unpack(row.last_seen)
        return pd.DataFrame({"target_id": _unpack(row.targets), "first_seen": _unpack(row.first_seen),
                             "last_seen": last, "current": last >= (row.listed_at or -1)})

    # --- posts ---------------------------------------------------------------------------------------

    def upsert_posts(self, posts: Iterable[Post], like_series: bool = False) -> None:
        """Insert posts or refresh their counts; a stub (no taken_at) never overwrites a full post.

        With `like_series` (a sync's reads), each post's like count is also kept as read at its fetched_at
        in like_counts, so that the growth of its likes can be learned."""
        posts = list(posts)
        if not posts:
            return
        table = _table(PostRow)
        with self.transaction() as conn:
            authors = self.account_ids({p.author for p in posts}, conn)
            missing = {p.author for p in posts} - authors.keys()
            if missing:
                raise ValueError(f"posts name {len(missing)} authors not in the store, e.g. {min(missing)}")
            rows = [{
                "pk": p.pk, "shortcode": p.shortcode, "author_id": authors[p.author], "taken_at": p.taken_at,
                "media_type": int(p.media_type), "product_type": p.product_type or "feed",
                "caption": p.caption or "", "like_count": p.like_count, "comment_count": p.comment_count,
                "play_count": p.play_count, "location": p.location, "width": p.width, "height": p.height,
                "carousel_count": p.carousel_count or 0, "image_url": p.image_url, "image_path": p.image_path,
                "fetched_at": p.fetched_at,
            } for p in posts]
            stmt = insert(table)
            ex = stmt.excluded
            stub = ex.taken_at.is_(None)

            def keep_if_stub(column: str) -> ColumnElement[Any]:
                return case((stub, table.c[column]), else_=func.coalesce(ex[column], table.c[column]))

            updated = {c: keep_if_stub(c) for c in (
                "author_id", "taken_at", "media_type", "product_type", "caption", "like_count", "comment_count",
                "play_count", "location", "width", "height", "carousel_count", "fetched_at")}
            updated |= {c: func.coalesce(ex[c], table.c[c]) for c in ("shortcode", "image_url", "image_path")}
            stmt = stmt.on_conflict_do_update(index_elements=["pk"], set_=updated)
            for chunk in _chunks(rows, CHUNK):
                conn.execute(stmt, list(chunk))
            ids = self.post_ids([p.pk for p in posts], conn)
            tags = {(ids[p.pk], t.lower().lstrip("#")) for p in posts for t in p.hashtags if t.strip("#")}
            mentions = {(ids[p.pk], m.lower().lstrip("@")) for p in posts for m in p.mentions if m.strip("@")}
            for pairs, model, key in ((tags, PostHashtagRow, "tag"), (mentions, PostMentionRow, "username")):
                links = [{"post_id": i, key: v} for i, v in sorted(pairs)]
                for part in _chunks(links, CHUNK):
                    conn.execute(insert(model).on_conflict_do_nothing(), list(part))
            if like_series:
                reads = {(ids[p.pk], int(p.fetched_at)): int(p.like_count) for p in posts
                         if p.taken_at is not None and p.like_count is not None and p.fetched_at is not None}
                counts = [{"post_id": i, "observed_at": at, "like_count": n} for (i, at), n in sorted(reads.items())]
                series = insert(_table(LikeCountRow))
                series = series.on_conflict_do_update(index_elements=["post_id", "observed_at"],
                                                      set_={"like_count": series.excluded.like_count})
                for batch in _chunks(counts, CHUNK):
                    conn.execute(series, list(batch))

    def post_ids(self, pks: Iterable[str], conn: Connection | None = None) -> dict[str, int]:
        pks = list(dict.fromkeys(pks))
        out: dict[str, int] = {}
        with self._reader(conn) as c:
            for chunk in _chunks(pks, IN_CHUNK):
                out.update(c.execute(select(PostRow.pk, PostRow.id).where(PostRow.pk.in_(chunk))).all())
        return out

    def set_image_path(self, post_pk: str, path: str | None) -> None:
        with self.transaction(changes_data=False) as conn:
            conn.execute(_table(PostRow).update().where(PostRow.pk == post_pk).values(image_path=path))

    def posts_frame(self, since: int | None = None, author_ids: Sequence[int] | np.ndarray | None = None,
                    post_ids: Sequence[int] | np.ndarray | None = None,
                    columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Fetched posts (not stubs) as a frame, one query; optionally since a time, by authors or ids."""
        cols = list(columns or ("id", "pk", "shortcode", "author_id", "taken_at", "media_type", "product_type",
                                "like_count", "comment_count", "play_count", "carousel_count", "width", "height",
                                "location", "caption"))
        sql = f"SELECT {', '.join(cols)} FROM posts WHERE taken_at IS NOT NULL"
        params: list[object] = []
        if since is not None:
            sql += " AND taken_at >= ?"
            params.append(int(since))
        for name, values in (("author_id", author_ids), ("id", post_ids)):
            if values is not None:
                values = [int(v) for v in values]
                if not values:
                    return pd.DataFrame({c: [] for c in cols})
                sql += f" AND {name} IN (SELECT value FROM json_each(?))"
                params.append("[" + ",".join(map(str, values)) + "]")
        return self._sql_frame(sql, params, cols)

    def like_counts_frame(self, post_ids: Sequence[int] | None = None) -> pd.DataFrame:
        """Every like count a sync read: post_id, observed_at, like_count (by post, then time)."""
        sql, params = "SELECT post_id, observed_at, like_count FROM like_counts", []
        if post_ids is not None:
            sql += " WHERE post_id IN (SELECT value FROM json_each(?))"
            params.append("[" + ",".join(str(int(v)) for v in post_ids) + "]")
        return self._sql_frame(sql + " ORDER BY post_id, observed_at", params,
                               ["post_id", "observed_at", "like_count"])

    def hashtags_frame(self, post_ids: Sequence[int] | None = None) -> pd.DataFrame:
        sql, params = "SELECT post_id, tag FROM post_hashtags", []
        if post_ids is not None:
            sql += " WHERE post_id IN (SELECT value FROM json_each(?))"
            params.append("[" + ",".join(str(int(v)) for v in post_ids) + "]")
        return self._sql_frame(sql, params, ["post_id", "tag"])

    def mentions_frame(self, post_ids: Sequence[int]) -> pd.DataFrame:
        sql = "SELECT post_id, username FROM post_mentions WHERE post_id IN (SELECT value FROM json_each(?))"
        return self._sql_frame(sql, ["[" + ",".join(str(int(v)) for v in post_ids) + "]"], ["post_id", "username"])

    # --- accounts read -------------------------------------------------------------------------------

    def accounts_frame(self, ids: Sequence[int] | np.ndarray | None = None) -> pd.DataFrame:
        cols = ["id", "pk", "username", "full_name", "follower_count", "following_count", "media_count",
                "is_private", "is_verified", "profile_pic_url", "profile_pic_path", "fetched_at"]
        sql, params = f"SELECT {', '.join(cols)} FROM accounts", []
        if ids is not None:
            sql += " WHERE id IN (SELECT value FROM json_each(?))"
            params.append("[" + ",".join(str(int(v)) for v in ids) + "]")
        return self._sql_frame(sql, params, cols)

    def max_account_id(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.coalesce(func.max(AccountRow.id), 0))) or 0)

    # --- the person's own signals --------------------------------------------------------------------

    def add_likes(self, likes: Iterable[Like]) -> None:
        """Record likes of posts already in the store (a later like of the same post keeps the first)."""
        likes = list(likes)
        if not likes:
            return
        with self.transaction() as conn:
            ids = self.post_ids([like.post for like in likes], conn)
            missing = {like.post for like in likes} - ids.keys()
            if missing:
                raise ValueError(f"likes name {len(missing)} posts not in the store, e.g. {min(missing)}")
            rows = [{"post_id": ids[like.post], "liked_at": like.liked_at, "origin": like.origin} for like in likes]
            stmt = insert(MyLikeRow)
            stmt = stmt.on_conflict_do_update(index_elements=["post_id"], set_={
                "liked_at": func.coalesce(_table(MyLikeRow).c.liked_at, stmt.excluded.liked_at)})
            for chunk in _chunks(rows, CHUNK):
                conn.execute(stmt, list(chunk))

    def likes_frame(self) -> pd.DataFrame:
        """The person's likes: post id, the post's author id, when liked, where we learned it."""
        sql = ("SELECT l.post_id, p.author_id, l.liked_at, l.origin FROM my_likes l "
               "JOIN posts p ON p.id = l.post_id")
        return self._sql_frame(sql, [], ["post_id", "author_id", "liked_at", "origin"])

    def add_tagged(self, post_pks: Iterable[str]) -> None:
        post_pks = list(post_pks)
        with self.transaction() as conn:
            ids = self.post_ids(post_pks, conn)
            rows = [{"post_id": i} for i in ids.values()]
            for chunk in _chunks(rows, CHUNK):
                conn.execute(insert(TaggedInRow).on_conflict_do_nothing(), list(chunk))

    def tagged_post_ids(self) -> np.ndarray:
        with self.engine.connect() as conn:
            return np.fromiter(conn.execute(select(TaggedInRow.post_id)).scalars(), np.int64)

    def add_interactions(self, interactions: Iterable[Interaction]) -> None:
        interactions = list(interactions)
        if not interactions:
            return
        with self.transaction() as conn:
            posts = self.post_ids([i.post for i in interactions if i.post], conn)
            accounts = self.account_ids([i.account for i in interactions if i.account], conn)
            rows = []
            for i in interactions:
                if (i.post is None) == (i.account is None):
                    raise ValueError("an interaction is about exactly one post or one account")
                rows.append({"post_id": posts[i.post] if i.post else None,
                             "account_id": accounts[i.account] if i.account else None,
                             "kind": str(i.kind), "at": i.at, "value": i.value})
            conn.execute(insert(InteractionRow), rows)

    def remove_interactions(self, kind: str, post: str | None = None, account: str | None = None) -> None:
        """Undo: forget every `kind` interaction on that post or account."""
        table = _table(InteractionRow)
        with self.transaction() as conn:
            stmt = table.delete().where(table.c.kind == str(kind))
            if post is not None:
                stmt = stmt.where(table.c.post_id == self.post_ids([post], conn).get(post, -1))
            if account is not None:
                stmt = stmt.where(table.c.account_id == self.account_ids([account], conn).get(account, -1))
            conn.execute(stmt)

    def interactions_frame(self) -> pd.DataFrame:
        sql = "SELECT post_id, account_id, kind, at, value FROM interactions ORDER BY id"
        return self._sql_frame(sql, [], ["post_id", "account_id", "kind", "at", "value"])

    # --- summaries -----------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            edges = conn.exec_driver_sql("SELECT coalesce(sum(length(targets)), 0) / 8 FROM follows").scalar()
            return {
                "accounts": int(conn.scalar(select(func.count()).select_from(AccountRow)) or 0),
                "follows": int(edges or 0),
                "posts": int(conn.scalar(select(func.count()).select_from(PostRow).where(PostRow.taken_at.isnot(None)))
                             or 0),
                "likes": int(conn.scalar(select(func.count()).select_from(MyLikeRow)) or 0),
                "interactions": int(conn.scalar(select(func.count()).select_from(InteractionRow)) or 0),
            }

    # --- helpers -------------------------------------------------------------------------------------

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """SQLite errors of the raw driver as the same sentences SQLAlchemy's statements give."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            _raise_store_error(self.path, exc)
            raise

    @contextmanager
    def _reader(self, conn: Connection | None) -> Iterator[Connection]:
        active = conn or getattr(self._local, "conn", None)
        if active is not None:
            yield active
        else:
            with self.engine.connect() as c:
                yield c

    def _frame(self, stmt: Executable) -> pd.DataFrame:
        with self._reader(None) as conn:
            result = conn.execute(stmt)
            return pd.DataFrame(result.all(), columns=list(result.keys()))

    def _sql_frame(self, sql: str, params: Sequence[object], columns: list[str]) -> pd.DataFrame:
        # In slices: a whole result as Python tuples would peak at several times the frame's size, and
        # the process keeps that memory long after the tuples are gone.
        frames = []
        with self._reader(None) as conn, self._translated():
            cursor = _driver(conn).execute(sql, tuple(params))
            while rows := cursor.fetchmany(FRAME_SLICE):
                frames.append(pd.DataFrame.from_records(rows, columns=columns))
        if not frames:
            return pd.DataFrame.from_records([], columns=columns)
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _dedupe_edges(targets: np.ndarray, first: np.ndarray, last: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One entry per target: the earliest first-seen and the latest last-seen."""
    if len(targets) == 0:
        return targets, first, last
    order = np.argsort(targets, kind="stable")
    targets, first, last = targets[order], first[order], last[order]
    starts = np.flatnonzero(np.r_[True, targets[1:] != targets[:-1]])
    return targets[starts], np.minimum.reduceat(first, starts), np.maximum.reduceat(last, starts)


def _raise_store_error(path: Path, exc: BaseException) -> None:
    error = _store_error(path, exc)
    if error is not None:
        raise error from exc


def _configure_connection(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live database (WAL included), e.g. for tests and exports."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
