"""A Store's posts (with their hashtags, mentions and like counts as read), the person's likes, tags and
interactions, and the counts of everything."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, case, func, select
from sqlalchemy.dialects.sqlite import insert

from storage.accounts import AccountsStore
from storage.core import CHUNK, IN_CHUNK, _chunks, _table
from storage.records import Interaction, Like, Post
from storage.schema import (
    AccountRow,
    InteractionRow,
    LikeCountRow,
    MyLikeRow,
    PostHashtagRow,
    PostMentionRow,
    PostRow,
    TaggedInRow,
)

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement


class PostsStore(AccountsStore):
    """Posts, the person's likes and interactions, counts (see `storage.store.Store`)."""

    # --- posts ---------------------------------------------------------------------------------------

    def upsert_posts(self, posts: Iterable[Post], like_series: bool = False) -> None:
        """Insert posts or refresh their counts; a stub (no taken_at) never overwrites a full post.

        With `like_series` (a sync's reads), each post's like count is also kept as read at its fetched_at
        in like_counts, so that the growth of its likes can be learned."""
        posts = list(posts)
        if not posts:
            return
        table = _table(PostRow)
        with self.transaction() as conn:
            authors = self.account_ids({p.author for p in posts}, conn)
            missing = {p.author for p in posts} - authors.keys()
            if missing:
                raise ValueError(f"posts name {len(missing)} authors not in the store, e.g. {min(missing)}")
            rows = [{
                "pk": p.pk, "shortcode": p.shortcode, "author_id": authors[p.author], "taken_at": p.taken_at,
                "media_type": int(p.media_type), "product_type": p.product_type or "feed",
                "caption": p.caption or "", "like_count": p.like_count, "comment_count": p.comment_count,
                "play_count": p.play_count, "location": p.location, "width": p.width, "height": p.height,
                "carousel_count": p.carousel_count or 0, "image_url": p.image_url, "image_path": p.image_path,
                "fetched_at": p.fetched_at,
            } for p in posts]
            stmt = insert(table)
            ex = stmt.excluded
            stub = ex.taken_at.is_(None)

            def keep_if_stub(column: str) -> ColumnElement[Any]:
                return case((stub, table.c[column]), else_=func.coalesce(ex[column], table.c[column]))

            updated = {c: keep_if_stub(c) for c in (
                "author_id", "taken_at", "media_type", "product_type", "caption", "like_count", "comment_count",
                "play_count", "location", "width", "height", "carousel_count", "fetched_at")}
            updated |= {c: func.coalesce(ex[c], table.c[c]) for c in ("shortcode", "image_url", "image_path")}
            stmt = stmt.on_conflict_do_update(index_elements=["pk"], set_=updated)
            for chunk in _chunks(rows, CHUNK):
                conn.execute(stmt, list(chunk))
            ids = self.post_ids([p.pk for p in posts], conn)
            tags = {(ids[p.pk], t.lower().lstrip("#")) for p in posts for t in p.hashtags if t.strip("#")}
            mentions = {(ids[p.pk], m.lower().lstrip("@")) for p in posts for m in p.mentions if m.strip("@")}
            for pairs, model, key in ((tags, PostHashtagRow, "tag"), (mentions, PostMentionRow, "username")):
                links = [{"post_id": i, key: v} for i, v in sorted(pairs)]
                for part in _chunks(links, CHUNK):
                    conn.execute(insert(model).on_conflict_do_nothing(), list(part))
            if like_series:
                reads = {(ids[p.pk], int(p.fetched_at)): int(p.like_count) for p in posts
                         if p.taken_at is not None and p.like_count is not None and p.fetched_at is not None}
                counts = [{"post_id": i, "observed_at": at, "like_count": n} for (i, at), n in sorted(reads.items())]
                series = insert(_table(LikeCountRow))
                series = series.on_conflict_do_update(index_elements=["post_id", "observed_at"],
                                                      set_={"like_count": series.excluded.like_count})
                for batch in _chunks(counts, CHUNK):
                    conn.execute(series, list(batch))

    def post_ids(self, pks: Iterable[str], conn: Connection | None = None) -> dict[str, int]:
        pks = list(dict.fromkeys(pks))
        out: dict[str, int] = {}
        with self._reader(conn) as c:
            for chunk in _chunks(pks, IN_CHUNK):
                out.update(c.execute(select(PostRow.pk, PostRow.id).where(PostRow.pk.in_(chunk))).all())
        return out

    def set_image_path(self, post_pk: str, path: str | None) -> None:
        with self.transaction(changes_data=False) as conn:
            conn.execute(_table(PostRow).update().where(PostRow.pk == post_pk).values(image_path=path))

    def posts_frame(self, since: int | None = None, author_ids: Sequence[int] | np.ndarray | None = None,
                    post_ids: Sequence[int] | np.ndarray | None = None,
                    columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Fetched posts (not stubs) as a frame, one query; optionally since a time, by authors or ids."""
        cols = list(columns or ("id", "pk", "shortcode", "author_id", "taken_at", "media_type", "product_type",
                                "like_count", "comment_count", "play_count", "carousel_count", "width", "height",
                                "location", "caption"))
        sql = f"SELECT {', '.join(cols)} FROM posts WHERE taken_at IS NOT NULL"
        params: list[object] = []
        if since is not None:
            sql += " AND taken_at >= ?"
            params.append(int(since))
        for name, values in (("author_id", author_ids), ("id", post_ids)):
            if values is not None:
                values = [int(v) for v in values]
                if not values:
                    return pd.DataFrame({c: [] for c in cols})
                sql += f" AND {name} IN (SELECT value FROM json_each(?))"
                params.append("[" + ",".join(map(str, values)) + "]")
        return self._sql_frame(sql, params, cols)

    def like_counts_frame(self, post_ids: Sequence[int] | None = None) -> pd.DataFrame:
        """Every like count a sync read: post_id, observed_at, like_count (by post, then time)."""
        sql, params = "SELECT post_id, observed_at, like_count FROM like_counts", []
        if post_ids is not None:
            sql += " WHERE post_id IN (SELECT value FROM json_each(?))"
            params.append("[" + ",".join(str(int(v)) for v in post_ids) + "]")
        return self._sql_frame(sql + " ORDER BY post_id, observed_at", params,
                               ["post_id", "observed_at", "like_count"])

    def hashtags_frame(self, post_ids: Sequence[int] | None = None) -> pd.DataFrame:
        sql, params = "SELECT post_id, tag FROM post_hashtags", []
        if post_ids is not None:
            sql += " WHERE post_id IN (SELECT value FROM json_each(?))"
            params.append("[" + ",".join(str(int(v)) for v in post_ids) + "]")
        return self._sql_frame(sql, params, ["post_id", "tag"])

    def mentions_frame(self, post_ids: Sequence[int]) -> pd.DataFrame:
        sql = "SELECT post_id, username FROM post_mentions WHERE post_id IN (SELECT value FROM json_each(?))"
        return self._sql_frame(sql, ["[" + ",".join(str(int(v)) for v in post_ids) + "]"], ["post_id", "username"])

    # --- the person's own signals --------------------------------------------------------------------

    def add_likes(self, likes: Iterable[Like]) -> None:
        """Record likes of posts already in the store (a later like of the same post keeps the first)."""
        likes = list(likes)
        if not likes:
            return
        with self.transaction() as conn:
            ids = self.post_ids([like.post for like in likes], conn)
            missing = {like.post for like in likes} - ids.keys()
            if missing:
                raise ValueError(f"likes name {len(missing)} posts not in the store, e.g. {min(missing)}")
            rows = [{"post_id": ids[like.post], "liked_at": like.liked_at, "origin": like.origin} for like in likes]
            stmt = insert(MyLikeRow)
            stmt = stmt.on_conflict_do_update(index_elements=["post_id"], set_={
                "liked_at": func.coalesce(_table(MyLikeRow).c.liked_at, stmt.excluded.liked_at)})
            for chunk in _chunks(rows, CHUNK):
                conn.execute(stmt, list(chunk))

    def likes_frame(self) -> pd.DataFrame:
        """The person's likes: post id, the post's author id, when liked, where we learned it."""
        sql = ("SELECT l.post_id, p.author_id, l.liked_at, l.origin FROM my_likes l "
               "JOIN posts p ON p.id = l.post_id")
        return self._sql_frame(sql, [], ["post_id", "author_id", "liked_at", "origin"])

    def add_tagged(self, post_pks: Iterable[str]) -> None:
        post_pks = list(post_pks)
        with self.transaction() as conn:
            ids = self.post_ids(post_pks, conn)
            rows = [{"post_id": i} for i in ids.values()]
            for chunk in _chunks(rows, CHUNK):
                conn.execute(insert(TaggedInRow).on_conflict_do_nothing(), list(chunk))

    def tagged_post_ids(self) -> np.ndarray:
        with self._reader(None) as conn:
            return np.fromiter(conn.execute(select(TaggedInRow.post_id)).scalars(), np.int64)

    def add_interactions(self, interactions: Iterable[Interaction]) -> None:
        interactions = list(interactions)
        if not interactions:
            return
        with self.transaction() as conn:
            posts = self.post_ids([i.post for i in interactions if i.post], conn)
            accounts = self.account_ids([i.account for i in interactions if i.account], conn)
            rows = []
            for i in interactions:
                if (i.post is None) == (i.account is None):
                    raise ValueError("an interaction is about exactly one post or one account")
                rows.append({"post_id": posts[i.post] if i.post else None,
                             "account_id": accounts[i.account] if i.account else None,
                             "kind": str(i.kind), "at": i.at, "value": i.value})
            conn.execute(insert(InteractionRow), rows)

    def remove_interactions(self, kind: str, post: str | None = None, account: str | None = None) -> None:
        """Undo: forget every `kind` interaction on that post or account."""
        table = _table(InteractionRow)
        with self.transaction() as conn:
            stmt = table.delete().where(table.c.kind == str(kind))
            if post is not None:
                stmt = stmt.where(table.c.post_id == self.post_ids([post], conn).get(post, -1))
            if account is not None:
                stmt = stmt.where(table.c.account_id == self.account_ids([account], conn).get(account, -1))
            conn.execute(stmt)

    def interactions_frame(self) -> pd.DataFrame:
        sql = "SELECT post_id, account_id, kind, at, value FROM interactions ORDER BY id"
        return self._sql_frame(sql, [], ["post_id", "account_id", "kind", "at", "value"])

    # --- summaries -----------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self._reader(None) as conn:
            edges = conn.exec_driver_sql("SELECT coalesce(sum(length(targets)), 0) / 8 FROM follows").scalar()
            return {
                "accounts": int(conn.scalar(select(func.count()).select_from(AccountRow)) or 0),
                "follows": int(edges or 0),
                "posts": int(conn.scalar(select(func.count()).select_from(PostRow).where(PostRow.taken_at.isnot(None)))
                             or 0),
                "likes": int(conn.scalar(select(func.count()).select_from(MyLikeRow)) or 0),
                "interactions": int(conn.scalar(select(func.count()).select_from(InteractionRow)) or 0),
            }
