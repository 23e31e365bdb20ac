"""Property tests: random JSON in place of any file an export import reads ends in a clean import or a
clear ExportError, never a crash; a refused import leaves the store as it was, a clean one is idempotent."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from store_rows import dump

from discovery.export import ExportError, WrongAccount, import_export, read_export, repair_text
from discovery.export.text import parse_time
from storage import Store

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"  # written by fixtures/make_exports.py
OWNER = "owner.example"

# Every file the import reads, per layout.
SLOTS = {
    "legacy_2018_2020": ["connections.json", "likes.json", "saved.json", "profile.json"],
    "layout_2021": ["followers_and_following/following.json", "followers_and_following/followers.json",
                    "likes/liked_posts.json", "saved/saved_posts.json"],
    "layout_2023": ["connections/followers_and_following/following.json",
                    "connections/followers_and_following/followers_1.json",
                    "your_instagram_activity/likes/liked_posts.json",
                    "your_instagram_activity/saved/saved_posts.json"],
    "layout_2025": ["connections/followers_and_following/following.json",
                    "connections/followers_and_following/followers_1.json",
                    "your_instagram_activity/likes/liked_posts.json",
                    "your_instagram_activity/saved/saved_posts.json"],
}

# The keys and values the parsers look for, so random shapes reach deep into them.
KEYS = ["string_list_data", "string_map_data", "media_list_data", "value", "href", "timestamp", "title",
        "label_values", "label", "dict", "media", "relationships_following", "relationships_followers",
        "likes_media_likes", "saved_saved_media", "following", "followers", "media_likes", "saved_media",
        "profile_user", "username", "name", "Saved on", "URL", "Username", "Name", "Owner", "Caption"]
VALUES = ["https://www.instagram.com/p/CFAKE000001/", "https://www.instagram.com/reel/DFAKE000002/",
          "https://www.instagram.com/_u/alice.example", "https://www.instagram.com/bob_example",
          "https://www.instagram.com/p/!!/", "http://[::1", "alice.example", "bob_example", OWNER, "",
          "2019-03-02T17:21:08", "2020-06-01T19:44:03+00:00", "1700000000", "not a time",
          "\u00f0\u009f\u0091\u008d", "caf\u00c3\u00a9 #coffee", "\ud800", "..", "../../etc"]
scalars = (st.none() | st.booleans() | st.integers(min_value=-(2 ** 70), max_value=2 ** 70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12) | st.sampled_from(VALUES)
           | st.integers(min_value=1262304000, max_value=1800000000))
shapes = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=5),
                      max_leaves=30)
# Near-valid entries of every known shape, with any field missing or odd: they reach the entry parsers.
values = st.sampled_from(VALUES) | scalars
item = st.fixed_dictionaries({}, optional={"href": values, "value": values, "timestamp": values})
row = st.fixed_dictionaries({}, optional={
    "label": st.sampled_from(["URL", "Name", "Username", "Caption", "Title", "Brugernavn", "Q"]),
    "value": values, "href": values})
block = st.fixed_dictionaries({"title": st.sampled_from(["Owner", "Hashtags", "Ejer", ""]), "dict": st.lists(
    st.fixed_dictionaries({"title": st.just(""), "dict": st.lists(row | scalars, max_size=4)}), max_size=2)})
GOOD = [  # one valid entry of each shape, so lists mix good and odd entries
    {"title": "", "string_list_data": [{"href": "https://www.instagram.com/zoe.x", "value": "zoe.x",
                                        "timestamp": 1700000000}]},
    {"title": "zoe.x", "string_list_data": [{"href": "https://www.instagram.com/p/CFAKE000009/",
                                             "timestamp": 1700000000}]},
    {"timestamp": 1700000000, "label_values": [
        {"label": "URL", "href": "https://www.instagram.com/p/DFAKE000009/"},
        {"title": "Owner", "dict": [{"title": "", "dict": [{"label": "Username", "value": "zoe.x"}]}]}]},
    ["2020-01-02T03:04:05+00:00", "zoe.x"],
]
titled = st.fixed_dictionaries({}, optional={
    "title": values, "string_list_data": st.lists(item | scalars, max_size=2),
    "string_map_data": st.dictionaries(st.sampled_from(["Saved on", "Gemt"]), item | scalars, max_size=2)})
labelled = st.fixed_dictionaries({"label_values": st.lists(row | block, max_size=6)},
                                 optional={"timestamp": values})
legacy_pair = st.lists(values, min_size=2, max_size=3)
entry = st.one_of(st.sampled_from(GOOD), titled, labelled, legacy_pair, shapes)
wrappers = st.sampled_from([None, "relationships_following", "relationships_followers", "likes_media_likes",
                            "saved_saved_media", "media_likes", "saved_media", "other"])
near_valid = st.builds(lambda key, entries: entries if key is None else {key: entries}, wrappers,
                       st.lists(entry, max_size=5))
contents = st.one_of(near_valid.map(lambda v: json.dumps(v).encode()),
                     shapes.map(lambda v: json.dumps(v).encode()), st.binary(max_size=40))




@pytest.fixture
def world_template(tmp_path) -> Path:
    """A world that already holds the 2023 fixture, copied afresh for every example (hypothesis runs this
    fixture once per test, which is what is wanted)."""
    store = Store.open(tmp_path / "template.db")
    import_export(EXPORTS / "layout_2023", store, username=OWNER)
    store.close()
    return store.path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(layout=st.sampled_from(sorted(SLOTS)), slot=st.integers(0, 3), content=contents,
       second=st.none() | st.tuples(st.integers(0, 3), contents))
def test_random_shapes_end_in_a_clean_import_or_a_clear_error(world_template, layout, slot,
                                                               content, second):
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        export = shutil.copytree(EXPORTS / layout, scratch / "dyi-folder")
        changed = {SLOTS[layout][slot]}
        (export / SLOTS[layout][slot]).write_bytes(content)
        if second is not None:
            changed.add(SLOTS[layout][second[0]])
            (export / SLOTS[layout][second[0]]).write_bytes(second[1])
        db = scratch / "world" / "tessera.db"
        db.parent.mkdir()
        shutil.copy(world_template, db)
        before = dump(db)
        store = Store.open(db)
        try:
            summary = import_export(export, store, username=OWNER)
        except ExportError as exc:
            event(f"refused: {type(exc).__name__}")
            message = str(exc)
            assert "\n" not in message and message.endswith((".", ".)"))
            if not isinstance(exc, WrongAccount):  # a random profile may name someone else
                assert any(f"{name} in dyi-folder" in message for name in changed), message
            store.close()
            assert dump(db) == before
            return
        event("imported" + (" with skipped entries" if summary.skipped else ""))
        after = dump(db)
        again = import_export(export, store, username=OWNER)
        assert dump(db) == after  # a clean import is idempotent
        assert again.sentence.startswith(f"{summary.following:,} following")
        names = dict(zip(store.accounts_frame()["id"], store.accounts_frame()["username"], strict=True))
        followed = {names[t] for t in store.follows_frame(store.account_id(store.me()))["target_id"]}
        store.close()
        assert {r.username for r in read_export(export).following} - {OWNER} <= followed


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=st.sampled_from(sorted(SLOTS)), slot=st.integers(0, 3), content=contents)
def test_reading_random_shapes_never_crashes(tmp_path_factory, layout, slot, content):
    export = tmp_path_factory.mktemp("export") / "x"
    shutil.copytree(EXPORTS / layout, export)
    (export / SLOTS[layout][slot]).write_bytes(content)
    try:
        data = read_export(export)
    except ExportError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for relation in data.following + data.followers:
        assert relation.username and relation.username == relation.username.lower()
        assert relation.at is None or relation.at >= 1262304000
    for post in data.liked + data.saved:
        assert post.owner and (post.shortcode or post.at)


@given(st.text())
def test_repair_round_trips_any_mojibake(text):
    text = text.encode("utf-8", "replace").decode("utf-8")  # no lone surrogates: real text
    assert repair_text(text.encode("utf-8").decode("latin-1")) == text


@given(st.text())
def test_repaired_text_is_always_storable(text):
    repaired = repair_text(text)
    repaired.encode("utf-8")  # never raises: SQLite takes it


@given(scalars)
def test_parse_time_takes_any_json_scalar(value):
    result = parse_time(value, 1800000000)
    assert result is None or 1262304000 <= result <= 1800000000
