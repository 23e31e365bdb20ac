"""The table every engagement chart reads: one row per post whose like count has settled.

    engagement   likes + comments
    rate         engagement / the author's followers (NaN when the follower count is unknown or 0)
    lift         (engagement + 1) / (the author's median engagement + 1), NaN for authors with fewer than 3
                 posts: how a post did against its author's usual, which takes the author's size out of
                 comparisons (the +1 keeps posts without any engagement comparable)

A count read less than two days after posting has not settled (the post is still gathering likes) and is
left out; a count whose reading time is unknown is kept.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from discovery.clock import DAY, timezone
from storage import MediaType, Store

SETTLED_DAYS = 2.0
MIN_AUTHOR_POSTS = 3
KINDS = ("photo", "carousel", "video", "reel")
KIND_NAMES = {"photo": "photos", "carousel": "carousels", "video": "videos", "reel": "reels"}

COLUMNS = ["id", "pk", "shortcode", "author_id", "taken_at", "media_type", "product_type", "like_count",
           "comment_count", "caption", "location", "fetched_at"]


def post_table(store: Store, tz: str | dt.tzinfo | None = None) -> pd.DataFrame:
    posts = store.posts_frame(columns=COLUMNS)
    posts = posts[posts["like_count"].notna()]
    fetched = pd.to_numeric(posts["fetched_at"], errors="coerce")
    age_days = (fetched - posts["taken_at"].astype(np.float64)) / DAY
    posts = posts[age_days.isna() | (age_days >= SETTLED_DAYS)].reset_index(drop=True)
    accounts = store.accounts_frame()[["id", "username", "follower_count"]]
    posts = posts.merge(accounts.rename(columns={"id": "author_id", "follower_count": "followers"}),
                        on="author_id", how="left")
    likes = posts["like_count"].astype(np.int64).to_numpy()
    comments = posts["comment_count"].fillna(0).astype(np.int64).to_numpy()
    followers = pd.to_numeric(posts["followers"], errors="coerce").to_numpy(np.float64)
    media = posts["media_type"].astype(np.int64).to_numpy()
    product = posts["product_type"].fillna("feed").to_numpy()
    kind = np.select([media == MediaType.CAROUSEL, (media == MediaType.VIDEO) & (product == "clips"),
                      media == MediaType.VIDEO], ["carousel", "reel", "video"], "photo")
    tags = store.hashtags_frame()
    tag_counts = tags.groupby("post_id").size() if len(tags) else pd.Series(dtype=np.int64)
    caption = posts["caption"].fillna("").astype(str)
    engagement = (likes + comments).astype(np.float64)
    table = pd.DataFrame({
        "id": posts["id"].astype(np.int64), "pk": posts["pk"], "shortcode": posts["shortcode"],
        "author_id": posts["author_id"].astype(np.int64), "username": posts["username"].fillna(""),
        "followers": followers, "taken_at": posts["taken_at"].astype(np.int64), "kind": kind,
        "likes": likes, "comments": comments, "engagement": engagement,
        "hashtags": tag_counts.reindex(posts["id"].to_numpy(), fill_value=0).to_numpy(np.int64),
        "caption_length": caption.str.len().to_numpy(np.int64),
        "mentions": caption.str.count(r"@[\w.]+").to_numpy(np.int64),
        "has_location": posts["location"].fillna("").astype(str).str.len().to_numpy() > 0,
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        table["rate"] = np.where(followers > 0, engagement / followers, np.nan)
    author = table.groupby("author_id")["engagement"]
    usual = author.transform("median").to_numpy()
    enough = author.transform("size").to_numpy() >= MIN_AUTHOR_POSTS
    with np.errstate(divide="ignore", invalid="ignore"):
        table["lift"] = np.where(enough, (engagement + 1) / (usual + 1), np.nan)
    local = pd.to_datetime(table["taken_at"].to_numpy(), unit="s", utc=True).tz_convert(timezone(tz))
    table["hour"] = np.asarray(local.hour, np.int64)
    table["weekday"] = np.asarray(local.day_of_week, np.int64)  # Monday = 0
    return table
