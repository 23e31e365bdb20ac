"""Ranked snapshots: Feed and Explore as last ranked, kept in the world's folder, so that `feed` and the
window's first paint show them without loading the posts, the graph, scikit-learn or the learned model.

A snapshot holds for exactly the inputs it was ranked from, and is ranked afresh otherwise:
- the store's data version (every write that can change a ranking changes it: posts, likes, follows, the
  person's actions, the world's meta; from this process or another);
- the learned model: the data version it was trained at, which must be the current one (a model that new
  actions made stale is not what a fresh start would rank with);
- the ranking settings (the resolved parameters for the window; the stored overrides for the command line);
- the hour of the world's clock (recency moves with it; the demo world's clock stands still);
- the code that ranks and the libraries it ranks with.
Each list is two files in `<world>/ranked/`: `<kind>.json`, the top TOP records for the command line (read
with the standard library only), and `<kind>.pickle`, the whole ranked frame for the window, as plain columns
(numbers as numpy arrays, text as lists): the window paints its first list from them before pandas loads.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import pickle
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from discovery.why import explain

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from discovery.ranking import Ranking

log = logging.getLogger(__name__)

FORMAT = 3
TOP = 100  # records the command line can print without ranking
INTERESTS = 30  # the person's hashtags kept for the filters
AGAIN = "_why"  # a kept record's numbers its "why you see this" is said again from
FOLDER = "ranked"
HOUR = 3600
# What a ranking is computed by: a change to any of these files or libraries ranks afresh.
SOURCES = ("ranking.py", "ranker_lists.py", "ranker_snapshot.py", "ranker_features.py", "ranker_personal.py",
           "graph.py", "why.py", "snapshot.py")
LIBRARIES = ("numpy", "pandas", "scipy", "sklearn")
_code: str | None = None


def code_version() -> str:
    """A digest of the ranking code and the installed libraries (their files' size and time)."""
    global _code
    if _code is None:
        digest = hashlib.sha256(f"format {FORMAT}".encode())
        here = Path(__file__).parent
        for name in SOURCES:
            path = here / name
            digest.update(path.read_bytes() if path.exists() else b"-")
        for name in LIBRARIES:
            spec = importlib.util.find_spec(name)
            stat = os.stat(spec.origin) if spec and spec.origin else None
            digest.update(f"{name} {spec and spec.origin} {stat and (stat.st_size, stat.st_mtime_ns)}".encode())
        _code = digest.hexdigest()[:16]
    return _code


@dataclass(frozen=True)
class Stamp:
    """What a ranking was computed from. `model` is the data version the learned model was trained at, or
    FORMULA when the settings rank by the formula alone."""

    data: str
    model: str
    hour: int
    code: str

    @classmethod
    def of(cls, data: str | None, model: str | None, now: float) -> Stamp | None:
        return cls(data, model, int(now) // HOUR, code_version()) if data and model else None

    def holds_now(self, data: str | None, now: float) -> bool:
        """Whether a fresh start would rank the same now: the same data, a model trained on it (or none
        needed), the same hour, the same code."""
        return (data == self.data and self.model in (data, FORMULA) and int(now) // HOUR == self.hour
                and self.code == code_version())


FORMULA = "formula"


def files(directory: Path, kind: str) -> tuple[Path, Path]:
    folder = directory / FOLDER
    return folder / f"{kind}.json", folder / f"{kind}.pickle"


def save(directory: Path, stamp: Stamp, settings: dict | None, params: dict, ranking: Ranking, title: str,
         summary: str | None, interests: list[str]) -> KeptList:
    """Keep one ranked list. `settings` are the stored ranking overrides it was ranked with (None when the
    parameters came from elsewhere: then the command line never reads it); `summary` says what the learned
    model found, `interests` are the person's top hashtags. Returns the list as `read_list` would read it back,
    holding `ranking` itself (no second copy of its text)."""
    head = {"format": FORMAT, "stamp": stamp.__dict__, "settings": settings, "params": params,
            "kind": ranking.kind, "mode": ranking.mode, "message": ranking.message, "length": len(ranking),
            "title": title, "summary": summary, "interests": interests}
    top = ranking.frame.head(TOP)
    # "why" is said again when read (its age moves with the clock), from what these name
    records = [{**record, "why": None, AGAIN: {"liked_count": int(row.liked_count), "followed_by":
                int(row.followed_by), "pagerank_position": int(row.pagerank_position)}}
               for record, row in zip(ranking.records(TOP), top.itertuples(index=False), strict=True)]
    text_file, frame_file = files(directory, ranking.kind)
    columns, dtypes = plain_columns(ranking.frame)
    kept = KeptList(ranking.kind, columns, dtypes, ranking.message, ranking.mode, summary, interests)
    kept.__dict__["ranking"] = ranking  # the cached property, given
    try:
        text_file.parent.mkdir(exist_ok=True)
        _replace(frame_file, pickle.dumps({**head, "columns": columns, "dtypes": dtypes},
                                          protocol=pickle.HIGHEST_PROTOCOL))
        _replace(text_file, json.dumps({**head, "records": records}, ensure_ascii=False).encode())
    except OSError as exc:  # a folder that cannot be written: rank afresh next time
        log.info("ranked snapshot not kept: %s", exc)
    return kept


def _replace(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}-{os.getpid()}-{threading.get_ident()}")
    partial.write_bytes(data)
    os.replace(partial, path)  # a reader sees the old file or the new one, never half of one


def read_records(directory: Path, kind: str, data: str | None, settings: dict, top: int, now: float) -> dict | None:
    """The command line's view of a kept list: {"title", "length", "message", "records"} with every record's
    "why" said as of `now`; None unless it holds for the store at data version `data` with these stored
    settings now, and holds `top` records."""
    try:
        head = json.loads(files(directory, kind)[0].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not _holds(head, data, now) or head["settings"] != settings or min(top, head["length"]) > len(head["records"]):
        return None
    records = head["records"][:top]
    for record in records:
        item = SimpleNamespace(username=record["author"], source=record["source"], tag=record["hashtag"] or "",
                               like_count=record["likes"], age_s=float(now - record["taken_at"]),
                               **record.pop(AGAIN))
        record["why"] = explain(item, kind)  # in its place: the JSON printed is Ranking.records' own
    return {**head, "records": records}


@dataclass(frozen=True)
class KeptList:
    """A kept ranked list as the window reads it, without pandas: its columns (numbers as numpy arrays, text as
    lists, in ranked order), what ranked it, the learned model's summary and the person's hashtags."""

    kind: str
    columns: dict[str, np.ndarray | list]
    dtypes: dict[str, str]
    message: str | None
    mode: str
    summary: str | None
    interests: list[str]

    def __len__(self) -> int:
        return len(self.columns["id"])

    @cached_property
    def ranking(self) -> Ranking:
        """The list as a Ranking (this loads pandas; the frame shares the columns' strings)."""
        import pandas as pd

        from discovery.ranking import Ranking

        frame = pd.DataFrame(self.columns, copy=False)
        for name, dtype in self.dtypes.items():
            if str(frame[name].dtype) != dtype:  # e.g. a text column with no text in it
                frame[name] = frame[name].astype(dtype)
        return Ranking(self.kind, frame, self.message, self.mode)


def plain_columns(frame: pd.DataFrame) -> tuple[dict[str, np.ndarray | list], dict[str, str]]:
    """A frame's columns as a KeptList holds them, and their dtypes."""
    columns: dict[str, np.ndarray | list] = {}
    for name in frame.columns:
        column = frame[name]
        columns[name] = column.to_numpy() if column.dtype.kind in "biuf" else column.tolist()
    return columns, {name: str(frame[name].dtype) for name in frame.columns}


def read_list(directory: Path, kind: str, data: str | None, params: dict, now: float) -> KeptList | None:
    """The window's view of a kept list, or None unless it holds for the store at data version `data` with
    these parameters now. Reads no more than pickle and numpy."""
    text_file, frame_file = files(directory, kind)
    try:  # the small file first: most misses (other parameters, new data) never read the frame
        head = json.loads(text_file.read_text(encoding="utf-8"))
        if not _holds(head, data, now) or head["params"] != params:
            return None
        head = pickle.loads(frame_file.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None
    if not _holds(head, data, now) or head["params"] != params:  # the two files may be of different savings
        return None
    try:
        return KeptList(kind, head["columns"], head["dtypes"], head["message"], head["mode"], head["summary"],
                        head["interests"])
    except KeyError:
        return None


def _holds(head: Any, data: str | None, now: float) -> bool:
    """Whether a kept file is of this format and holds now (a file of another shape does not)."""
    try:
        return head["format"] == FORMAT and Stamp(**head["stamp"]).holds_now(data, now)
    except (KeyError, TypeError):
        return False
