"""The store's errors, apart from the store so that catching them imports neither SQLAlchemy nor pandas."""


class StoreError(Exception):
    """A problem with the database file a person can act on; str() is the sentence to show."""


class NotATesseraDatabase(StoreError):
    pass


class NewerDatabase(StoreError):
    pass


class DamagedDatabase(StoreError):
    pass


class StoreBusy(StoreError):
    pass


class ReadOnlyStore(StoreError):
    pass
