"""Opening an export, as the .zip Instagram sends or the folder unpacked from it, safely.

Nothing is ever extracted: the few JSON files the import needs are read straight from the zip (or the
folder) into memory, each under a size cap counted on the bytes actually inflated, so a zip bomb or an
entry that lies about its size stops at the cap. An archive with entries that would leave it (`..`,
absolute paths), symlinks or duplicate names is refused as a whole: Instagram never writes those.
"""

from __future__ import annotations

import calendar
import os
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from discovery.export.errors import DamagedExport, NotAnExport, UnsafeArchive

MIB = 1024 * 1024
_READ_CHUNK = MIB
_IGNORED = ("__MACOSX/",)
_IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
# Top folders of the export itself: never stripped as a wrapper, even when a partial download has only one.
_EXPORT_FOLDERS = {"connections", "your_instagram_activity", "personal_information",
                   "followers_and_following",
                   "likes", "saved", "account_information", "ads_information", "logged_information",
                   "security_and_login_information", "preferences", "media", "messages", "comments",
                   "content"}


@dataclass(frozen=True)
class ArchiveLimits:
    """Caps on what is read. An export with years of likes has a liked_posts.json of tens of MB; media
    files are never read, so archives of many GB are fine."""

    max_entries: int = 500_000
    max_file_bytes: int = 256 * MIB  # one JSON file, inflated
    max_total_bytes: int = 1024 * MIB  # all JSON files read, inflated


class ExportArchive:
    """The files of an export by relative POSIX path (a single wrapping folder is looked through)."""

    def __init__(self, path: Path, names: list[str], prefix: str, limits: ArchiveLimits):
        self.path = path
        self.label = path.name or str(path)
        self.names = names
        self.prefix = prefix  # the wrapping folder(s) looked through, "" or ending in "/"
        self.limits = limits
        self._read_total = 0

    @property
    def inner_name(self) -> str:
        """The name of the folder inside the archive that holds the export ("" when there is none)."""
        return self.prefix.rstrip("/").rsplit("/", 1)[-1]

    def read(self, name: str) -> bytes:
        data = self._read(self.prefix + name)
        self._read_total += len(data)
        if self._read_total > self.limits.max_total_bytes:
            raise UnsafeArchive(f"{self.label} holds more than {self.limits.max_total_bytes // MIB:,} MB of "
                                "JSON in the files Tessera reads, beyond what an Instagram export holds; "
                                "it was not imported.")
        return data

    def _read(self, full_name: str) -> bytes:
        raise NotImplementedError

    def written_at(self, name: str) -> int | None:
        """When the file was written (epoch seconds): the same for the same download, read twice."""
        raise NotImplementedError

    def too_big(self, name: str) -> UnsafeArchive:
        cap = self.limits.max_file_bytes // MIB
        return UnsafeArchive(f"{name} in {self.label} is larger than {cap:,} MB, far beyond an Instagram "
                             "export's JSON files; it was not read.")


class ZipExport(ExportArchive):
    def __init__(self, path: Path, archive: zipfile.ZipFile, names: list[str], prefix: str,
                 limits: ArchiveLimits):
        super().__init__(path, names, prefix, limits)
        self._zip = archive

    def written_at(self, name: str) -> int | None:
        try:  # zip times have no zone; read as UTC, which is stable for the same file
            return calendar.timegm((*self._zip.getinfo(self.prefix + name).date_time, 0, 0, 0))
        except (KeyError, ValueError, OverflowError):
            return None

    def _read(self, full_name: str) -> bytes:
        name = full_name[len(self.prefix):]
        info = self._zip.getinfo(full_name)
        if info.file_size > self.limits.max_file_bytes:
            raise self.too_big(name)
        if info.flag_bits & 0x1:
            raise DamagedExport(f"{self.label} is password-protected; Instagram's exports are not. Download "
                                "it again from Instagram and import that file.")
        chunks, size = [], 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_READ_CHUNK):
                    size += len(chunk)
                    if size > self.limits.max_file_bytes:  # the entry lied about its size
                        raise self.too_big(name)
                    chunks.append(chunk)
        except NotImplementedError:
            raise DamagedExport(f"{name} in {self.label} is compressed with a method Tessera cannot read; "
                                "unpack the zip with your system's tool and import the folder.") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise DamagedExport(f"{name} in {self.label} is damaged ({_reason(exc)}); the download is "
                                "incomplete or corrupt. Download the export again from Instagram.") from None
        return b"".join(chunks)


class FolderExport(ExportArchive):
    def written_at(self, name: str) -> int | None:
        try:
            return int(os.lstat(self.path.joinpath(*PurePosixPath(self.prefix + name).parts)).st_mtime)
        except OSError:
            return None

    def _read(self, full_name: str) -> bytes:
        name = full_name[len(self.prefix):]
        path = self.path.joinpath(*PurePosixPath(full_name).parts)
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                raise UnsafeArchive(f"{name} in {self.label} is not a regular file (a link or a device); "
                                    "an unpacked Instagram export has only plain files, so it was not read.")
            if info.st_size > self.limits.max_file_bytes:
                raise self.too_big(name)
            with open(path, "rb") as handle:
                data = handle.read(self.limits.max_file_bytes + 1)
        except OSError as exc:
            raise DamagedExport(f"{name} in {self.label} cannot be read ({_reason(exc)}).") from None
        if len(data) > self.limits.max_file_bytes:
            raise self.too_big(name)
        return data


@contextmanager
def open_export(path: str | Path, limits: ArchiveLimits | None = None) -> Iterator[ExportArchive]:
    """The export at `path` (a .zip or a folder), checked for unsafe entries; raises an ExportError."""
    path = Path(path)
    limits = limits or ArchiveLimits()
    if path.is_dir():
        yield _open_folder(path, limits)
        return
    if not path.exists():
        raise NotAnExport(f"{path} does not exist. Choose the .zip file Instagram sent you, or the folder "
                          "unpacked from it.")
    if not path.is_file():
        raise NotAnExport(f"{path} is neither a file nor a folder. Choose the .zip file Instagram sent you, "
                          "or the folder unpacked from it.")
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise NotAnExport(f"{path.name} cannot be read ({_reason(exc)}).") from None
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        if head.startswith(b"PK"):
            raise DamagedExport(f"{path.name} is a damaged or incomplete zip archive ({_reason(exc)}). "
                                "Download the export again from Instagram and import the new file.") from None
        raise NotAnExport(f"{path.name} is not a zip archive. Choose the .zip file Instagram sent you "
                          "(usually named instagram-…zip), or the folder unpacked from it.") from None
    with archive:
        yield _zip_export(path, archive, limits)


def _zip_export(path: Path, archive: zipfile.ZipFile, limits: ArchiveLimits) -> ZipExport:
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise UnsafeArchive(f"{path.name} holds {len(infos):,} entries, more than the {limits.max_entries:,} "
                            "an Instagram export could; it was not read.")
    names, seen = [], set()
    for info in infos:
        name = info.filename
        _check_name(path.name, name)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnsafeArchive(f"{path.name} contains a symbolic link ({name}); an Instagram export never "
                                "does, so it was not read.")
        if name in seen:
            raise UnsafeArchive(f"{path.name} contains {name} twice; an Instagram export never does, so it "
                                "was not read.")
        seen.add(name)
        if not info.is_dir():
            names.append(name)
    relative, prefix = _look_through_wrappers(names)
    return ZipExport(path, archive, relative, prefix, limits)


def _open_folder(path: Path, limits: ArchiveLimits) -> FolderExport:
    names = []
    for directory, subdirs, files in os.walk(path, followlinks=False):
        base = Path(directory)
        for entry in subdirs + files:
            if (base / entry).is_symlink():
                rel = (base / entry).relative_to(path).as_posix()
                raise UnsafeArchive(f"{path.name} contains a symbolic link ({rel}); an unpacked Instagram "
                                    "export never does, so it was not read.")
        names += [(base / name).relative_to(path).as_posix() for name in files]
        if len(names) > limits.max_entries:
            raise UnsafeArchive(f"{path.name} holds more than {limits.max_entries:,} files, more than an "
                                "Instagram export could; choose the export's own folder.")
    relative, prefix = _look_through_wrappers(names)
    return FolderExport(path, relative, prefix, limits)


def _check_name(label: str, name: str) -> None:
    normal = name.replace("\\", "/")
    parts = normal.split("/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":") or ".." in parts or "\x00" in normal:
        raise UnsafeArchive(f"{label} contains an entry with an unsafe path ({name!r}) that points outside "
                            "the archive; an Instagram export never does, so it was not read.")


def _look_through_wrappers(names: list[str]) -> tuple[list[str], str]:
    """Drop OS litter, then strip folders that wrap everything (a zip of the unpacked folder)."""
    names = [n for n in names if not n.startswith(_IGNORED) and n.rsplit("/", 1)[-1] not in _IGNORED_NAMES]
    prefix = ""
    while names and all("/" in n for n in names):
        first = names[0].split("/", 1)[0] + "/"
        if first[:-1] in _EXPORT_FOLDERS or not all(n.startswith(first) for n in names):
            break
        prefix += first
        names = [n[len(first):] for n in names]
    return sorted(names), prefix


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[0].lower() + text[1:] if text else text
