"""Importing Instagram's data export: every layout row by row, a partial download, and one graph whatever
the layout."""

from __future__ import annotations

import shutil

import pytest
from export_helpers import (
    EXPECTED,
    OWNER,
    PERSON,
    copy_layout,
    dump,
    followers,
    following,
    handed_over,
    likes,
    my_id,
    render,
    saves,
    stub_posts,
    usernames,
    zip_folder,
)

from discovery import world as worlds
from discovery.export import import_export, import_into_data_dir, media_pk
from storage import Store

# --- every layout, row by row ------------------------------------------------------------------------------


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
