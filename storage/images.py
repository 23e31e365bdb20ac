"""An on-disk image cache keyed by media id, capped in size, evicting the least recently viewed.

Instagram's image links expire within days, so the bytes are kept here for offline browsing. "Viewed" is
recorded by setting the file's mtime (atime is unreliable on relatime/noatime mounts).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

_SAFE_KEY = re.compile(r"[^A-Za-z0-9_.-]")


class ImageCache:
    def __init__(self, directory: str | Path, max_bytes: int = 2 * 1024**3):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._size: int | None = None

    def path_for(self, key: str, kind: str = "jpg") -> Path:
        safe = _SAFE_KEY.sub("_", key)
        return self.directory / safe[-2:].rjust(2, "_") / f"{safe}.{kind}"

    def get(self, key: str, kind: str = "jpg") -> Path | None:
        """The cached file for `key`, marked as just viewed; None when not cached."""
        path = self.path_for(key, kind)
        try:
            os.utime(path, None)
        except FileNotFoundError:
            return None
        return path

    def put(self, key: str, data: bytes, kind: str = "jpg") -> Path:
        path = self.path_for(key, kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        old = path.stat().st_size if path.exists() else 0
        os.replace(tmp, path)
        with self._lock:
            if self._size is not None:
                self._size += len(data) - old
        if self.size() > self.max_bytes:
            self.evict()
        return path

    def size(self) -> int:
        with self._lock:
            if self._size is None:
                self._size = sum(f.stat().st_size for f in self._files())
            return self._size

    def evict(self, target_bytes: int | None = None) -> int:
        """Delete the least recently viewed files until the cache holds at most `target_bytes`
        (default: 90% of the cap). Returns the number of files removed."""
        target = int(self.max_bytes * 0.9) if target_bytes is None else target_bytes
        with self._lock:
            entries = []
            for f in self._files():
                try:
                    st = f.stat()
                except FileNotFoundError:
                    continue
                entries.append((st.st_mtime, st.st_size, f))
            total = sum(e[1] for e in entries)
            removed = 0
            for _mtime, size, f in sorted(entries):
                if total <= target:
                    break
                f.unlink(missing_ok=True)
                total -= size
                removed += 1
            self._size = total
        return removed

    def _files(self) -> Iterator[Path]:
        return (f for f in self.directory.glob("*/*") if f.is_file() and not f.name.endswith(".tmp"))


