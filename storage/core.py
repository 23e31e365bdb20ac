"""The core of a Store: its transactions and data version, the write lock, meta and sync state, and the
readers every query goes through."""

from __future__ import annotations

import logging
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Table, select
from sqlalchemy.dialects.sqlite import insert

from storage.opening import BUSY_NOTICE, BUSY_TIMEOUT, _raise_store_error
from storage.schema import Base, Meta, SyncStateRow

if TYPE_CHECKING:
    from sqlalchemy import Executable

T = TypeVar("T")

CHUNK = 5000  # rows per executemany
FRAME_SLICE = 20_000  # rows converted to a frame at a time
IN_CHUNK = 900  # values per IN (...) list, under SQLite's variable limit
DATA_VERSION = "data_version"  # meta key: see Store.data_version

log = logging.getLogger("storage.store")  # the name the CLI's warnings have always carried


def _chunks(seq: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(seq), size):
        yield seq[start : start + size]


def _pack(values: np.ndarray) -> bytes:
    return np.ascontiguousarray(values, dtype="<i8").tobytes()


def _unpack(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<i8")


def _table(row: type[Base]) -> Table:
    """A mapped class's table (SQLAlchemy types `__table__` as any FROM clause)."""
    return cast(Table, row.__table__)


def _driver(conn: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under a SQLAlchemy one."""
    return cast(sqlite3.Connection, conn.connection.driver_connection)


class StoreCore:
    """What every part of a Store stands on; `storage.store.Store` is the whole."""

    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self.engine = engine
        self._local = threading.local()
        self.now = time.time  # stamps writes; World.open hands in the world's clock

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
        with self._reader(None) as conn:
            value = conn.scalar(select(Meta.value).where(Meta.key == key))
        return default if value is None else value

    def schema_version(self) -> str:
        """The Alembic revision the file is at (also mirrored in meta.schema_version)."""
        with self._reader(None) as conn:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() or ""

    def me(self) -> str | None:
        """The pk of the person whose world this is."""
        return self.meta("me")

    def set_me(self, pk: str) -> None:
        self.set_meta("me", pk)

    def sync_cursor(self, stage: str) -> str | None:
        with self._reader(None) as conn:
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
        """`conn`, else this thread's open transaction (a read in it sees its writes), else a new connection."""
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

