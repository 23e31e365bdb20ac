"""A made-up Instagram behind the fake transport: accounts, who follows whom, posts, the person's likes.

Everything is generated from a seed, so two processes that build the same world see the same Instagram (the
kill-and-resume test relies on it). Names are invented (`acct0042`); nothing here is real data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from discovery.clock import DAY
from fake_instagram.taste import Taste, like_weights, make_taste

# 2026-11-23 12:00 UTC: "today" for the tests.
NOW = 1795435200

TAGS = ["sunset", "coffee", "hiking", "streetphoto", "film", "design", "cats", "bread", "cycling", "ceramics",
        "garden", "architecture", "surf", "vinyl", "sketch", "ramen", "climbing", "bookstagram", "knit",
        "nightsky", "portrait", "mountains", "citylife", "foodie", "running", "travel", "minimal", "retro",
        "birds", "autumn"]
TIMELINE_DAYS = 14  # how far back the home feed reaches
PLACES = ["Harbour Front", "Old Town", "Central Park", "North Beach", "Market Hall", None, None, None]


@dataclass(slots=True)
class FakeAccount:
    pk: str
    username: str
    full_name: str
    is_private: bool = False
    is_verified: bool = False
    deleted: bool = False
    posts_per_day: float = 0.2
    follows: list[str] = field(default_factory=list)  # most recently followed first
    tags: tuple[str, ...] = ()


@dataclass(slots=True)
class FakePost:
    pk: str
    author: str
    taken_at: int
    media_type: int  # 1 photo, 2 video, 8 carousel
    product_type: str  # feed, clips, carousel_container
    caption: str
    like_count: int
    comment_count: int
    play_count: int = 0
    carousel_count: int = 0
    location: str | None = None
    tagged: tuple[str, ...] = ()


@dataclass
class FakeWorld:
    seed: int
    now: int
    me: str
    username: str
    password: str
    accounts: dict[str, FakeAccount]
    posts: dict[str, FakePost]
    by_author: dict[str, list[str]]  # post pks, newest first
    my_likes: list[tuple[str, int]]  # (post pk, liked at), most recent like first
    two_factor_code: str | None = None  # set: logging in needs this second factor
    challenge: str | None = None  # None, "code" (SMS/e-mail code) or "approve" (tap "This was me")
    challenge_code: str = "424242"
    challenge_approved: bool = False
    suspended: bool = False
    _rng: np.random.Generator = field(default=None, repr=False)  # type: ignore[assignment]
    _next_post: int = 0
    _liked: set | None = field(default=None, repr=False)
    _timeline: tuple | None = field(default=None, repr=False)
    _taste: Taste | None = field(default=None, repr=False)

    # --- building ------------------------------------------------------------------------------------

    @classmethod
    def generate(cls, seed: int = 7, following: int = 60, others: int = 340, now: int = NOW,
                 history_days: int = 400, stranger_days: int = 45, likes: int = 320,
                 password: str = "correct horse 42") -> FakeWorld:
        rng = np.random.default_rng(seed)
        me = "9000000001"
        accounts = {me: FakeAccount(me, "me.tessera", "Tess Era", posts_per_day=0.05)}
        pks = [str(1_000_000_000 + 7919 * i) for i in range(1, following + others + 1)]
        for i, pk in enumerate(pks):
            rate = float(np.clip(rng.lognormal(np.log(0.2), 1.1), 0.01, 3.0))
            accounts[pk] = FakeAccount(
                pk, f"acct{i:04d}", f"Account {i}", is_private=bool(rng.random() < 0.08),
                is_verified=bool(rng.random() < 0.05), posts_per_day=rate,
                tags=tuple(rng.choice(TAGS, size=3, replace=False).tolist()))
        followed = pks[:following]
        for pk in followed[: max(1, following // 10)]:
            accounts[pk].is_private = True  # private accounts I follow: I see their posts
        accounts[followed[-1]].deleted = True  # an account I follow that no longer exists
        accounts[me].follows = list(followed)
        # Communities: each account mostly follows within its community, sometimes a very large list.
        community = {pk: int(rng.integers(0, 6)) for pk in pks}
        members: dict[int, list[str]] = {}
        for pk in pks:
            members.setdefault(community[pk], []).append(pk)
        for pk in pks:
            size = int(np.clip(rng.lognormal(np.log(40), 0.9), 3, 400))
            near = members[community[pk]]
            chosen = set(rng.choice(near, size=min(len(near), int(size * 0.7)), replace=False).tolist())
            chosen |= set(rng.choice(pks, size=min(len(pks), size - len(chosen) + 1), replace=False).tolist())
            chosen.discard(pk)
            accounts[pk].follows = sorted(chosen, key=lambda t: _stable(seed, pk, t))
        world = cls(seed, now, me, "me.tessera", password, accounts, {}, {}, [], _rng=rng)
        world._taste = make_taste(seed, TAGS, accounts, me, community)
        for pk in [me, *followed]:
            world._make_posts(pk, now - history_days * DAY, now)
        for pk in pks[following:]:
            world._make_posts(pk, now - stranger_days * DAY, now)
        world._make_likes(likes, now - 500 * DAY, now)
        world._tag_me(12)
        return world

    def _new_post(self, author: str, taken_at: int) -> FakePost:
        rng, account = self._rng, self.accounts[author]
        self._next_post += 1
        pk = str(3_400_000_000_000_000_000 + self.seed * 10_000_000 + self._next_post)
        kind = rng.choice(4, p=[0.55, 0.25, 0.1, 0.1])
        media_type, product = [(1, "feed"), (8, "carousel_container"), (2, "feed"), (2, "clips")][kind]
        tags = rng.choice(account.tags, size=int(rng.integers(0, 3)), replace=False).tolist() if account.tags else []
        popularity = 30 if account.is_verified else 1
        likes = int(rng.lognormal(np.log(80 * popularity), 1.0))
        caption = f"Post {self._next_post} by {account.username}" + "".join(f" #{t}" for t in tags)
        if rng.random() < 0.2:
            other = self.accounts[str(rng.choice(list(self.accounts)))]
            caption += f" with @{other.username}"
        return FakePost(pk, author, taken_at, int(media_type), str(product), caption, likes,
                        int(likes * rng.uniform(0.01, 0.08)), play_count=likes * 12 if media_type == 2 else 0,
                        carousel_count=int(rng.integers(2, 6)) if media_type == 8 else 0,
                        location=PLACES[int(rng.integers(0, len(PLACES)))])

    def _make_posts(self, author: str, start: int, end: int) -> list[str]:
        account = self.accounts[author]
        count = int(self._rng.poisson(account.posts_per_day * (end - start) / DAY))
        times = sorted(self._rng.integers(start + 1, end + 1, size=count).tolist(), reverse=True)
        new = [self._new_post(author, t) for t in times]
        for post in new:
            self.posts[post.pk] = post
        self.by_author[author] = [p.pk for p in new] + self.by_author.get(author, [])
        return [p.pk for p in new]

    def _make_likes(self, count: int, start: int, end: int, liked_after: int | None = None) -> None:
        """The person likes posts taken between start and end, as their taste says (`taste.py`): mostly of
        close accounts they follow and on their topics, some of strangers; with `liked_after`, every like
        happens after that moment (and so tops the liked feed)."""
        followed = set(self.accounts[self.me].follows)
        pool = [p for p in self.posts.values() if start <= p.taken_at <= end and p.author != self.me
                and not self.accounts[p.author].deleted and (p.author in followed
                                                             or not self.accounts[p.author].is_private)]
        weights = like_weights(self._taste, pool, self.accounts, self.me, self._rng)
        chosen = self._rng.choice(len(pool), size=min(count, len(pool)), replace=False, p=weights / weights.sum())
        likes = []
        for i in chosen.tolist():
            post = pool[i]
            if liked_after is None:
                liked_at = min(end, post.taken_at + int(self._rng.integers(60, 3 * DAY)))
            else:
                liked_at = int(self._rng.integers(max(liked_after, post.taken_at) + 1, end + 1))
            likes.append((post.pk, liked_at))
        liked = {pk for pk, _ in self.my_likes}
        self.my_likes = sorted([x for x in likes if x[0] not in liked] + self.my_likes, key=lambda x: (-x[1], x[0]))

    def _tag_me(self, count: int) -> None:
        candidates = [p for p in self.posts.values() if p.author != self.me and not self.accounts[p.author].deleted
                      and not self.accounts[p.author].is_private]
        for i in self._rng.choice(len(candidates), size=count, replace=False).tolist():
            candidates[i].tagged = (self.me,)

    # --- what the endpoints read ---------------------------------------------------------------------

    def following_of(self, pk: str) -> list[str]:
        """A follow list; like Instagram's it may still show an account deactivated since."""
        return list(self.accounts[pk].follows)

    def posts_of(self, pk: str) -> list[FakePost]:
        return [self.posts[p] for p in self.by_author.get(pk, ())]

    def liked_posts(self) -> list[FakePost]:
        return [self.posts[pk] for pk, _ in self.my_likes if not self.accounts[self.posts[pk].author].deleted]

    def tagged_posts(self) -> list[FakePost]:
        posts = [p for p in self.posts.values() if self.me in p.tagged and not self.accounts[p.author].deleted]
        return sorted(posts, key=lambda p: (-p.taken_at, p.pk))

    def liked_by_me(self, post_pk: str) -> bool:
        if self._liked is None or len(self._liked) != len(self.my_likes):
            self._liked = {pk for pk, _ in self.my_likes}
        return post_pk in self._liked

    def hashtag_top(self, tag: str, days: int = 14) -> list[FakePost]:
        """The hashtag's "top" tab: its most liked public posts of the last days."""
        since = self.now - days * DAY
        posts = [p for p in self.posts.values() if p.taken_at >= since and f"#{tag}" in p.caption.split()
                 and not self.accounts[p.author].is_private and not self.accounts[p.author].deleted]
        return sorted(posts, key=lambda p: (-p.like_count, p.pk))

    def similar_to(self, pk: str, count: int) -> list[str]:
        """"Suggested for you" beside a profile: the accounts most followed by the accounts it follows."""
        votes: dict[str, int] = {}
        for followed in self.accounts[pk].follows:
            for other in self.accounts[followed].follows:
                if other != pk and not self.accounts[other].deleted:
                    votes[other] = votes.get(other, 0) + 1
        return sorted(votes, key=lambda other: (-votes[other], other))[:count]

    def timeline(self) -> list[FakePost]:
        """The home feed: the posts of followed accounts from the last TIMELINE_DAYS, ranked as Instagram
        ranks it: roughly newest first, each further post of the same author pushed back a day, so that the
        first pages show many authors."""
        key = (self.now, len(self.posts), tuple(self.accounts[self.me].follows))
        if self._timeline is None or self._timeline[0] != key:
            since, ranked = self.now - TIMELINE_DAYS * DAY, []
            for author in self.accounts[self.me].follows:
                if self.accounts[author].deleted:
                    continue
                recent = [p for p in self.posts_of(author) if p.taken_at >= since]  # newest first
                for k, post in enumerate(recent):
                    rank = post.taken_at + _stable(self.seed, post.pk, "rank") % (6 * 3600) - k * DAY
                    ranked.append((-rank, post.pk, post))
            self._timeline = (key, [post for *_, post in sorted(ranked)])
        return self._timeline[1]

    # --- time passes ---------------------------------------------------------------------------------

    def advance(self, seconds: int, new_likes: int = 8, follow: int = 2, unfollow: int = 1) -> dict[str, int]:
        """Let time pass: everyone posts at their pace, the person likes a few posts and (un)follows some."""
        start, self.now = self.now, self.now + seconds
        new_posts = sum(len(self._make_posts(pk, start, self.now)) for pk in list(self.accounts)
                        if not self.accounts[pk].deleted)
        mine = self.accounts[self.me]
        strangers = [pk for pk in self.accounts if pk not in mine.follows and pk != self.me
                     and not self.accounts[pk].deleted and not self.accounts[pk].is_private]
        added = [str(x) for x in self._rng.choice(strangers, size=follow, replace=False)]
        removable = [pk for pk in mine.follows if not self.accounts[pk].deleted and not self.accounts[pk].is_private]
        removed = {str(x) for x in self._rng.choice(removable, size=unfollow, replace=False)}
        mine.follows = added + [pk for pk in mine.follows if pk not in removed]
        before = len(self.my_likes)
        self._make_likes(new_likes, start - 3 * DAY, self.now, liked_after=start)
        return {"posts": new_posts, "likes": len(self.my_likes) - before, "followed": follow, "unfollowed": unfollow}


def _stable(seed: int, *parts: str) -> int:
    digest = hashlib.blake2b("|".join((str(seed), *parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")
