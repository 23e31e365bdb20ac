"""The four layouts of Instagram's JSON export, read into one plain `ExportData`.

| layout    | following list                                       | liked / saved posts                     |
|-----------|------------------------------------------------------|-----------------------------------------|
| 2018–2020 | `connections.json` {"following": {user: iso-time}}   | `likes.json`, `saved.json`: [time, who] |
| 2021      | `followers_and_following/following.json`             | `likes/liked_posts.json`, …: titled     |
| 2022–2024 | `connections/followers_and_following/following.json` | `your_instagram_activity/…`: titled     |
| 2025      | as 2022–2024, usernames in `title`                   | bare lists of `label_values` entries    |

Followers are paginated from 2022 (`followers_1.json`, `followers_2.json`, …). Keys written in the account's
language (`"Saved on"`, `"Username"`, `"Owner"`) are matched by known variants, else by position. Every
string goes through `repair_text` (the export's mojibake). Single odd entries are skipped and counted; a
file whose entries all fail, or whose top level is of an unknown shape, is an UnexpectedShape error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from posixpath import basename, dirname

from discovery.export.archive import ExportArchive
from discovery.export.errors import (
    JSON_HOWTO,
    DamagedExport,
    HtmlExport,
    MissingFile,
    NotAnExport,
    UnexpectedShape,
)
from discovery.export.text import HASHTAG, parse_time, post_from_link, text, username, username_from_link

LEGACY, Y2021, Y2022, Y2025 = "2018–2020", "2021", "2022–2024", "2025"

FOLLOWING = ("connections/followers_and_following/following.json", "followers_and_following/following.json")
LIKED = ("your_instagram_activity/likes/liked_posts.json", "likes/liked_posts.json")
SAVED = ("your_instagram_activity/saved/saved_posts.json", "saved/saved_posts.json")
PROFILE = ("personal_information/personal_information/personal_information.json",
           "personal_information/personal_information.json", "account_information/personal_information.json")
LEGACY_CONNECTIONS, LEGACY_LIKES, LEGACY_SAVED, LEGACY_PROFILE = (
    "connections.json", "likes.json", "saved.json", "profile.json")
_TAG = re.compile(r"\w{1,100}")
_FOLLOWERS_FILE = re.compile(r"followers(?:_(\d+))?\.json")
_HTML_NAMES = {"following.html", "followers.html", "followers_1.html", "liked_posts.html", "saved_posts.html",
               "personal_information.html", "start_here.html", "index.html", "connections.html"}
_MARKER_DIRS = ("connections/", "your_instagram_activity/", "personal_information/",
                "followers_and_following/", "account_information/", "ads_information/", "logged_information/",
                "ads_and_content/",
                "security_and_login_information/", "preferences/", "information_about_you/",
                "apps_and_websites_off_of_instagram/", "likes/", "saved/")
_LEGACY_MARKERS = {"profile.json", "likes.json", "media.json", "seen_content.json", "searches.json",
                   "comments.json", "messages.json", "saved.json"}
_EXPORT_NAMES = (re.compile(r"instagram-([a-z0-9._]+)-(\d{4}-\d{2}-\d{2})(?:-\w+)?", re.I),
                 re.compile(r"([a-z0-9._]+)_(\d{8})(?:_part_?\d+)?", re.I))

# Keys the export writes in the account's language: the variants known, case-folded. Unknown languages
# still work where a position fallback exists (the link entry, the owner's username third in its block).
USERNAME_LABELS = {"username", "brugernavn", "benutzername", "nom d'utilisateur", "nom d’utilisateur",
                   "nombre de usuario", "nome utente", "nome de usuário", "gebruikersnaam", "användarnamn",
                   "brukernavn", "käyttäjänimi", "nazwa użytkownika", "kullanıcı adı"}
NAME_LABELS = {"name", "navn", "nom", "nombre", "nome", "naam", "namn", "nimi", "imię i nazwisko", "ad"}
CAPTION_LABELS = {"caption", "billedtekst", "bildunterschrift", "légende", "pie de foto", "didascalia",
                  "legenda", "bijschrift", "bildtext", "bildetekst", "kuvateksti", "opis", "açıklama"}
OWNER_TITLES = {"owner", "ejer", "inhaber", "besitzer", "propriétaire", "propietario", "proprietario",
                "eigenaar", "ägare", "eier", "omistaja", "właściciel", "sahibi"}


@dataclass(frozen=True)
class Relation:
    username: str
    at: int | None  # when the follow began, when the export says


@dataclass(frozen=True)
class PostRef:
    """A liked or saved post as the export names it."""

    owner: str  # the author's username
    at: int | None  # when liked / saved
    shortcode: str | None  # None in 2018–2020 exports, which give only the owner and the time
    kind: str = "p"  # "p", "reel" or "tv": the link's path
    caption: str = ""
    hashtags: tuple[str, ...] = ()
    owner_name: str = ""


@dataclass
class ExportData:
    """Everything the import uses from one export, before anything is written."""

    label: str  # the zip's or folder's name, for messages
    layout: str
    username: str | None
    full_name: str
    following: list[Relation]
    followers: list[Relation]
    liked: list[PostRef]
    saved: list[PostRef]
    exported_at: int  # when the export was made: the newest moment it mentions, the date in its name, or
    # (with neither) when its files were written
    files: list[str] = field(default_factory=list)
    skipped: int = 0  # entries that named no account or post


@dataclass
class ExportFiles:
    """Where one export keeps the files the import reads."""

    layout: str
    following: str
    followers: list[str]
    liked: str | None
    saved: str | None
    profile: str | None

    def all(self) -> list[str]:
        return list(dict.fromkeys(n for n in (self.following, *self.followers, self.liked, self.saved,
                                              self.profile) if n))


def locate(archive: ExportArchive) -> ExportFiles:
    names = set(archive.names)
    following = _find(names, FOLLOWING)
    if following is None:
        if LEGACY_CONNECTIONS in names:
            return ExportFiles(LEGACY, LEGACY_CONNECTIONS, [], _present(names, LEGACY_LIKES),
                               _present(names, LEGACY_SAVED), _present(names, LEGACY_PROFILE))
        raise _why_no_following(archive)
    folder = dirname(following)
    pages = [n for n in names if dirname(n) == folder and _FOLLOWERS_FILE.fullmatch(basename(n))]
    pages.sort(key=lambda n: int(_FOLLOWERS_FILE.fullmatch(basename(n)).group(1) or 0))  # type: ignore[union-attr]
    layout = Y2022 if following.endswith(FOLLOWING[0]) else Y2021
    return ExportFiles(layout, following, pages, _find(names, LIKED), _find(names, SAVED),
                       _find(names, PROFILE))


def _find(names: set[str], candidates: tuple[str, ...]) -> str | None:
    """The first known path present; else the shallowest file of that name anywhere (a moved folder)."""
    for candidate in candidates:
        if candidate in names:
            return candidate
    wanted = basename(candidates[0])
    found = sorted((n for n in names if basename(n) == wanted), key=lambda n: (n.count("/"), n))
    return found[0] if found else None


def _present(names: set[str], name: str) -> str | None:
    return name if name in names else None


def _why_no_following(archive: ExportArchive) -> Exception:
    names = archive.names
    if any(basename(n).lower() in _HTML_NAMES for n in names):
        return HtmlExport(f"{archive.label} is an export in HTML format, and Tessera reads the JSON format. "
                          + JSON_HOWTO)
    if any(n.startswith(_MARKER_DIRS) for n in names) or len(_LEGACY_MARKERS & set(names)) >= 2:
        return MissingFile(f"{archive.label} is an Instagram export without your following list (expected "
                           f"{FOLLOWING[0]}). Request a new download that includes Followers and following, "
                           "in JSON format, and import that.")
    return NotAnExport(f"{archive.label} is not an Instagram data export: it has no {FOLLOWING[0]} (nor "
                       f"{FOLLOWING[1]} or {LEGACY_CONNECTIONS}). Choose the .zip file Instagram sent you, "
                       "or the folder unpacked from it.")


# --- reading files -------------------------------------------------------------------------------------


def load_json(archive: ExportArchive, name: str) -> object:
    where = f"{name} in {archive.label}"
    raw = archive.read(name)
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DamagedExport(f"{where} is not UTF-8 text, so it is not the JSON Instagram writes; download "
                            "the export again from Instagram.") from None
    if content.lstrip()[:1] == "<":
        raise HtmlExport(f"{where} is HTML, not JSON: this export was made in HTML format, and Tessera reads "
                         "the JSON format. " + JSON_HOWTO)
    try:
        return json.loads(content)
    except RecursionError:
        raise DamagedExport(f"{where} is nested far deeper than Instagram's JSON ever is; it was not "
                            "read.") from None
    except json.JSONDecodeError as exc:
        raise DamagedExport(f"{where} is not valid JSON ({exc.msg} at line {exc.lineno}, column "
                            f"{exc.colno}); the file is damaged. Download the export again from "
                            "Instagram.") from None
    except ValueError as exc:
        if "integer string conversion" in str(exc):  # Python's guard against numbers of thousands of digits
            raise DamagedExport(f"A number in {where} is too long (thousands of digits); the file is damaged. "
                                "Download the export again from Instagram.") from None
        raise DamagedExport(f"{where} holds JSON Tessera cannot read ({exc}).") from None


class FileReader:
    """Parses one file's entries, counting the ones skipped; raises UnexpectedShape naming the file."""

    def __init__(self, where: str, latest: int, check: Callable[[], None] = lambda: None):
        self.where = where
        self.latest = latest
        self.check = check  # called every few thousand entries: a cancel stops a long file
        self.skipped = 0
        self.new_shapes = False  # 2025 shapes seen (usernames in titles, label_values posts)

    def shape_error(self, expected: str, found: object) -> UnexpectedShape:
        return UnexpectedShape(f"{self.where} does not have the shape of Instagram's export: expected "
                               f"{expected}, found {describe(found)}.")

    def entries(self, data: object, keys: tuple[str, ...], expected: str) -> list:
        """The list of entries: bare, under a known wrapper key, or under the one list-valued key."""
        if isinstance(data, list):
            return data
        if isinstance(data, dict):
            for key in keys:
                if isinstance(data.get(key), list):
                    return data[key]
            lists = [value for value in data.values() if isinstance(value, list)]
            if len(lists) == 1:
                return lists[0]
        raise self.shape_error(expected, data)

    def relations(self, entries: list) -> list[Relation]:
        found = [r for r in map(self.relation, self._checked(entries)) if r is not None]
        self._check(entries, found, 'an account as {"string_list_data": [{"value": username, …}]}')
        return found

    def relation(self, entry: object) -> Relation | None:
        if not isinstance(entry, dict):
            self.skipped += 1
            return None
        item = _first_item(entry)
        name = username(text(item.get("value")))
        if name is None:
            name = username(text(entry.get("title")))
            self.new_shapes |= name is not None
        name = name or username_from_link(item.get("href"))
        if name is None:
            self.skipped += 1
            return None
        return Relation(name, parse_time(item.get("timestamp"), self.latest))

    def legacy_relations(self, data: object, key: str, required: bool) -> list[Relation]:
        if not isinstance(data, dict):
            raise self.shape_error("an object with the lists following and followers", data)
        value = data.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, dict):
            raise self.shape_error(f'"{key}" as an object of username: time', value)
        found = []
        for name, when in value.items():
            name = username(text(name))
            if name is None:
                self.skipped += 1
            else:
                found.append(Relation(name, parse_time(when, self.latest)))
        self._check(list(value), found, "an account by its username")
        return found

    def posts(self, entries: list) -> list[PostRef]:
        found = [p for p in map(self.post, self._checked(entries)) if p is not None]
        self._check(entries, found, "a post by its owner and its link or time")
        return found

    def post(self, entry: object) -> PostRef | None:
        if isinstance(entry, list):  # 2018–2020: [time, owner]
            ref = None
            if len(entry) >= 2:
                owner, at = username(text(entry[1])), parse_time(entry[0], self.latest)
                ref = PostRef(owner, at, None) if owner and at else None
        elif isinstance(entry, dict) and isinstance(entry.get("label_values"), list):
            self.new_shapes = True
            ref = self.labelled_post(entry)
        elif isinstance(entry, dict):
            ref = self.titled_post(entry)
        else:
            ref = None
        if ref is None:
            self.skipped += 1
        return ref

    def titled_post(self, entry: dict) -> PostRef | None:
        """2021–2024: {"title": owner, "string_list_data" or "string_map_data": [{href, timestamp}]}."""
        owner = username(text(entry.get("title")))
        item = _first_item(entry)
        at = parse_time(item.get("timestamp"), self.latest)
        link = post_from_link(item.get("href")) or post_from_link(item.get("value"))
        if owner is None or (link is None and at is None):
            return None
        kind, shortcode = link or ("p", None)
        return PostRef(owner, at, shortcode, kind)

    def labelled_post(self, entry: dict) -> PostRef | None:
        """2025: {"timestamp", "label_values": [URL, Caption, Title, {Hashtags}, {Owner}]}."""
        at = parse_time(entry.get("timestamp"), self.latest)
        values = [v for v in entry["label_values"] if isinstance(v, dict)]
        plain = [v for v in values if not isinstance(v.get("dict"), list)]
        blocks = [v for v in values if isinstance(v.get("dict"), list)]
        links = [post_from_link(v.get("href")) or post_from_link(v.get("value")) for v in plain]
        link = next((found for found in links if found), None)
        captions = [text(v.get("value")) for v in plain if _label(v) in CAPTION_LABELS]
        if not captions:  # by position: the first plain value after the link
            captions = [text(v.get("value")) for v, found in zip(plain, links, strict=True) if not found][:1]
        caption = captions[0] if captions else ""
        owner, owner_name, owner_block = _owner(blocks)
        owner = owner or username(text(entry.get("title")))
        if owner is None or (link is None and at is None):
            return None
        tags = [text(row[0].get("value")) for block in blocks if block is not owner_block
                for row in _rows(block) if len(row) == 1]
        tags += HASHTAG.findall(caption)
        hashtags = tuple(dict.fromkeys(t.lower() for t in (t.lstrip("#") for t in tags) if _TAG.fullmatch(t)))
        kind, shortcode = link or ("p", None)
        return PostRef(owner, at, shortcode, kind, caption, hashtags, owner_name)

    def _checked(self, entries: list) -> Iterator:
        for start in range(0, len(entries), 2000):
            self.check()
            yield from entries[start:start + 2000]

    def _check(self, entries: list, found: list, expected: str) -> None:
        if entries and not found:
            raise UnexpectedShape(f"{self.where} does not have the shape of Instagram's export: none of its "
                                  f"{len(entries):,} entries names {expected}.")


def _first_item(entry: dict) -> dict:
    """The entry's one data item: string_list_data[0], or the first value of string_map_data, whose key is
    in the account's language ("Saved on", "Gemt den", …), so it is taken by position."""
    items = entry.get("string_list_data")
    if isinstance(items, list) and items and isinstance(items[0], dict):
        return items[0]
    mapping = entry.get("string_map_data")
    if isinstance(mapping, dict):
        for value in mapping.values():
            if isinstance(value, dict) and ("href" in value or "timestamp" in value):
                return value
    return {}


def _label(value: dict) -> str:
    return text(value.get("label")).strip().casefold()


def _rows(block: dict) -> list[list[dict]]:
    """The label/value rows of a label_values block: {"dict": [{"dict": [{"label", "value"}, …]}, …]}."""
    rows = []
    for inner in block["dict"]:
        if isinstance(inner, dict) and isinstance(inner.get("dict"), list):
            rows.append([item for item in inner["dict"] if isinstance(item, dict)])
    return rows


def _owner(blocks: list[dict]) -> tuple[str | None, str, dict | None]:
    """(username, full name, block) of a 2025 post's owner: by the known labels, else the third of
    URL, Name, Username."""
    ordered = sorted(blocks, key=lambda b: text(b.get("title")).strip().casefold() not in OWNER_TITLES)
    rows = [(block, [(_label(item), text(item.get("value"))) for item in row])
            for block in ordered for row in _rows(block)]
    for block, row in rows:
        name = next((username(v) for k, v in row if k in USERNAME_LABELS and username(v)), None)
        if name:
            return name, next((v for k, v in row if k in NAME_LABELS), ""), block
    for block, row in rows:
        if len(row) >= 3 and username(row[2][1]):
            return username(row[2][1]), row[1][1], block
    return None, "", None


def profile_owner(data: object) -> tuple[str | None, str]:
    """(username, full name) from profile.json (2018–2020) or personal_information.json (2021 on)."""
    if isinstance(data, dict) and "profile_user" not in data:
        return username(text(data.get("username"))), text(data.get("name"))
    users = data.get("profile_user") if isinstance(data, dict) else None
    if isinstance(users, list) and users and isinstance(users[0], dict):
        mapping = users[0].get("string_map_data")
        if isinstance(mapping, dict):
            values = {text(k).strip().casefold(): v for k, v in mapping.items() if isinstance(v, dict)}
            names = [username(text(v.get("value"))) for k, v in values.items() if k in USERNAME_LABELS]
            full = next((text(v.get("value")) for k, v in values.items() if k in NAME_LABELS), "")
            return next((n for n in names if n), None), full
    return None, ""


def owner_from_name(name: str) -> tuple[str | None, int | None]:
    """(username, date) from the name Instagram gives the download: instagram-<user>-<yyyy-mm-dd>-<id>.zip
    (2022 on) or <user>_<yyyymmdd>.zip (before)."""
    stem = re.sub(r"\s*\(\d+\)$", "", re.sub(r"\.zip$", "", name.strip(), flags=re.I))
    for pattern in _EXPORT_NAMES:
        match = pattern.fullmatch(stem)
        if match:
            digits = match.group(2).replace("-", "")
            try:
                day = datetime.strptime(digits, "%Y%m%d").replace(tzinfo=UTC)
            except ValueError:
                continue
            return username(match.group(1)), int(day.timestamp())
    return None, None


def describe(value: object) -> str:
    if isinstance(value, dict):
        keys = ", ".join(json.dumps(str(k)[:40], ensure_ascii=False) for k in list(value)[:4])
        keys += ", …" if len(value) > 4 else ""
        return f"an object with keys {keys}" if value else "an empty object"
    if isinstance(value, list):
        return f"a list of {len(value):,} items"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "a number" if isinstance(value, int | float) else "a string"
