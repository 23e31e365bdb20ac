"""What the window shows, without Qt: ranked lists with filters, a post's details, the person's actions,
and where each picture comes from. The app calls this; tests call it directly."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from discovery import paths
from discovery.ranking import Ranker, Ranking, RankingParams
from discovery.settings import Settings
from discovery.world import World
from storage import Interaction, InteractionKind, MediaType

if TYPE_CHECKING:
    from discovery.ranker_personal import PersonalModel

MEDIA_CHOICES = {"all": None, "photo": MediaType.PHOTO, "video": MediaType.VIDEO, "carousel": MediaType.CAROUSEL}
TOKEN = re.compile(r"([#@][\w.]+)", re.UNICODE)


@dataclass(frozen=True)
class PostFilter:
    author: str = ""  # username or full name, substring, case-insensitive
    hashtag: str = ""  # one hashtag, without '#'
    text: str = ""  # words in the caption, username or full name
    since: int | None = None  # epoch seconds, inclusive
    until: int | None = None
    media: str = "all"  # a key of MEDIA_CHOICES
    unseen_only: bool = False
    sort: str = "score"  # "score" or "time" (newest first)

    @property
    def active(self) -> bool:
        return self != PostFilter(sort=self.sort)


@dataclass(frozen=True)
class PostDetail:
    post_id: int
    pk: str
    shortcode: str | None
    caption: str
    hashtags: list[str]
    mentions: list[str]
    author_pk: str
    username: str
    full_name: str
    followers: int | None
    following: bool
    pagerank_position: int
    followed_by: list[str]  # usernames of accounts the person follows that follow the author
    followed_by_count: int
    media_type: int
    carousel_count: int
    saved: bool
    seen: bool
    url: str | None


LEARNING_NOTE = "Ranking with the seed formula while Tessera learns from your likes…"
SEED_NOTE = ("Ranked by the seed formula: closeness × recency × comments × likes × how often you liked the "
             "author, each counted once.")
MANUAL_NOTE = "Ranked by the seed formula's factors, each switched on or off and weighted by you below."


class Browser:
    """One world as the window sees it: a Ranker, the settings, the person's actions.

    With `background_training`, a learned ranking never waits for the model: the seed formula ranks until it
    is trained (after the first ranking, a reload, or many new actions), then `on_trained(model)` is called
    on the training thread (the window relays it to the GUI thread and ranks again)."""

    def __init__(self, world: World, settings: Settings | None = None, background_training: bool = False):
        self.world = world
        self.settings = settings or Settings(paths.settings_path(world.directory.parent.parent))
        self.background_training = background_training
        self.on_trained: Callable[[PersonalModel], None] | None = None
        self.ranker = self._ranker()

    def _ranker(self, warm_start: np.ndarray | None = None) -> Ranker:
        ranker = Ranker(self.world.store, self.world.now(), warm_start=warm_start,
                        background_training=self.background_training)
        ranker.on_trained = lambda model: self._trained(ranker, model)
        return ranker

    def _trained(self, ranker: Ranker, model: PersonalModel) -> None:
        if ranker is self.ranker and self.on_trained is not None:  # a replaced Ranker's model is not shown
            self.on_trained(model)

    def params(self) -> RankingParams:
        return RankingParams.from_settings(self.settings)

    @property
    def learning(self) -> bool:
        """Whether the seed formula ranks now only because the learned model is still training."""
        return (self.background_training and self.params().effective_mode() == "learned"
                and not self.ranker.trained)

    def ranking_note(self) -> str:
        """What ranks the lists, in words: the learned summary, or which formula and why."""
        mode = self.params().effective_mode()
        if mode == "manual":
            return MANUAL_NOTE
        if mode == "seed":
            return SEED_NOTE
        model = self.ranker.current_model  # never train here: this runs on the GUI thread
        return LEARNING_NOTE if model is None else model.summary()

    def reload(self) -> None:
        """New data arrived (sync, import): read the world again. A new Ranker replaces the old one in one
        step, so a ranking running meanwhile on another thread keeps a consistent (older) picture. Its model
        is trained again on the next learned ranking."""
        self.ranker = self._ranker(warm_start=self.ranker.pagerank)

    def rank(self, kind: str, params: RankingParams | None = None) -> Ranking:
        params = params or self.params()
        return self.ranker.explore(params) if kind == "explore" else self.ranker.feed(params)

    def filtered(self, ranking: Ranking, post_filter: PostFilter) -> pd.DataFrame:
        return apply_filter(ranking.frame, post_filter, self.ranker)

    # --- one post --------------------------------------------------------------------------------------

    def detail(self, post_id: int) -> PostDetail:
        store, ranker = self.world.store, self.ranker
        post = store.posts_frame(post_ids=[post_id]).iloc[0]
        author_id = int(post.author_id)
        account = store.accounts_frame([author_id]).iloc[0]
        followers = _followed_by(ranker, author_id)
        tags = sorted(set(store.hashtags_frame([post_id])["tag"]))
        mentions = sorted(set(store.mentions_frame([post_id])["username"]))
        return PostDetail(
            post_id=post_id, pk=post.pk, shortcode=post.shortcode, caption=post.caption or "",
            hashtags=tags, mentions=mentions, author_pk=account.pk, username=account.username,
            full_name=account.full_name or "",
            followers=None if pd.isna(account.follower_count) else int(account.follower_count),
            following=bool(ranker.followed[author_id]) if author_id < len(ranker.followed) else False,
            pagerank_position=int(ranker.pagerank_position[author_id]) if author_id < len(ranker.pagerank) else 0,
            followed_by=[ranker.usernames[i] for i in followers[:3]], followed_by_count=len(followers),
            media_type=int(post.media_type), carousel_count=int(post.carousel_count or 0),
            saved=post_id in ranker.saved, seen=post_id in ranker.seen,
            url=f"https://www.instagram.com/p/{post.shortcode}/" if post.shortcode else None,
        )

    # --- the person's actions --------------------------------------------------------------------------

    def act(self, kind: InteractionKind, post_pk: str | None = None, account_pk: str | None = None,
            value: float = 1.0) -> None:
        """Record an action (hide, save, see fewer, seen, opened, dwell) so the next ranking uses it."""
        self.world.store.add_interactions([Interaction(kind, self.world.now(), post=post_pk, account=account_pk,
                                                       value=value)])
        self.ranker.reload_interactions()

    def undo(self, kind: InteractionKind, post_pk: str | None = None, account_pk: str | None = None) -> None:
        self.world.store.remove_interactions(kind, post=post_pk, account=account_pk)
        self.ranker.reload_interactions()

    # --- pictures --------------------------------------------------------------------------------------

    def image_path(self, post_pk: str, allow_network: bool = False) -> Path | None:
        """The post's picture on disk: cached, drawn (demo world) or, when allowed, downloaded."""
        return self.world.pictures.post(post_pk, allow_network=allow_network)

    def carousel_path(self, post_pk: str, page: int, allow_network: bool = False) -> Path | None:
        """Picture `page` of a carousel (0 is the cover, the one a sync downloads)."""
        return self.world.pictures.post(post_pk, page, allow_network)


def apply_filter(frame: pd.DataFrame, post_filter: PostFilter, ranker: Ranker) -> pd.DataFrame:
    """The rows of a ranked frame that pass the filter, in ranked or newest-first order."""
    keep = np.ones(len(frame), bool)
    if post_filter.author:
        needle = post_filter.author.lower().lstrip("@")
        keep &= (frame["username"].str.lower().str.contains(needle, regex=False)
                 | frame["full_name"].str.lower().str.contains(needle, regex=False)).to_numpy()
    if post_filter.hashtag:
        tag = post_filter.hashtag.lower().lstrip("#")
        index = ranker.tag_index
        keep &= frame["id"].isin(index.loc[index["tag"] == tag, "post_id"]).to_numpy()
    if post_filter.text:
        haystack = (frame["caption"].fillna("") + " " + frame["username"] + " " + frame["full_name"]).str.lower()
        for word in post_filter.text.lower().split():
            keep &= haystack.str.contains(word, regex=False).to_numpy()
    if post_filter.since is not None:
        keep &= (frame["taken_at"] >= post_filter.since).to_numpy()
    if post_filter.until is not None:
        keep &= (frame["taken_at"] <= post_filter.until).to_numpy()
    media = MEDIA_CHOICES.get(post_filter.media)
    if media is not None:
        keep &= (frame["media_type"] == int(media)).to_numpy()
    if post_filter.unseen_only and ranker.seen:
        keep &= ~frame["id"].isin(ranker.seen).to_numpy()
    result = frame[keep]
    if post_filter.sort == "time":
        result = result.sort_values("taken_at", ascending=False, kind="stable")
    return result.reset_index(drop=True)


def caption_tokens(caption: str) -> list[tuple[str, str]]:
    """Split a caption into ("text" | "hashtag" | "mention", piece) runs, for links in the detail view."""
    out = []
    for piece in TOKEN.split(caption):
        if not piece:
            continue
        kind = "hashtag" if piece.startswith("#") and len(piece) > 1 else (
            "mention" if piece.startswith("@") and len(piece) > 1 else "text")
        out.append((kind, piece))
    return out


def _followed_by(ranker: Ranker, author_id: int) -> list[int]:
    """Accounts the person follows that follow `author_id`, most central first."""
    if ranker.graph is None or author_id >= ranker.graph.size:
        return []
    column = ranker.graph.adjacency[:, author_id].tocoo().row
    mine = column[ranker.followed[column]]
    return sorted(mine.tolist(), key=lambda i: -ranker.pagerank[i])
