"""The store on real SQLite files: opening, refusing, migrating, upserting, reading back."""

from __future__ import annotations

import hashlib
import sqlite3

import numpy as np
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage import (
    Account,
    Follow,
    ImageCache,
    Interaction,
    InteractionKind,
    Like,
    NewerDatabase,
    NotATesseraDatabase,
    Post,
    Store,
    placeholder_pk,
)
from storage.schema import Base
from storage.store import _alembic_config


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "world" / "tessera.db") as s:
        yield s


def accounts(*pks):
    return [Account(pk=pk, username=f"user{pk}") for pk in pks]


def test_new_store_is_wal_with_foreign_keys_and_marked_as_tessera(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA application_id").scalar() == 0x54455353
    assert store.schema_version() == ScriptDirectory.from_config(_alembic_config()).get_current_head()


def test_migrations_build_exactly_the_orm_schema(store):
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_every_revision_upgrades_to_head_keeping_data_and_a_backup(tmp_path):
    config = _alembic_config()
    revisions = [r.revision for r in ScriptDirectory.from_config(config).walk_revisions()][::-1]
    for revision in revisions:
        path = tmp_path / revision / "tessera.db"
        path.parent.mkdir()
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA application_id = 1413829459")
        from sqlalchemy import create_engine

        engine = create_engine(f"sqlite:///{path}")
        with engine.begin() as sa_conn:
            config.attributes["connection"] = sa_conn
            command.upgrade(config, revision)
            sa_conn.exec_driver_sql("INSERT INTO accounts (pk, username, full_name, is_private, is_verified) "
                                    "VALUES ('1', 'kept', '', 0, 0)")
        engine.dispose()
        conn.close()
        with Store.open(path) as s:
            assert s.accounts_frame()["username"].tolist() == ["kept"]
            assert s.schema_version() == revisions[-1]
        backups = list(path.parent.glob("*.bak"))
        assert len(backups) == (0 if revision == revisions[-1] else 1)


def test_database_from_a_newer_tessera_is_refused_untouched(tmp_path):
    path = tmp_path / "tessera.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NewerDatabase, match="newer version of Tessera"):
        Store.open(path)
    assert digest(path) == before


@pytest.mark.parametrize("content", [b"not a database at all\n" * 10, b"SQLite format 3\x00" + b"\x00" * 10])
def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path, content):
    path = tmp_path / "tessera.db"
    path.write_bytes(content)
    with pytest.raises(NotATesseraDatabase, match="not a Tessera database"):
        Store.open(path)
    assert path.read_bytes() == content


def test_another_programs_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "tessera.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NotATesseraDatabase, match="another program"):
        Store.open(path)
    assert digest(path) == before


def test_upserts_refresh_counts_and_never_duplicate(store):
    store.upsert_accounts(accounts("1", "2"))
    store.upsert_accounts([Account(pk="1", username="renamed", follower_count=10)])
    post = Post(pk="p", author="1", taken_at=100, like_count=5, comment_count=1, hashtags=["#Sun"])
    store.upsert_posts([post, post])
    store.upsert_posts([Post(pk="p", author="1", taken_at=100, like_count=9, hashtags=["sun", "sea"])])
    frame = store.posts_frame()
    assert len(frame) == 1 and frame.loc[0, "like_count"] == 9 and frame.loc[0, "comment_count"] == 1
    assert sorted(store.hashtags_frame()["tag"]) == ["sea", "sun"]
    names = store.accounts_frame().set_index("pk")
    assert names.loc["1", "username"] == "renamed" and names.loc["1", "follower_count"] == 10
    assert store.counts()["accounts"] == 2


def test_a_stub_never_overwrites_a_fetched_post(store):
    store.upsert_accounts(accounts("1"))
    store.upsert_posts([Post(pk="p", author="1", taken_at=100, caption="full", like_count=3)])
    store.upsert_posts([Post(pk="p", author="1", taken_at=None, shortcode="ABC")])
    row = store.posts_frame().iloc[0]
    assert (row.caption, row.like_count, row.taken_at, row.shortcode) == ("full", 3, 100, "ABC")


def test_placeholder_accounts_fold_into_the_real_account(store):
    store.upsert_accounts([Account(pk=placeholder_pk("Ana"), username="Ana")])
    store.upsert_accounts(accounts("me"))
    store.upsert_follows([Follow("me", placeholder_pk("ana"), seen_at=10)])
    store.upsert_accounts([Account(pk="42", username="ana", full_name="Ana A")])
    assert store.counts()["accounts"] == 2
    assert store.account_id(placeholder_pk("ana")) == store.account_id("42")
    src, dst = store.edges()
    assert dst.tolist() == [store.account_id("42")]
    # Known first by its real pk, a later placeholder for the same name does not create a second account.
    store.upsert_accounts([Account(pk=placeholder_pk("ANA"), username="ANA")])
    assert store.counts()["accounts"] == 2


def test_complete_follow_lists_mark_unfollows_and_keep_first_seen(store):
    store.upsert_accounts(accounts("me", "a", "b", "c"))
    store.upsert_follows([Follow("me", t, seen_at=100) for t in ("a", "b")], complete_sources=["me"])
    store.upsert_follows([Follow("me", t, seen_at=200) for t in ("b", "c")], complete_sources=["me"])
    ids = store.account_ids(["me", "a", "b", "c"])
    src, dst = store.edges()
    assert sorted(dst.tolist()) == [ids["b"], ids["c"]]
    table = store.follows_frame(ids["me"]).set_index("target_id")
    assert table.loc[ids["b"], "first_seen"] == 100 and table.loc[ids["b"], "last_seen"] == 200
    assert not table.loc[ids["a"], "current"]
    assert len(store.edges(include_unfollowed=True)[0]) == 3


def test_bulk_follow_lists_read_back_as_arrays(store):
    store.upsert_accounts(accounts(*map(str, range(6))))
    ids = np.array(sorted(store.account_ids(map(str, range(6))).values()))
    store.write_follow_lists(ids[:2], np.array([0, 3, 5]), ids[[1, 2, 3, 0, 5]], seen_at=7)
    src, dst = store.edges()
    assert list(zip(src.tolist(), dst.tolist(), strict=True)) == [
        (ids[0], ids[1]), (ids[0], ids[2]), (ids[0], ids[3]), (ids[1], ids[0]), (ids[1], ids[5])]


def test_a_failed_transaction_leaves_nothing(store):
    store.upsert_accounts(accounts("1"))
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert_accounts(accounts("2", "3"))
        store.upsert_posts([Post(pk="p", author="2", taken_at=1)])
        raise RuntimeError("boom")
    assert store.counts() == {"accounts": 1, "follows": 0, "posts": 0, "likes": 0, "interactions": 0}


def test_reads_inside_a_transaction_see_its_own_writes(store):
    store.upsert_accounts(accounts("me", "a", "b"))
    with store.transaction():
        store.set_meta("me", "me")
        store.upsert_follows([Follow("me", t, seen_at=100) for t in ("a", "b")], complete_sources=["me"])
        me = store.account_id("me")
        assert store.meta("me") == "me" and store.me() == "me"
        assert len(store.edges()[0]) == 2 and len(store.follows_frame(me)) == 2
        assert store.counts()["follows"] == 2
    with pytest.raises(RuntimeError), store.transaction():  # and a rollback takes them away again
        store.set_meta("me", "nobody")
        assert store.meta("me") == "nobody"
        raise RuntimeError("undo")
    assert store.meta("me") == "me"


def test_every_connection_waits_for_a_writer_instead_of_failing_at_once(store):
    from storage.store import BUSY_TIMEOUT

    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == int(BUSY_TIMEOUT * 1000)
    with store.transaction() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == int(BUSY_TIMEOUT * 1000)


def test_likes_and_interactions(store):
    store.upsert_accounts(accounts("1"))
    store.upsert_posts([Post(pk="p", author="1", taken_at=1)])
    store.add_likes([Like("p", 50), Like("p", 60)])
    likes = store.likes_frame()
    assert likes[["liked_at", "author_id"]].values.tolist() == [[50, store.account_id("1")]]
    store.add_interactions([Interaction(InteractionKind.HIDDEN, 5, post="p"),
                            Interaction(InteractionKind.SEE_FEWER, 6, account="1")])
    assert store.interactions_frame()["kind"].tolist() == ["hidden", "see_fewer"]
    store.remove_interactions(InteractionKind.HIDDEN, post="p")
    assert store.interactions_frame()["kind"].tolist() == ["see_fewer"]
    with pytest.raises(ValueError, match="not in the store"):
        store.add_likes([Like("missing", 1)])


def test_image_cache_evicts_the_least_recently_viewed(tmp_path):
    import os

    cache = ImageCache(tmp_path / "images", max_bytes=3000)
    for i, key in enumerate(("a", "b", "c")):
        path = cache.put(key, b"x" * 1000)
        os.utime(path, (1000 + i, 1000 + i))
    assert cache.get("a") is not None  # viewing "a" makes it the most recent
    cache.put("d", b"x" * 1000)
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("d") is not None
    assert cache.size() <= 3000


def test_a_new_store_is_recognised_while_its_log_is_not_yet_checkpointed(tmp_path):
    path = tmp_path / "tessera.db"
    store = Store.open(path)
    store.upsert_accounts(accounts("1"))
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # keeps the log from being folded in
    reader.execute("SELECT count(*) FROM accounts").fetchone()
    store.close()
    with Store.open(path) as again:
        assert again.counts()["accounts"] == 1
    reader.close()


def test_the_revisions_read_without_alembic_are_alembics():
    from storage import store

    scripts = store._scripts()
    assert store.head_revision() == scripts.get_current_head()
    assert store._known_revisions() == {script.revision for script in scripts.walk_revisions()}


def test_edges_drop_only_the_unfollowed_targets_among_many_lists(store):
    store.upsert_accounts(accounts("me", "a", "b", "c", "d"))
    store.upsert_follows([Follow("a", t, seen_at=100) for t in ("b", "c")], complete_sources=["a"])
    store.upsert_follows([], complete_sources=["d"], listed_at=100)  # an empty list
    store.upsert_follows([Follow("me", t, seen_at=100) for t in ("a", "b", "c")], complete_sources=["me"])
    store.upsert_follows([Follow("me", t, seen_at=300) for t in ("a", "c")], complete_sources=["me"])
    store.upsert_follows([Follow("c", "d", seen_at=50)], complete_sources=["c"])
    ids = store.account_ids(["me", "a", "b", "c", "d"])
    pairs = set(zip(*(a.tolist() for a in store.edges()), strict=True))
    assert pairs == {(ids["a"], ids["b"]), (ids["a"], ids["c"]), (ids["me"], ids["a"]), (ids["me"], ids["c"]),
                     (ids["c"], ids["d"])}
    assert len(store.edges(include_unfollowed=True)[0]) == 6


def test_the_data_version_changes_with_every_write_a_ranking_reads_and_only_then(store, tmp_path):
    from storage.peek import read_meta

    versions = [store.data_version()]
    assert versions[0] is not None  # a new store has one from the start
    writes = [lambda: store.upsert_accounts(accounts("1")),
              lambda: store.upsert_posts([Post(pk="p", author="1", taken_at=1)]),
              lambda: store.add_likes([Like("p", 50)]),
              lambda: store.add_interactions([Interaction(InteractionKind.HIDDEN, 5, post="p")]),
              lambda: store.remove_interactions(InteractionKind.HIDDEN, post="p"),
              lambda: store.set_meta("me", "1")]
    for write in writes:
        write()
        assert store.last_change() == (versions[-1], store.data_version())
        versions.append(store.data_version())
    assert len(set(versions)) == len(versions)
    with store.transaction():  # one transaction is one change
        store.upsert_accounts(accounts("2"))
        store.upsert_accounts(accounts("3"))
    assert store.last_change() == (versions[-1], store.data_version())
    before = store.data_version()
    store.set_image_path("p", "p.jpg")  # where a picture is kept changes no ranking
    store.set_sync_cursor("timeline", "abc")
    assert store.data_version() == before
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert_accounts(accounts("4"))
        raise RuntimeError("boom")
    assert store.data_version() == before  # a failed write changed nothing
    other = Store.open(tmp_path / "other" / "tessera.db")
    assert other.data_version() != before  # two worlds never share a version
    other.close()
    assert read_meta(store.path, ("data_version", "me")) == {"data_version": before, "me": "1",
                                                            "alembic_version": store.schema_version()}
    assert read_meta(tmp_path / "missing.db", ("data_version",)) is None
