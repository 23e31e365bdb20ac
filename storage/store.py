"""The Tessera store: one SQLite file per world, opened, checked and migrated here.

Only this package writes SQL. Writes are bulk upserts in chunks; reads that feed the ranking come back as
numpy arrays or pandas frames from one query each. The Store's parts live beside it: `opening` (the file and
its migrations), `core` (transactions, meta, readers), `accounts` (accounts and follows) and `posts` (posts,
the person's likes and interactions, counts).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event

from storage.accounts import PLACEHOLDER_PREFIX, placeholder_pk
from storage.core import DATA_VERSION
from storage.errors import StoreError
from storage.opening import (
    APPLICATION_ID,
    BUSY_TIMEOUT,
    _alembic_config,
    _backup,
    _configure_connection,
    _known_revisions,
    _os_error,
    _raise_store_error,
    _scripts,
    copy_database,
    head_revision,
    inspect_file,
)
from storage.posts import PostsStore

__all__ = [
    "APPLICATION_ID", "BUSY_TIMEOUT", "DATA_VERSION", "PLACEHOLDER_PREFIX", "Store", "_alembic_config",
    "_known_revisions", "_scripts", "copy_database", "head_revision", "inspect_file", "placeholder_pk",
]


class Store(PostsStore):
    """One world's database. Thread-safe for reads; a write runs in its own transaction unless inside
    `transaction()`, which makes every write in its block one atomic unit (on that thread)."""

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
