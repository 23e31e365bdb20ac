"""What the store holds for the sync panel and the end of a run: how many accounts I follow, the sentence of
what the person has now, and the profile pictures still missing. Pure reads of the store."""

from __future__ import annotations

from storage import Account, Store


def following_count(store: Store, me: str | None) -> int | None:
    """How many accounts my profile says I follow (None until my account is read)."""
    me_id = store.account_id(me) if me else None
    frame = store.accounts_frame([me_id]) if me_id else None
    if frame is None or frame.empty or frame["following_count"].isna().iloc[0]:
        return None
    return int(frame["following_count"].iloc[0])


def have(store: Store, me: str | None, since: int) -> str:
    """What the person has now: "Feed ready: 212 posts from 143 of the 300 accounts you follow" (without "of
    the 300" until my account's following count is known), "" before the Feed has a post since `since`."""
    me_id = store.account_id(me) if me else None
    if me_id is None:
        return ""
    src, dst = store.edges()
    followed = dst[src == me_id].tolist()
    authors = store.posts_frame(since=since, author_ids=followed, columns=["author_id"])["author_id"]
    if authors.empty:
        return ""
    following = following_count(store, me)
    of = f" of the {following:,}" if following else ""
    return f"Feed ready: {len(authors):,} posts from {authors.nunique():,}{of} accounts you follow"


def missing_avatars(store: Store, me: str | None, since: int) -> list[Account]:
    """Me, the accounts I follow and the authors of posts fetched since `since`, whose profile picture is
    known but not downloaded."""
    me_id = store.account_id(me) if me else None
    src, dst = store.edges()
    ids = set(dst[src == me_id].tolist()) | ({me_id} if me_id else set())
    posts = store.posts_frame(columns=["author_id", "fetched_at"])
    ids |= set(posts.loc[posts["fetched_at"] >= since, "author_id"].tolist())
    frame = store.accounts_frame(sorted(ids))
    frame = frame[frame["profile_pic_path"].isna() & frame["profile_pic_url"].notna()]
    return [Account(row.pk, row.username, row.full_name or "", is_private=bool(row.is_private),
                    is_verified=bool(row.is_verified), profile_pic_url=row.profile_pic_url)
            for row in frame.itertuples()]
