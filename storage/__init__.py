"""Tessera's store: the record vocabulary, the SQLite database and the image cache. Imports nothing of ours."""

from storage.images import ImageCache
from storage.records import Account, Follow, Interaction, InteractionKind, Like, MediaType, Post
from storage.store import (
    DamagedDatabase,
    NewerDatabase,
    NotATesseraDatabase,
    ReadOnlyStore,
    Store,
    StoreBusy,
    StoreError,
    copy_database,
    head_revision,
    placeholder_pk,
)

__all__ = [
    "Account", "DamagedDatabase", "Follow", "ImageCache", "Interaction", "InteractionKind", "Like", "MediaType",
    "NewerDatabase", "NotATesseraDatabase", "Post", "ReadOnlyStore", "Store", "StoreBusy", "StoreError",
    "copy_database", "head_revision", "placeholder_pk",
]
