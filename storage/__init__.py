"""Tessera's store: the record vocabulary, the SQLite database and the image cache. Imports nothing of ours."""

from storage.images import ImageCache
from storage.records import Account, Follow, Interaction, InteractionKind, Like, MediaType, Post
from storage.store import (
    NewerDatabase,
    NotATesseraDatabase,
    Store,
    StoreError,
    copy_database,
    head_revision,
    placeholder_pk,
)

__all__ = [
    "Account", "Follow", "ImageCache", "Interaction", "InteractionKind", "Like", "MediaType", "NewerDatabase",
    "NotATesseraDatabase", "Post", "Store", "StoreError", "copy_database", "head_revision", "placeholder_pk",
]
