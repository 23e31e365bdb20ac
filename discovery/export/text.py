"""Strings, times, usernames and links as Instagram's data export writes them."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

# No Instagram event predates its launch (October 2010); 0 is what the export writes for "no time".
EARLIEST = 1262304000  # 2010-01-01
USERNAME = re.compile(r"[a-z0-9._]{1,64}")  # Instagram allows 30; a little slack for old accounts
SHORTCODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_SHORTCODE_VALUE = {c: i for i, c in enumerate(SHORTCODE_ALPHABET)}
_POST_PATH = re.compile(r"/(?:[^/]+/)?(p|reel|reels|tv)/([A-Za-z0-9_-]{5,})/?$")
_PROFILE_PATH = re.compile(r"/(?:_u/)?([A-Za-z0-9._]{1,64})/?$")
HASHTAG = re.compile(r"#(\w+)")
_SURROGATE = re.compile("[\ud800-\udfff]")


def repair_text(value: str) -> str:
    """Undo the export's mojibake, where UTF-8 bytes were written as Latin-1 code points ("cafÃ©" -> "café").

    Applied per string: a string that is not such mojibake (plain ASCII, or already proper text) is kept.
    Lone surrogates, which JSON allows and SQLite does not, become U+FFFD.
    """
    if value.isascii():
        return value
    try:
        value = value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return _SURROGATE.sub("\ufffd", value)


def text(value: object) -> str:
    """A repaired string, or "" for anything that is not a string."""
    return repair_text(value) if isinstance(value, str) else ""


def parse_time(value: object, latest: int) -> int | None:
    """UTC epoch seconds from an epoch number or an ISO-8601 string; None when absent or implausible
    (before 2010 or after `latest`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if value.isascii() and value.isdigit() and len(value) <= 12:
            value = int(value)
        else:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)  # the 2018–2020 export writes UTC without an offset
            value = moment.timestamp()
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        value = int(value)
    if isinstance(value, int) and EARLIEST <= value <= latest:
        return value
    return None


def username(value: object) -> str | None:
    """A plausible Instagram username (lower-cased), or None."""
    if not isinstance(value, str):
        return None
    value = value.strip().lstrip("@").lower()
    return value if USERNAME.fullmatch(value) and value.strip(".") else None


def username_from_link(value: object) -> str | None:
    """The username of a profile link: https://www.instagram.com/<name> or .../_u/<name>."""
    path = _instagram_path(value)
    match = _PROFILE_PATH.fullmatch(path) if path else None
    if not match or match.group(1).lower() in {"p", "reel", "reels", "tv", "stories", "explore"}:
        return None
    return username(match.group(1))


def post_from_link(value: object) -> tuple[str, str] | None:
    """(kind, shortcode) of a post link such as https://www.instagram.com/reel/DFAKE000001/; kind is
    "p", "reel" or "tv"."""
    path = _instagram_path(value)
    match = _POST_PATH.search(path) if path else None
    if not match:
        return None
    kind = "reel" if match.group(1) == "reels" else match.group(1)
    return kind, match.group(2)


def media_pk(shortcode: str) -> str:
    """The media pk a shortcode encodes (base64 over Instagram's alphabet; the first 11 characters, as
    instagrapi's `media_pk_from_code` does)."""
    number = 0
    for char in shortcode[:11]:
        number = number * 64 + _SHORTCODE_VALUE[char]
    return str(number)


def _instagram_path(value: object) -> str | None:
    if not isinstance(value, str) or len(value) > 2000 or "instagram.com" not in value.lower():
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host != "instagram.com" and not host.endswith(".instagram.com"):
        return None
    return parts.path
