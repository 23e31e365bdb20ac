"""Importing Instagram's data export: every layout row by row, one graph whatever the layout, idempotence,
merges, one transaction, the encoding repair, translated keys and the command line."""

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

import pytest

from discovery import cli
from discovery import world as worlds
from discovery.export import (
    ImportSummary,
    UnknownOwner,
    WrongAccount,
    import_export,
    import_into_data_dir,
    media_pk,
    read_export,
    repair_text,
)
from discovery.export.importer import LEGACY_POST_PREFIX, WRITING
from discovery.progress import Cancelled, CancelToken
from storage import Account, Store

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"  # written by fixtures/make_exports.py
OWNER = "owner.example"


# --- helpers -----------------------------------------------------------------------------------------------


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


STAMP = {"meta": " WHERE key != 'data_version'"}


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: what "the store is exactly as it was" compares."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        # meta.data_version is a random stamp of the last write, not data: two equal stores differ in it
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"' + STAMP.get(t, "")).fetchall(), key=repr)
                for t in tables}


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


# --- every layout, row by row ------------------------------------------------------------------------------

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


@pytest.mark.parametrize("layout", sorted(EXPECTED))
def test_each_layout_is_imported_row_by_row(tmp_path, data_dir, layout):
    expected = EXPECTED[layout]
    summary = import_into_data_dir(handed_over(tmp_path, layout), data_dir)

    assert summary.world == OWNER and worlds.current_name(data_dir) == OWNER
    assert (summary.username, summary.layout, summary.exported_at) == (OWNER, expected["layout"],
                                                                         expected["exported_at"])
    assert summary.sentence == expected["sentence"]
    world = worlds.World.open(data_dir, OWNER)
    try:
        store = world.store
        assert world.kind == "export" and world.title == f"@{OWNER}"
        assert store.me() == f"u:{OWNER}"
        me = store.accounts_frame([my_id(store)]).iloc[0]
        assert (me["username"], me["full_name"]) == (OWNER, expected["full_name"])

        last = expected["exported_at"]
        assert following(store) == {name: (first, last, True)
                                    for name, first in expected["following"].items()}
        assert followers(store) == expected["followers"]

        assert likes(store) == {(pk, author, at, "export") for pk, author, at in expected["likes"]}
        assert saves(store) == {(pk, at) for pk, _, at in expected["saved"]}
        posts = stub_posts(store)
        wanted = {pk: author for pk, author, _ in expected["likes"] | expected["saved"]}
        assert {pk: row[1] for pk, row in posts.items()} == wanted
        assert all(row[2] is None for row in posts.values())  # stubs: a sync fills them in
        assert {row[0]: row[3] for row in posts.values() if row[0]} == expected["shortcodes"]

        authors = {author for _, author, _ in expected["likes"] | expected["saved"]}
        everyone = {OWNER} | set(expected["following"]) | set(expected["followers"]) | authors
        assert set(usernames(store).values()) == everyone
        assert set(store.accounts_frame()["pk"]) == {f"u:{name}" for name in everyone}
    finally:
        world.close()


def test_a_partial_download_of_only_followers_and_following(tmp_path):
    folder = copy_layout("layout_2023", tmp_path / "unpacked")
    shutil.rmtree(folder / "your_instagram_activity")
    store = Store.open(tmp_path / "w.db")
    summary = import_export(zip_folder(folder, tmp_path / f"instagram-{OWNER}-2024-01-05-Xy.zip"), store)
    assert (summary.layout, summary.following, summary.followers, summary.liked, summary.saved) == (
        "2022–2024", 2, 2, 0, 0)
    assert summary.sentence == "2 following, 2 followers, 0 liked posts, 0 saved posts."
    store.close()


def test_2025_captions_hashtags_and_owner_names(tmp_path):
    store = Store.open(tmp_path / "w.db")
    import_export(copy_layout("layout_2025", tmp_path / "export"), store, username=OWNER)
    posts = stub_posts(store)
    assert posts[media_pk("DTEST000001")][4] == "crêpe time ☕ #brunch #sunday"
    assert posts[media_pk("DTEST000002")][4] == "nothing tagged"
    tags = store.hashtags_frame()
    by_post = {pk: set(tags.loc[tags["post_id"] == i, "tag"])
               for pk, i in store.post_ids(list(posts)).items()}
    assert by_post == {media_pk("DTEST000001"): {"brunch", "sunday"}, media_pk("DTEST000002"): set(),
                       media_pk("DTEST000003"): {"bouldering"}}
    names = dict(zip(store.accounts_frame()["username"], store.accounts_frame()["full_name"], strict=True))
    assert (names["ada.sample"], names["bo_sample"], names["cy.sample"]) == ("Ada Sample", "Bo Sample",
                                                                              "Cy Sample")
    store.close()


def test_media_pk_is_instagrams_shortcode_decoding():
    codec = pytest.importorskip("instagrapi.utils").InstagramIdCodec
    for code in ("CFAKE000004", "B1LbfVPlwIA", "DFAKE000001", "C-_x9Zz0aa1"):
        assert media_pk(code) == str(codec.decode(code))
    assert media_pk("B1LbfVPlwIA") == "2110901750722920960"  # instagrapi's documented example
    # Private posts have longer shortcodes; the first 11 characters carry the pk.
    assert media_pk("CCQQsCXjOaBfS3I2PpqsNkxElV9DXj61vzo5xs0") == "2346448800803776129"


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


def graph(store: Store) -> dict:
    names = usernames(store)
    accounts = store.accounts_frame()
    return {
        "me": names[my_id(store)],
        "accounts": dict(zip(accounts["username"], accounts["pk"], strict=True)),
        "following": following(store), "followers": followers(store),
        "liked": {(author, at) for _, author, at, _ in likes(store)},
        "saved": {at for _, at in saves(store)},
    }


def test_one_person_gives_one_graph_whatever_the_layout(tmp_path):
    graphs, tables = {}, {}
    for layout in ("legacy", "2021", "2023", "2025"):
        store = Store.open(tmp_path / f"{layout}.db")
        summary = import_export(render(PERSON, layout, tmp_path / layout), store)
        assert summary.username == OWNER and summary.skipped == 0
        assert summary.sentence == "3 following, 3 followers, 2 liked posts since 2020-12-03, 1 saved post."
        graphs[layout] = graph(store)
        me = store.accounts_frame([my_id(store)]).iloc[0]
        assert me["full_name"] == "Zoë Ówner 🌸"  # repaired, emoji included
        if layout != "legacy":
            tables[layout] = (likes(store), saves(store), stub_posts(store))
        store.close()
    assert graphs["legacy"] == graphs["2021"] == graphs["2023"] == graphs["2025"]
    assert graphs["2023"]["following"]["dave_example"][0] == 1603000000
    # Post links exist from 2021 on: the same post pks, likes and saves.
    assert tables["2021"][:2] == tables["2023"][:2] == tables["2025"][:2]
    assert {pk for pk, *_ in tables["2023"][0]} == {media_pk("CFAKE000010"), media_pk("CFAKE000011")}
    assert tables["2025"][2][media_pk("CFAKE000010")][4] == "ça va ✨"


def test_a_zip_and_its_unpacked_folder_give_the_same_tables(tmp_path):
    folder = render(PERSON, "2025", tmp_path / f"instagram-{OWNER}-2021-01-01-Q1")
    first, second = Store.open(tmp_path / "a.db"), Store.open(tmp_path / "b.db")
    import_export(folder, first)
    archive = zip_folder(folder, tmp_path / f"instagram-{OWNER}-2021-01-01-Q1.zip", wrap=folder.name)
    import_export(archive, second)
    first.close(), second.close()
    assert dump(first.path) == dump(second.path)


# --- idempotence and merges --------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", sorted(EXPECTED))
def test_importing_the_same_export_twice_changes_nothing(tmp_path, data_dir, layout):
    path = handed_over(tmp_path, layout)
    import_into_data_dir(path, data_dir)
    db = worlds.World.open(data_dir, OWNER).store.path
    before = dump(db)
    again = import_into_data_dir(path, data_dir)
    assert dump(db) == before
    assert (again.new_following, again.unfollowed, again.had_follows) == (0, 0, True)
    assert again.sentence.endswith("; whom you follow has not changed since the world's last update.")


@pytest.mark.parametrize("following", [[], [{"title": "", "string_list_data": [
    {"href": "https://www.instagram.com/alice.example", "value": "alice.example"}]}]], ids=["empty", "untimed"])
def test_an_export_without_times_imports_the_same_a_minute_later(tmp_path, monkeypatch, following):
    """Nothing in the export says when it was made (an empty following list; follows without timestamps):
    the second import, a minute later, must still change nothing."""
    person = dict(PERSON, following={}, followers={}, liked=[], saved=[])
    path = render(person, "2023", tmp_path / "export")
    write(path / "connections/followers_and_following/following.json", {"relationships_following": following})
    store = Store.open(tmp_path / "world.db")
    monkeypatch.setattr(time, "time", lambda: 1_790_000_000.0)
    import_export(path, store)
    before = dump(store.path)
    monkeypatch.setattr(time, "time", lambda: 1_790_000_060.0)
    import_export(path, store)
    assert dump(store.path) == before
    store.close()


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


def test_a_newer_export_merges_into_an_older_one(tmp_path):
    store = Store.open(tmp_path / "w.db")
    older = copy_layout("layout_2023", tmp_path / "older")
    newer = newer_export(tmp_path / "newer")
    import_export(older, store, username=OWNER)
    merged = import_export(newer, store, username=OWNER)

    assert (merged.new_following, merged.unfollowed) == (1, 1)
    assert merged.sentence == ("2 following, 2 followers, 2 liked posts since 2026-04-29, 1 saved post; "
                               "1 new follow and 1 unfollow since the world's last update.")
    new_time = 1778150000
    assert following(store) == {"ada.sample": (1699100000, new_time, True),  # first seen: the older export
                                "bo_sample": (1698100000, 1703100000, False),  # unfollowed since
                                "cy.sample": (1777000000, new_time, True)}
    assert followers(store) == {"ada.sample": 1700100000, "eli.sample": 1701100000}
    liked = {media_pk(c) for c in ("CTEST000004", "DTEST000001", "DTEST000002")}
    assert {pk for pk, *_ in likes(store)} == liked
    assert {pk for pk, _ in saves(store)} == {media_pk("CTEST000005"), media_pk("DTEST000003")}
    store.close()
    before = dump(store.path)

    # The older export again, after the newer one: it adds nothing and brings no unfollowed account back.
    store = Store.open(tmp_path / "w.db")
    late = import_export(older, store, username=OWNER)
    assert (late.new_following, late.unfollowed) == (0, 0)
    assert following(store)["bo_sample"][2] is False
    store.close()
    assert dump(store.path) == before


def test_an_export_merges_into_a_synced_account(tmp_path):
    """A world whose account came from a sync keeps its real pk and numbers; the export attaches to it."""
    store = Store.open(tmp_path / "w.db")
    store.upsert_accounts([Account("4242", OWNER, "Owner Synced", follower_count=290, is_verified=True),
                           Account("17", "ada.sample", "Ada Synced", is_private=True)])
    store.set_me("4242")
    import_export(copy_layout("layout_2023", tmp_path / "x"), store)  # no username needed
    assert store.me() == "4242" and store.meta("world_kind") is None
    rows = store.accounts_frame().set_index("username")
    assert rows.loc[OWNER, ["pk", "full_name", "follower_count", "is_verified"]].tolist() == [
        "4242", "Owner Synced", 290, True]
    assert rows.loc["ada.sample", ["pk", "is_private"]].tolist() == ["17", True]
    assert set(following(store)) == {"ada.sample", "bo_sample"}
    assert store.follows_frame(store.account_id("4242"))["target_id"].tolist().count(
        store.account_id("17")) == 1
    store.close()


def test_the_export_of_someone_else_is_refused(tmp_path):
    store = Store.open(tmp_path / "w.db")
    import_export(copy_layout("legacy_2018_2020", tmp_path / "mine"), store)
    store.close()
    before = dump(store.path)
    store = Store.open(store.path)
    theirs = copy_layout("layout_2023", tmp_path / "theirs")
    with pytest.raises(WrongAccount, match=r"of @someone.else, but this world belongs to @owner.example"):
        import_export(theirs, store, username="someone.else")
    store.close()
    assert dump(store.path) == before


def test_an_export_that_names_nobody_needs_a_username(tmp_path, data_dir):
    path = copy_layout("layout_2023", tmp_path / "export")
    with pytest.raises(UnknownOwner, match=r"export does not say whose account it is.*--username"):
        import_into_data_dir(path, data_dir)
    assert not worlds.exists(data_dir, OWNER) and not (data_dir / "current-world").exists()
    assert import_into_data_dir(path, data_dir, username=OWNER).world == OWNER


# --- one transaction ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("stop_at", [1, 2, 3, 4, "last write"])
def test_a_failure_midway_leaves_the_store_exactly_as_it_was(tmp_path, monkeypatch, stop_at):
    store = Store.open(tmp_path / "w.db")
    import_export(copy_layout("layout_2023", tmp_path / "older"), store, username=OWNER)
    store.close()
    before = dump(store.path)

    store = Store.open(store.path)
    cancel = CancelToken()
    seen = []

    def progress(event):
        seen.append(event)
        if event.stage == WRITING and event.done == stop_at:
            cancel.cancel()

    if stop_at == "last write":  # the last write goes through, then the disk fails before the commit
        real = store.add_interactions

        def fail_after_writing(interactions):
            real(interactions)
            raise OSError("disk unplugged")

        monkeypatch.setattr(store, "add_interactions", fail_after_writing)
    with pytest.raises(OSError if stop_at == "last write" else Cancelled):
        import_export(newer_export(tmp_path / "newer"), store, progress, cancel, username=OWNER)
    assert any(e.stage == WRITING and e.done >= 1 for e in seen)  # writes had begun
    store.close()
    assert dump(store.path) == before


def test_a_world_created_for_a_failed_import_is_removed(tmp_path, data_dir):
    cancel = CancelToken()

    def progress(event):
        if event.stage == WRITING and event.done == 2:
            cancel.cancel()

    with pytest.raises(Cancelled):
        import_into_data_dir(handed_over(tmp_path, "layout_2023"), data_dir, progress=progress,
                             cancel=cancel)
    assert not worlds.exists(data_dir, OWNER)
    assert not (data_dir / "current-world").exists()


def test_a_cancel_while_reading_writes_nothing(tmp_path, data_dir):
    world = worlds.World.open(data_dir, "mine")
    cancel = CancelToken()

    def progress(event):
        if event.stage == "Reading export" and event.done == 2:
            cancel.cancel()

    try:
        with pytest.raises(Cancelled):
            import_export(handed_over(tmp_path, "layout_2025"), world, progress, cancel)
        assert world.store.counts()["accounts"] == 0 and world.store.me() is None
        summary = import_export(handed_over(tmp_path / "again", "layout_2025"), world)
        assert summary.world is None and world.kind == "export" and world.title == f"@{OWNER}"
    finally:
        world.close()


def test_progress_counts_files_then_writes(tmp_path):
    events = []
    store = Store.open(tmp_path / "w.db")
    path = copy_layout("layout_2023", tmp_path / "x")
    import_export(path, store, events.append, username=OWNER)
    reading = [(e.done, e.total) for e in events if e.stage == "Reading export"]
    writing = [(e.done, e.total) for e in events if e.stage == WRITING]
    assert reading == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    assert writing == [(i, 5) for i in range(6)]
    store.close()


# --- text: encoding repair and translated keys ------------------------------------------------------------


@pytest.mark.parametrize("text", ["café", "Zoë Ówner", "👍", "☕ #coffee", "日本語のキャプション",
                                  "Ålborg 🇩🇰", "plain ascii", ""])
def test_mojibake_is_repaired(text):
    assert repair_text(mojibake(text)) == text
    assert repair_text(text) == text  # text that is already right stays so


def test_repair_is_per_string_and_never_raises():
    assert repair_text("naïve") == "naïve"  # Latin-1 text that is not UTF-8 bytes: kept
    assert repair_text("\u00f0\u009f\u0091\u008d") == "👍"
    assert repair_text("\ud800 lone surrogate") == "\ufffd lone surrogate"


def test_translated_keys_are_matched_by_variant_or_position(tmp_path):
    """A Danish account's export: "Gemt den", "Brugernavn", "Ejer", "Billedtekst"; and labels in a language
    Tessera has no variants for, matched by position."""
    path = copy_layout("layout_2025", tmp_path / "export")
    write(path / "personal_information/personal_information/personal_information.json", {"profile_user": [{
        "string_map_data": {"E-mail": {"value": "x@example.com"}, "Brugernavn": {"value": OWNER},
                            "Navn": {"value": mojibake("Søren Ejer")}}}]})
    saved = json.loads((path / "your_instagram_activity/saved/saved_posts.json").read_text())
    for block in saved[0]["label_values"]:
        danish = {"URL": "Webadresse", "Caption": "Billedtekst", "Title": "Titel"}
        block["label"] = danish.get(block.get("label"))
        if block.get("title") == "Owner":
            block["title"] = "Ejer"
            for item in block["dict"][0]["dict"]:
                item["label"] = {"URL": "Webadresse", "Name": "Navn", "Username": "Brugernavn"}[item["label"]]
    write(path / "your_instagram_activity/saved/saved_posts.json", saved)
    liked = json.loads((path / "your_instagram_activity/likes/liked_posts.json").read_text())
    for entry in liked:  # an unknown language: every label and title replaced
        for i, block in enumerate(entry["label_values"]):
            if "label" in block:
                block["label"] = f"Q{i}"
            else:
                block["title"] = f"T{i}"
                for row in block["dict"]:
                    for j, item in enumerate(row["dict"]):
                        item["label"] = f"L{j}"
    write(path / "your_instagram_activity/likes/liked_posts.json", liked)

    data = read_export(path)
    assert (data.username, data.full_name) == (OWNER, "Søren Ejer")
    assert [(p.owner, p.shortcode, p.caption, p.owner_name) for p in data.saved] == [
        ("cy.sample", "DTEST000003", "saved reel #bouldering", "Cy Sample")]
    assert [(p.owner, p.shortcode, p.caption) for p in data.liked] == [
        ("ada.sample", "DTEST000001", "crêpe time ☕ #brunch #sunday"),
        ("bo_sample", "DTEST000002", "nothing tagged")]
    assert data.liked[0].hashtags == ("brunch", "sunday")


def test_a_translated_saved_on_key_is_matched_by_position(tmp_path):
    path = copy_layout("layout_2023", tmp_path / "export")
    file = path / "your_instagram_activity/saved/saved_posts.json"
    file.write_text(file.read_text().replace('"Saved on"', '"Gemt den"'))
    data = read_export(path)
    assert [(p.owner, p.shortcode, p.at) for p in data.saved] == [("bo_sample", "CTEST000005", 1703100000)]


# --- command line ------------------------------------------------------------------------------------------


@pytest.fixture
def command_line():
    return cli.main


def test_import_command_prints_progress_and_the_summary(tmp_path, data_dir, command_line,
                                                         capsys):
    path = handed_over(tmp_path, "layout_2023")
    assert command_line(["import", str(path), "--data-dir", str(data_dir)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "@owner.example (2022–2024 export): 2 following, 2 followers, 1 liked post since 2023-12-09, "
        "1 saved post.", "World 'owner.example' is now the current world."]
    assert "Reading export: 4/4" in err and "Importing: 5/5" in err
    assert worlds.current_name(data_dir) == OWNER


def test_import_command_errors_are_one_sentence(tmp_path, data_dir, command_line, capsys):
    path = copy_layout("layout_2023", tmp_path / "export")
    assert command_line(["import", str(path), "--data-dir", str(data_dir)]) == 1
    assert capsys.readouterr().err.splitlines()[-1].startswith("tessera: export does not say whose account")
    assert command_line(["import", str(path), "--data-dir", str(data_dir), "--world", "demo",
                         "--username", OWNER]) == 1
    assert "demo world is generated" in capsys.readouterr().err.splitlines()[-1]
    assert command_line(["import", str(tmp_path / "nothing.zip"), "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err
    assert command_line(["import", str(path), "--data-dir", str(data_dir), "--username", OWNER,
                         "--world", "mine"]) == 0
    assert worlds.current_name(data_dir) == "mine"


def test_summary_sentence_wording():
    summary = ImportSummary(username=OWNER, layout="2025", exported_at=0, following=312, followers=290,
                            liked=4120, saved=1, since=1551547268, new_following=0, unfollowed=0,
                            had_follows=False, skipped=1)
    assert summary.sentence == ("312 following, 290 followers, 4,120 liked posts since 2019-03-02, "
                                "1 saved post (1 entry naming no account or post skipped).")
