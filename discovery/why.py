"""The "why you see this" sentence of a ranked post, from the few numbers it names. Light to import: the
command line prints a cached ranking's sentences without loading numpy or pandas."""

from __future__ import annotations

from discovery import text


def explain(item, kind: str) -> str:
    """The "why you see this" sentence of one ranked item."""
    user = f"@{item.username}"
    parts = []
    if item.source == "interest":
        parts.append(f"Popular under #{item.tag}, one of your hashtags")
    elif kind == "feed":
        liked = int(item.liked_count)
        parts.append(f"You liked {text.plural(liked, 'post')} by {user} this year" if liked
                     else f"You follow {user}")
    elif item.followed_by:
        parts.append(f"Followed by {text.plural(int(item.followed_by), 'account')} you follow")
    else:
        parts.append(f"{user} is #{int(item.pagerank_position):,} in your network by PageRank")
    parts.append(f"{text.age(item.age_s)} ago" if item.age_s >= 60 else "just now")
    parts.append(f"{text.compact(item.like_count)} likes")
    if kind == "feed" and item.followed_by:
        parts.append(f"followed by {text.plural(int(item.followed_by), 'account')} you follow")
    elif item.source == "interest" and item.followed_by:
        parts.append(f"followed by {text.plural(int(item.followed_by), 'account')} you follow")
    return " · ".join(parts)
