"""Opening a world's database file: telling a Tessera file from anything else without writing to it, the
migrations it is at, the sentences for SQLite's errors, and how each connection is set up."""

from __future__ import annotations

import functools
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from storage.errors import DamagedDatabase, NewerDatabase, NotATesseraDatabase, ReadOnlyStore, StoreBusy, StoreError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

# PRAGMA application_id of every Tessera database ("TESS"): how a Tessera file is told from any other.
APPLICATION_ID = 0x54455353
SQLITE_MAGIC = b"SQLite format 3\x00"

_MIGRATIONS = Path(__file__).with_name("migrations")
# How long a write waits for another writer (another Tessera, a sqlite3 shell) before giving up, and after how
# long it says that it is waiting. TESSERA_BUSY_TIMEOUT (seconds) changes the first.
BUSY_TIMEOUT = float(os.environ.get("TESSERA_BUSY_TIMEOUT", "30"))
BUSY_NOTICE = 1.0


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



# alembic is imported where it is used: a start that needs no migration does not pay for it.
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
