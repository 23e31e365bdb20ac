"""Importing into a world that already holds data: the same export twice changes nothing, a newer one
merges, someone else's is refused; and an import is one transaction."""

from __future__ import annotations

import time

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
    newer_export,
    render,
    saves,
    write,
)

from discovery import world as worlds
from discovery.export import UnknownOwner, WrongAccount, import_export, import_into_data_dir, media_pk
from discovery.export.importer import WRITING
from discovery.progress import Cancelled, CancelToken
from storage import Account, Store

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
