"""What the export tests share: the fixture exports, what each holds and how it is handed over, a writer of
one person's export in any layout (the sync tests and the import benchmark use it too), and readers of
the store's rows."""

from __future__ import annotations

import calendar
import json
import shutil
import sqlite3
import time
import zipfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from store_rows import dump  # noqa: F401 (the tests import it from here)

from discovery.export import media_pk
from discovery.export.importer import LEGACY_POST_PREFIX
from storage import Store

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"  # written by fixtures/make_exports.py
OWNER = "owner.example"


# --- copies, archives and the store's rows -----------------------------------------------------------------


def utc(text: str) -> int:
    """Epoch seconds of a UTC ISO time written without offset, as the 2018–2020 export does."""
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%S"))


def copy_layout(layout: str, dest: Path) -> Path:
    shutil.copytree(EXPORTS / layout, dest)
    return dest


def zip_folder(folder: Path, target: Path, wrap: str | None = None) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix()
                archive.write(path, f"{wrap}/{name}" if wrap else name)
    return target




def usernames(store: Store) -> dict[int, str]:
    frame = store.accounts_frame()
    return dict(zip(frame["id"].astype(int), frame["username"], strict=True))


def my_id(store: Store) -> int:
    return store.account_id(store.me())


def following(store: Store) -> dict[str, tuple[int, int, bool]]:
    """Whom I follow: username -> (first seen, last seen, current)."""
    names = usernames(store)
    frame = store.follows_frame(my_id(store))
    return {names[int(r.target_id)]: (int(r.first_seen), int(r.last_seen), bool(r.current))
            for r in frame.itertuples()}


def followers(store: Store) -> dict[str, int]:
    """Who follows me: username -> first seen."""
    names, me = usernames(store), my_id(store)
    src, dst = store.edges()
    out = {}
    for source in src[dst == me].tolist():
        frame = store.follows_frame(source)
        out[names[source]] = int(frame.loc[frame["target_id"] == me, "first_seen"].iloc[0])
    return out


def stub_posts(store: Store) -> dict[str, tuple]:
    """Every post row: pk -> (shortcode, author username, taken_at, product_type, caption)."""
    names = usernames(store)
    with closing(sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT pk, shortcode, author_id, taken_at, product_type, caption FROM posts")
        rows = rows.fetchall()
    return {pk: (code, names[author], taken, product, caption)
            for pk, code, author, taken, product, caption in rows}


def likes(store: Store) -> set[tuple[str, str, int | None, str]]:
    """(post pk, author username, liked at, origin) of every like."""
    names = usernames(store)
    frame = store.likes_frame()
    pks = {v: k for k, v in store.post_ids(list(stub_posts(store))).items()}
    return {(pks[int(r.post_id)], names[int(r.author_id)],
             None if r.liked_at != r.liked_at else int(r.liked_at), r.origin) for r in frame.itertuples()}


def saves(store: Store) -> set[tuple[str, int]]:
    frame = store.interactions_frame()
    pks = {v: k for k, v in store.post_ids(list(stub_posts(store))).items()}
    assert set(frame["kind"]) <= {"saved"}
    return {(pks[int(r.post_id)], int(r.at)) for r in frame.itertuples()}


# --- the fixture exports -----------------------------------------------------------------------------------

# What each fixture holds, read off its JSON files by hand.
EXPECTED = {
    "legacy_2018_2020": dict(
        layout="2018–2020",
        following={"ada.sample": utc("2019-04-05T16:10:00"), "bo_sample": utc("2018-12-01T07:30:00")},
        followers={"ada.sample": utc("2019-04-06T11:00:00"), "eli.sample": utc("2020-03-01T20:00:00")},
        likes={(f"{LEGACY_POST_PREFIX}ada.sample:{utc('2020-07-02T18:30:00')}", "ada.sample",
                utc("2020-07-02T18:30:00")),
               (f"{LEGACY_POST_PREFIX}bo_sample:{utc('2020-06-28T09:15:00')}", "bo_sample",
                utc("2020-06-28T09:15:00"))},
        saved={(f"{LEGACY_POST_PREFIX}bo_sample:{utc('2020-05-10T14:00:00')}", "bo_sample",
                utc("2020-05-10T14:00:00"))},
        shortcodes={}, exported_at=utc("2020-07-02T18:30:00"), full_name="Oona Owner",
        sentence="2 following, 2 followers, 2 liked posts since 2020-06-28, 1 saved post."),
    "layout_2021": dict(
        layout="2021",
        following={"ada.sample": 1634000000, "bo_sample": 1602000000},
        followers={"ada.sample": 1609000000, "eli.sample": 1613000000},
        likes={(media_pk("CTEST000001"), "ada.sample", 1587000000),
               (media_pk("CTEST000002"), "bo_sample", 1586500000)},
        saved={(media_pk("CTEST000003"), "bo_sample", 1621000000)},
        shortcodes={"CTEST000001": "feed", "CTEST000002": "feed", "CTEST000003": "feed"},
        exported_at=1635811200, full_name="",  # the date in the download's name, 2021-11-02
        sentence="2 following, 2 followers, 2 liked posts since 2020-04-10, 1 saved post."),
    "layout_2023": dict(
        layout="2022–2024",
        following={"ada.sample": 1699100000, "bo_sample": 1698100000},
        followers={"ada.sample": 1700100000, "eli.sample": 1701100000},
        likes={(media_pk("CTEST000004"), "ada.sample", 1702100000)},
        saved={(media_pk("CTEST000005"), "bo_sample", 1703100000)},
        shortcodes={"CTEST000004": "feed", "CTEST000005": "clips"},
        exported_at=1704412800, full_name="",  # the date in the download's name, 2024-01-05
        sentence="2 following, 2 followers, 1 liked post since 2023-12-09, 1 saved post."),
    "layout_2025": dict(
        layout="2025",
        following={"ada.sample": 1776200000, "bo_sample": 1774200000},
        followers={"ada.sample": 1778150000, "eli.sample": 1776400000},
        likes={(media_pk("DTEST000001"), "ada.sample", 1778000000),
               (media_pk("DTEST000002"), "bo_sample", 1777500000)},
        saved={(media_pk("DTEST000003"), "cy.sample", 1775400000)},
        shortcodes={"DTEST000001": "clips", "DTEST000002": "feed", "DTEST000003": "clips"},
        exported_at=1778150000, full_name="",  # the newest time it holds, later than the name's 2026-05-07
        sentence="2 following, 2 followers, 2 liked posts since 2026-04-29, 1 saved post."),
}

# How each fixture is handed over: as a folder or a zip, under the name Instagram gives the download.
HANDED_AS = {
    "legacy_2018_2020": ("folder", "export"),  # profile.json names the owner
    "layout_2021": ("zip", f"{OWNER}_20211102.zip"),
    "layout_2023": ("zip", f"instagram-{OWNER}-2024-01-05-AbCdEfGh.zip"),
    "layout_2025": ("folder", f"instagram-{OWNER}-2026-05-07-XyZ123"),
}


def handed_over(tmp_path: Path, layout: str) -> Path:
    how, name = HANDED_AS[layout]
    if how == "folder":
        return copy_layout(layout, tmp_path / name)
    folder = copy_layout(layout, tmp_path / "unpacked" / layout)
    return zip_folder(folder, tmp_path / name)


# --- one person, any layout --------------------------------------------------------------------------------

PERSON = dict(
    owner=OWNER, full_name="Zoë Ówner 🌸",
    following={"alice.example": 1601000000, "bob_example": 1602000000, "dave_example": 1603000000},
    followers={"alice.example": 1604000000, "erin.example": 1605000000, "frank.example": 1606000000},
    liked=[("alice.example", "CFAKE000010", 1607000000, "Ålice Éxample"),
           ("grace.example", "CFAKE000011", 1608000000, "Grâce 🎈")],
    saved=[("bob_example", "CFAKE000012", 1609000000, "Bob Example")],
)


def mojibake(text: str) -> str:
    """What the export does to non-ASCII text: UTF-8 bytes written as Latin-1 code points."""
    return text.encode("utf-8").decode("latin-1")


def write(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="ascii")  # \u00c3-style escapes, like Instagram


def iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def relation(name: str, at: int, new: bool = False) -> dict:
    if new:
        return {"title": name, "string_list_data": [{"href": f"https://www.instagram.com/_u/{name}",
                                                     "timestamp": at}]}
    return {"title": "", "media_list_data": [], "string_list_data": [
        {"href": f"https://www.instagram.com/{name}", "value": name, "timestamp": at}]}


def labelled(owner: str, code: str, at: int, full_name: str) -> dict:
    url = f"https://www.instagram.com/p/{code}/"
    return {"timestamp": at, "media": [], "fbid": "1", "label_values": [
        {"label": "URL", "value": url, "href": url}, {"label": "Caption", "value": mojibake("ça va ✨")},
        {"label": "Title", "value": ""}, {"title": "Hashtags", "dict": []},
        {"title": "Owner", "dict": [{"title": "", "dict": [
            {"label": "URL", "value": ""}, {"label": "Name", "value": mojibake(full_name)},
            {"label": "Username", "value": owner}]}]}]}


def profile(person: dict) -> dict:
    return {"profile_user": [{"title": "", "media_map_data": {}, "string_map_data": {
        "Email": {"href": "", "value": "someone@example.com", "timestamp": 0},
        "Username": {"href": "", "value": person["owner"], "timestamp": 0},
        "Name": {"href": "", "value": mojibake(person["full_name"]), "timestamp": 0}}}]}


def render(person: dict, layout: str, dest: Path) -> Path:
    """The person's export as Instagram wrote it in that layout."""
    follows = [relation(n, t, new=layout == "2025") for n, t in person["following"].items()]
    fans = [relation(n, t) for n, t in person["followers"].items()]
    url = "https://www.instagram.com/p/{}/".format
    if layout == "legacy":
        write(dest / "connections.json", {
            "blocked_users": {}, "following": {n: iso(t) for n, t in person["following"].items()},
            "followers": {n: iso(t) for n, t in person["followers"].items()}, "following_hashtags": {}})
        write(dest / "likes.json", {"media_likes": [[iso(t) + "+00:00", o] for o, _, t, _ in person["liked"]],
                                    "comment_likes": [["2020-01-01T00:00:00+00:00", "zed.example"]]})
        write(dest / "saved.json", {"saved_media": [[iso(t) + "+00:00", o]
                                                    for o, _, t, _ in person["saved"]]})
        write(dest / "profile.json", {"username": person["owner"], "name": mojibake(person["full_name"])})
        return dest
    titled_likes = [{"title": o, "media_list_data": [], "string_list_data": [
        {"href": url(c), "value": mojibake("👍"), "timestamp": t}]} for o, c, t, _ in person["liked"]]
    titled_saves = [{"title": o, "string_map_data": {"Saved on": {"href": url(c), "timestamp": t}}}
                    for o, c, t, _ in person["saved"]]
    if layout == "2021":
        write(dest / "followers_and_following/following.json", {"relationships_following": follows})
        write(dest / "followers_and_following/followers.json", {"relationships_followers": fans})
        write(dest / "likes/liked_posts.json", {"likes_media_likes": titled_likes})
        write(dest / "saved/saved_posts.json", {"saved_saved_media": titled_saves})
        write(dest / "account_information/personal_information.json", profile(person))
        return dest
    base = dest / "connections/followers_and_following"
    write(base / "following.json", {"relationships_following": follows})
    write(base / "followers_1.json", fans[:2])  # paginated
    write(base / "followers_2.json", fans[2:])
    write(dest / "personal_information/personal_information/personal_information.json", profile(person))
    if layout == "2023":
        likes_, saves_ = {"likes_media_likes": titled_likes}, {"saved_saved_media": titled_saves}
    else:
        likes_ = [labelled(*p) for p in person["liked"]]
        saves_ = [labelled(*p) for p in person["saved"]]
    write(dest / "your_instagram_activity/likes/liked_posts.json", likes_)
    write(dest / "your_instagram_activity/saved/saved_posts.json", saves_)
    return dest


def newer_export(dest: Path) -> Path:
    """The 2025 fixture, with bo unfollowed and cy followed."""
    path = copy_layout("layout_2025", dest)
    file = path / "connections/followers_and_following/following.json"
    data = json.loads(file.read_text())
    entries = data["relationships_following"]
    data["relationships_following"] = [e for e in entries if e["title"] != "bo_sample"]
    data["relationships_following"].append(relation("cy.sample", 1777000000, new=True))
    file.write_text(json.dumps(data))
    return path
