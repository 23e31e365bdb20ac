"""Posts for like prediction as one frame, from a Tessera store or from a CSV in the gvsi `posts.csv` shape.

Columns of a post table (one row per post with a known like count):

    author, post            text ids
    taken_at                UTC epoch seconds
    order                   0, 1, 2 ... chronological position within the author (ties already broken)
    likes                   the like count when it was observed
    observed_at             UTC epoch seconds the count was read (NaN when unknown)
    followers, following, media_count     the author's counts (NaN when unknown)
    caption, hashtags (tuple of lower-case tags without '#'), mentions (count), has_location (bool)
    media_type (1 photo, 2 video, 8 carousel), is_reel (bool), carousel_count (NaN when unknown)
    image                   path of the post's image on disk, or None
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from discovery.clock import DAY
from storage import ImageCache, Store

COLUMNS = ["author", "post", "taken_at", "order", "likes", "observed_at", "followers", "following",
           "media_count", "caption", "hashtags", "mentions", "has_location", "media_type", "is_reel",
           "carousel_count", "image"]
NUMERIC = {"taken_at", "order", "likes", "observed_at", "followers", "following", "media_count", "mentions",
           "media_type", "carousel_count"}
REQUIRED_CSV = ("alias", "date", "numberLikes")
# Instagram opened in October 2010; earlier dates in a dataset are placeholders (1970-01-01 in gvsi).
EARLIEST = 1_285_000_000
# A post's shortcode is its media id in base 64; the id's bits above the lowest 23 count milliseconds since
# this moment (2011-08-24), which dates the post to the millisecond.
SHORTCODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
MEDIA_ID_EPOCH_MS = 1_314_220_021_721

HASHTAG = re.compile(r"#(\w+)", re.UNICODE)
SAFE_KEY = re.compile(r"[A-Za-z0-9_.-]+")  # a key the image cache files under its own name
MENTION = re.compile(r"@([\w.]+)", re.UNICODE)


class DatasetError(ValueError):
    """A dataset that cannot be read as posts; str() is a sentence naming the file."""


def hashtags_in(text: str) -> tuple[str, ...]:
    """The hashtags of a caption, lower case, without '#', in order, without repeats."""
    return tuple(dict.fromkeys(tag.lower() for tag in HASHTAG.findall(text or "")))


def mentions_in(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name.lower().rstrip(".") for name in MENTION.findall(text or "")))


def finish(table: pd.DataFrame, newest_first_ties: np.ndarray | None = None) -> pd.DataFrame:
    """Sort by author and time, number each author's posts chronologically, keep the standard columns.

    `newest_first_ties`: a per-row key that orders posts sharing a timestamp (smaller is earlier)."""
    table = table.copy()
    table["_tie"] = np.arange(len(table)) if newest_first_ties is None else newest_first_ties
    table = table.sort_values(["author", "taken_at", "_tie"], kind="stable").reset_index(drop=True)
    table["order"] = table.groupby("author", sort=False).cumcount()
    return table[COLUMNS]


# --- CSV (the gvsi posts.csv shape) -------------------------------------------------------------------


def _list_cell(value, prefix: str) -> tuple[str, ...]:
    """A JSON list cell (`["#a", "#b"]`) or a plain space/comma separated one, normalised."""
    if not isinstance(value, str) or not value.strip():
        return ()
    text = value.strip()
    items: list
    if text.startswith("["):
        try:
            items = json.loads(text)
        except ValueError:
            items = re.split(r"[\s,]+", text.strip("[]"))
    else:
        items = re.split(r"[\s,]+", text)
    out = (str(item).strip().strip("'\"").lstrip(prefix).lower() for item in items)
    return tuple(dict.fromkeys(item for item in out if item))


def _epoch(values: pd.Series) -> pd.Series:
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().mean() > 0.5:
        return numeric.where(numeric < 1e11, numeric / 1000)  # seconds, or milliseconds
    parsed = pd.to_datetime(values, utc=True, errors="coerce", format="mixed")
    return (parsed - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)


def shortcode_time(code) -> float:
    """The posting time (UTC epoch seconds) a shortcode's media id holds; NaN for anything else."""
    if not isinstance(code, str) or not code or len(code) > 12 or code.strip(SHORTCODE_ALPHABET):
        return math.nan
    media_id = 0
    for char in code:
        media_id = media_id * 64 + SHORTCODE_ALPHABET.index(char)
    return ((media_id >> 23) + MEDIA_ID_EPOCH_MS) / 1000


def _posting_times(raw: pd.DataFrame, dates: pd.Series) -> pd.Series:
    """Each row's posting time: its shortcode's when that falls on the row's date (gvsi's dates carry the day
    only), else the date itself. An older id, a longer code or another kind of id tells no time, and a
    time off the row's date means the code is not a media id's: those rows keep their date."""
    if "shortcode" not in raw.columns:
        return dates
    decoded = pd.Series([shortcode_time(code) for code in raw["shortcode"]], index=dates.index, dtype=float)
    on_date = (decoded >= dates) & (decoded < dates + DAY)
    return decoded.where(on_date, dates)


def _flag(values: pd.Series) -> pd.Series:
    return values.astype(str).str.strip().str.lower().isin(("true", "1", "yes"))


def _read_raw(path: Path) -> pd.DataFrame:
    """The CSV's cells as text, with the required columns checked."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except FileNotFoundError:
        raise DatasetError(f"{path} does not exist.") from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, IsADirectoryError) as exc:
        raise DatasetError(f"{path} is not a readable CSV file ({type(exc).__name__}).") from None
    missing = [c for c in REQUIRED_CSV if c not in raw.columns]
    if missing:
        raise DatasetError(f"{path} lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                           f"that like evaluation needs ({', '.join(REQUIRED_CSV)} are required).")
    return raw


def _observed(raw: pd.DataFrame, taken: pd.Series, note: dict) -> pd.Series:
    """When each like count was read: the `fetched_at` column, else one day after the latest post."""
    if "fetched_at" in raw.columns:
        note["observed_at"] = "the fetched_at column"
        return _epoch(raw["fetched_at"])
    day = pd.Timestamp(taken.max() + DAY, unit="s")
    note["observed_at"] = f"one day after the latest post ({day:%Y-%m-%d})"
    return pd.Series(float(taken.max() + DAY), index=raw.index)


def _posts(raw: pd.DataFrame, taken: pd.Series, likes: pd.Series, observed: pd.Series) -> pd.DataFrame:
    """The post table's columns from the CSV's rows (not yet sorted)."""

    def column(name: str, default=np.nan) -> pd.Series:
        return raw[name] if name in raw.columns else pd.Series(default, index=raw.index)

    captions = column("description", "").fillna("").astype(str)
    tags = [_list_cell(v, "#") for v in column("tags", "")] if "tags" in raw.columns \
        else [hashtags_in(c) for c in captions]
    mentions = [len(_list_cell(v, "@")) for v in column("mentions", "")] if "mentions" in raw.columns \
        else [len(mentions_in(c)) for c in captions]
    carousel = _flag(column("multipleImage", "false"))
    video = _flag(column("isVideo", "false"))
    return pd.DataFrame({
        "author": raw["alias"].astype(str).str.lower(),
        "post": [code if isinstance(code, str) and code else f"row-{i}"
                 for i, code in zip(raw.index, column("shortcode", None), strict=True)],
        "taken_at": taken.astype(np.int64),
        "likes": likes.astype(float).to_numpy(),
        "observed_at": observed.astype(float),
        "followers": pd.to_numeric(column("numberFollowers"), errors="coerce"),
        "following": pd.to_numeric(column("numberFollowing"), errors="coerce"),
        "media_count": pd.to_numeric(column("numberPosts"), errors="coerce"),
        "caption": captions,
        "hashtags": tags,
        "mentions": mentions,
        "has_location": column("localization", "").fillna("").astype(str).str.strip().ne(""),
        "media_type": np.where(video, 2, np.where(carousel, 8, 1)),
        "is_reel": False,
        "carousel_count": np.where(carousel, np.nan, 1.0),
        "image": None,
    })


def read_csv(path: str | Path) -> tuple[pd.DataFrame, dict]:
    """A post table from a CSV with the gvsi `posts.csv` columns, and a note of what was dropped and assumed.

    `alias`, `date` and `numberLikes` are required. When the file has no `fetched_at` column, every like
    count is taken as read one day after the file's latest post (gvsi was scraped on 2017-05-01), and the
    note's `read_up_to_days_earlier` says how much sooner it may have been. A post's time comes from its
    `shortcode` where that holds one on the row's date. Rows listed newest first within an author (gvsi's
    order) break same-day ties that way round."""
    path = Path(path)
    raw = _read_raw(path)
    taken = _epoch(raw["date"])
    likes = pd.to_numeric(raw["numberLikes"], errors="coerce")
    keep = taken.notna() & (taken >= EARLIEST) & likes.notna() & (likes >= 0) & raw["alias"].notna()
    note: dict[str, object] = {"rows": len(raw), "dropped_bad_date": int((taken.isna() | (taken < EARLIEST)).sum()),
            "dropped_bad_likes": int((likes.isna() | (likes < 0)).sum())}
    raw, taken, likes = raw[keep].reset_index(drop=True), taken[keep].reset_index(drop=True), likes[keep]
    if raw.empty:
        raise DatasetError(f"{path} has no row with an author, a date and a like count.")
    observed = _observed(raw, taken, note)  # from the dates: the assumed read time stays as it was
    posted = _posting_times(raw, taken)
    note["time_from_shortcode"] = int((posted != taken).sum())
    if "fetched_at" not in raw.columns:
        # The assumed read is the latest it can be; the real one came after the latest post, maybe that much
        # sooner. evaluate_table widens the intervals of young counts by it.
        note["read_up_to_days_earlier"] = round(float(observed.max() - posted.max()) / DAY, 4)
    table = _posts(raw, posted, likes, observed)
    # Same-day posts: keep the file's own order, read newest first if that is how the file lists them.
    step = table.groupby("author", sort=False)["taken_at"].diff()
    newest_first = (step < 0).sum() > (step > 0).sum()
    ties = -np.arange(len(table)) if newest_first else np.arange(len(table))
    note["listed_newest_first"] = bool(newest_first)
    return finish(table, ties), note


def empty() -> pd.DataFrame:
    """A post table without rows."""
    return pd.DataFrame({c: pd.Series([], dtype=float if c in NUMERIC else object) for c in COLUMNS})


# --- the store -----------------------------------------------------------------------------------------


def image_file(images: ImageCache | None, post_pk: str, image_path: str | None) -> str | None:
    """A post's image on disk: its recorded path (absolute or inside the cache), else the cache's file."""
    candidates = []
    if image_path:
        candidates.append(Path(image_path))
        if images is not None:
            candidates.append(images.directory / image_path)
    if images is not None:
        candidates.append(images.path_for(post_pk))
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    return None


def _image_files(images: ImageCache | None, pks: list[str], recorded: list) -> list[str | None]:
    """image_file for many posts, listing the cache's folders once instead of asking for each file."""
    names: set[str] = set()
    if images is not None and images.directory.is_dir():
        for folder in os.scandir(images.directory):
            if folder.is_dir():
                names.update(os.listdir(folder.path))
    out = []
    for pk, path in zip(pks, recorded, strict=True):
        if path or (images is not None and not SAFE_KEY.fullmatch(pk)):
            out.append(image_file(images, pk, path))
        elif images is not None and f"{pk}.jpg" in names:
            out.append(str(images.path_for(pk)))
        else:
            out.append(None)
    return out


def from_store(store: Store, images: ImageCache | None = None, author_ids=None) -> pd.DataFrame:
    """The post table of a store: every fetched post with a like count (optionally of some authors)."""
    cols = ["id", "pk", "author_id", "taken_at", "media_type", "product_type", "like_count", "carousel_count",
            "location", "caption", "fetched_at", "image_path"]
    posts = store.posts_frame(author_ids=author_ids, columns=cols)
    posts = posts[posts["like_count"].notna()].reset_index(drop=True)
    if posts.empty:
        return empty()
    accounts = store.accounts_frame(sorted(set(posts["author_id"].astype(int)))).set_index("id")
    tags = store.hashtags_frame(posts["id"].tolist())
    tags_by_post: dict = {}
    for post_id, tag in zip(tags["post_id"].tolist(), tags["tag"].tolist(), strict=True):
        tags_by_post.setdefault(post_id, []).append(tag)
    tags_by_post = {post_id: tuple(found) for post_id, found in tags_by_post.items()}
    mentions = store.mentions_frame(posts["id"].tolist())
    mention_counts = mentions.groupby("post_id").size().to_dict() if len(mentions) else {}
    author = posts["author_id"].astype(int)
    media_type = posts["media_type"].astype(int)
    table = pd.DataFrame({
        "author": accounts["pk"].reindex(author).to_numpy(),
        "post": posts["pk"].astype(str),
        "taken_at": posts["taken_at"].astype(np.int64),
        "likes": posts["like_count"].astype(float),
        "observed_at": pd.to_numeric(posts["fetched_at"], errors="coerce").astype(float),
        "followers": pd.to_numeric(accounts["follower_count"].reindex(author), errors="coerce").to_numpy(),
        "following": pd.to_numeric(accounts["following_count"].reindex(author), errors="coerce").to_numpy(),
        "media_count": pd.to_numeric(accounts["media_count"].reindex(author), errors="coerce").to_numpy(),
        "caption": posts["caption"].fillna("").astype(str),
        "hashtags": [tags_by_post.get(i, ()) for i in posts["id"]],
        "mentions": [mention_counts.get(i, 0) for i in posts["id"]],
        "has_location": posts["location"].fillna("").astype(str).str.strip().ne(""),
        "media_type": media_type,
        "is_reel": posts["product_type"].fillna("").eq("clips"),
        "carousel_count": np.where(media_type != 8, 1.0,
                                   posts["carousel_count"].astype(float).replace(0.0, np.nan)),
        "image": _image_files(images, posts["pk"].astype(str).tolist(), posts["image_path"].tolist()),
    })
    return finish(table, posts["id"].to_numpy())


def like_series(store: Store, table: pd.DataFrame) -> pd.DataFrame:
    """The like counts syncs read of the table's posts: post, observed_at, likes (empty when none)."""
    reads = store.like_counts_frame()
    ids = store.post_ids(table["post"].tolist()) if len(reads) else {}
    pk = pd.Series(list(ids.keys()), index=list(ids.values()), dtype=object)
    reads = reads[reads["post_id"].isin(pk.index)]
    return pd.DataFrame({"post": pk.reindex(reads["post_id"]).to_numpy(),
                         "observed_at": reads["observed_at"].to_numpy(dtype=float),
                         "likes": reads["like_count"].to_numpy(dtype=float)})
