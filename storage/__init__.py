"""Tessera's store: the record vocabulary, the SQLite database and the image cache. Imports nothing of ours.

The database module (SQLAlchemy, pandas) loads on first use of one of its names, so that code which only
names the records or catches the errors starts fast.
"""

from typing import TYPE_CHECKING, Any

from storage.errors import DamagedDatabase, NewerDatabase, NotATesseraDatabase, ReadOnlyStore, StoreBusy, StoreError
from storage.images import ImageCache
from storage.records import Account, Follow, Interaction, InteractionKind, Like, MediaType, Post

if TYPE_CHECKING:
    from storage.store import Store, copy_database, head_revision, placeholder_pk

_FROM_STORE = {"Store", "copy_database", "head_revision", "placeholder_pk"}

__all__ = [
    "Account", "DamagedDatabase", "Follow", "ImageCache", "Interaction", "InteractionKind", "Like", "MediaType",
    "NewerDatabase", "NotATesseraDatabase", "Post", "ReadOnlyStore", "Store", "StoreBusy", "StoreError",
    "copy_database", "head_revision", "placeholder_pk",
]


def __getattr__(name: str) -> Any:
    if name in _FROM_STORE:
        from storage import store

        return getattr(store, name)
    raise AttributeError(f"module 'storage' has no attribute {name!r}")
