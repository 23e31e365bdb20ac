"""What can go wrong with a data export, each as one sentence a person can act on (str() of the error)."""

from __future__ import annotations

JSON_HOWTO = ("In Instagram, open Accounts Center → Your information and permissions → Download your "
              "information, request a download, choose the format JSON (not HTML), and import the file "
              "Instagram sends.")


class ExportError(Exception):
    """The export cannot be imported; str() is the sentence to show. Nothing was written."""

    def __init__(self, message: str):
        # Names and keys quoted from a hostile file must not break the line or drive a terminal.
        super().__init__("".join(c if c.isprintable() else repr(c)[1:-1] for c in message))


class NotAnExport(ExportError):
    """Not a zip or folder, or an archive of something other than an Instagram export."""


class HtmlExport(ExportError):
    """The person chose HTML in Instagram's dialog; they need to request JSON."""


class DamagedExport(ExportError):
    """A corrupt or truncated zip, a file that is not valid JSON or not UTF-8 text."""


class UnsafeArchive(ExportError):
    """An archive with unsafe entries (paths leaving it, symlinks) or beyond the size limits."""


class MissingFile(ExportError):
    """An Instagram export without the file the import needs (the following list)."""


class UnexpectedShape(ExportError):
    """A file that parses but does not have any shape seen in Instagram's exports."""


class UnknownOwner(ExportError):
    """The export does not say whose it is and nothing else tells: ask for the username."""


class WrongAccount(ExportError):
    """The export belongs to another account than the world it is imported into."""
