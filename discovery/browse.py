"""What the window shows, without Qt: ranked lists with filters, a post's details, the person's actions,
and where each picture comes from. The app calls this; tests call it directly."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from discovery import memory, paths, snapshot
from discovery.settings import Settings
from discovery.world import World
from storage import Interaction, InteractionKind, MediaType

if TYPE_CHECKING:  # pandas and the ranker load after a kept list is painted
    import pandas as pd

    from discovery.ranker_personal import PersonalModel
    from discovery.ranker_snapshot import RankerSnapshot
    from discovery.ranking import Ranker, Ranking, RankingParams

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

    A list ranked before from exactly what the world holds now is shown as kept (discovery.snapshot), before
    the Ranker is even loaded: `kept_list()` reads it without pandas (the window paints it first), `rank()`
    gives it as a Ranking; `ranker` loads the Ranker on first use, `warm_up()` ahead of time. Every list ranked
    by the Ranker that a fresh start would rank the same is kept in turn.

    With `background_training`, a learned ranking never waits for the model: the seed formula ranks until it
    is trained (after the first ranking, a reload, or many new actions), then `on_trained(model)` is called
    on the training thread (the window relays it to the GUI thread and ranks again)."""

    def __init__(self, world: World, settings: Settings | None = None, background_training: bool = False):
        self.world = world
        self.settings = settings or Settings(paths.settings_path(world.directory.parent.parent))
        self.background_training = background_training
        self.on_trained: Callable[[PersonalModel], None] | None = None
        self._ranker: Ranker | None = None
        self._loading = threading.Lock()
        # kind -> the list last kept or read, and what it holds for: (data version, parameters, hour). Asked for
        # again, it is given again (a list kept here holds the Ranking itself: read back, its text would be a
        # second copy of the Ranker's).
        self._kept: dict[str, tuple[tuple[Any, ...], snapshot.KeptList]] = {}
        self._provisional: dict[str, bool] = {}  # kind -> ranked by the seed formula while the model trains

    @property
    def ranker(self) -> Ranker:
        """The world's Ranker, loaded on first use."""
        ranker = self._ranker
        if ranker is None:
            with self._loading:
                if self._ranker is None:
                    self._ranker = self._new_ranker()
                ranker = self._ranker
        return ranker

    @property
    def loaded(self) -> bool:
        """Whether the Ranker is loaded (kept lists can show before it is)."""
        return self._ranker is not None

    def warm_up(self) -> None:
        """Load the Ranker and train its model (call it off the GUI thread), so that the first filter, detail
        or action after a kept list was shown does not wait for them."""
        ranker = self.ranker
        if self.params().effective_mode() == "learned":
            ranker.personal  # noqa: B018 (trains, without ranking again: the lists shown hold)

    def _new_ranker(self, warm_start: np.ndarray | None = None) -> Ranker:
        from discovery.ranking import Ranker, learned_model_path

        ranker = Ranker(self.world.store, self.world.now(), warm_start=warm_start,
                        background_training=self.background_training,
                        model_path=learned_model_path(self.world.directory))
        ranker.on_trained = lambda model: self._trained(ranker, model)
        return ranker

    def _trained(self, ranker: Ranker, model: PersonalModel) -> None:
        if ranker is self._ranker and self.on_trained is not None:  # a replaced Ranker's model is not shown
            self.on_trained(model)

    def params(self) -> RankingParams:
        from discovery.ranking import RankingParams

        return RankingParams.from_settings(self.settings)

    @property
    def learning(self) -> bool:
        """Whether the seed formula ranks now only because the learned model is still training."""
        ranker = self._ranker
        return (self.background_training and self.params().effective_mode() == "learned"
                and any(self._provisional.values()) and ranker is not None and not ranker.trained)

    def ranking_note(self) -> str:
        """What ranks the lists, in words: the learned summary, or which formula and why."""
        mode = self.params().effective_mode()
        if mode == "manual":
            return MANUAL_NOTE
        if mode == "seed":
            return SEED_NOTE
        model = self._ranker.current_model if self._ranker is not None else None  # never train here (GUI thread)
        if model is not None:
            return model.summary()
        kept = next((k.summary for _, k in self._kept.values() if k.summary), None)
        return kept or LEARNING_NOTE

    def interests(self, top: int = snapshot.INTERESTS) -> list[str]:
        """The person's hashtags, most used first (from the kept list while the Ranker is not loaded)."""
        if self._ranker is None and self._kept:
            return next(iter(self._kept.values()))[1].interests[:top]
        return list(self.ranker.snapshot.interests.index[:top])

    def reload(self) -> None:
        """New data arrived (sync, import): read the world again. A new Ranker replaces the old one in one
        step, so a ranking running meanwhile on another thread keeps a consistent (older) picture. Its model
        is trained again on the next learned ranking."""
        old = self._ranker
        self._ranker = self._new_ranker(warm_start=old.snapshot.pagerank if old is not None else None)

    def rank(self, kind: str, params: RankingParams | None = None) -> Ranking:
        params = params or self.params()
        kept = self.kept_list(kind, asdict(params))
        if kept is not None:
            self._provisional[kind] = False
            return kept.ranking
        ranker = self.ranker
        before = (ranker.data_version, ranker.model_version, ranker.current_model)
        ranking = ranker.explore(params) if kind == "explore" else ranker.feed(params)
        learned = params.effective_mode() == "learned"
        self._provisional[kind] = learned and ranking.mode != "learned" and before[2] is None
        after = (ranker.data_version, ranker.model_version, ranker.current_model)
        if before[:2] == after[:2] and before[2] is after[2]:  # nothing moved while it ranked
            self._keep(ranker, params, ranking)
        memory.release()  # the frames it built and dropped on the way
        return ranking

    def kept_list(self, kind: str, params: dict[str, Any] | None = None) -> snapshot.KeptList | None:
        """The list of `kind` as kept by the last ranking, if a fresh ranking with these parameters (as a dict;
        default: the settings') would give it now. Reads neither pandas nor the store's SQLAlchemy side."""
        params = params if params is not None else asdict(self.settings.ranking)
        ranker = self._ranker  # a loaded Ranker's own picture, else the world as it is now
        data = ranker.data_version if ranker is not None else self.world.data_version()
        now = ranker.now if ranker is not None else self.world.now()
        held = (data, params, int(now) // snapshot.HOUR)
        if kind in self._kept and self._kept[kind][0] == held:
            return self._kept[kind][1]
        kept = snapshot.read_list(self.world.directory, kind, data, params, now)
        if kept is not None:
            self._kept[kind] = held, kept
        return kept

    def _keep(self, ranker: Ranker, params: RankingParams, ranking: Ranking) -> None:
        """Keep a list for the next start, when a fresh start would rank it the same: from the data the Ranker
        holds, and in learned mode by a model trained on exactly that data."""
        learned = params.effective_mode() == "learned"
        model = ranker.current_model
        if learned and (model is None or ranker.model_version != ranker.data_version):
            return
        stamp = snapshot.Stamp.of(ranker.data_version, ranker.model_version if learned else snapshot.FORMULA,
                                  ranker.now)
        if stamp is None:
            return
        settings = self.settings.stored("ranking") if params == self.params() else None
        held = (ranker.data_version, asdict(params), int(ranker.now) // snapshot.HOUR)
        self._kept[ranking.kind] = held, snapshot.save(
            self.world.directory, stamp, settings, asdict(params), ranking, self.world.title,
            model.summary() if model is not None and learned else None,
            list(ranker.snapshot.interests.index[:snapshot.INTERESTS]))

    def filtered(self, ranking: Ranking, post_filter: PostFilter) -> pd.DataFrame:
        needs_ranker = bool(post_filter.hashtag) or post_filter.unseen_only  # the others read the list alone
        ranker = self.ranker if needs_ranker else self._ranker
        return apply_filter(ranking.frame, post_filter, ranker.snapshot if ranker is not None else None)

    # --- one post --------------------------------------------------------------------------------------

    def detail(self, post_id: int) -> PostDetail:
        import pandas as pd

        store, ranked = self.world.store, self.ranker.snapshot
        post = store.posts_frame(post_ids=[post_id]).iloc[0]
        author_id = int(post.author_id)
        account = store.accounts_frame([author_id]).iloc[0]
        followers = ranked.followers_among_follows(author_id)
        tags = sorted(set(store.hashtags_frame([post_id])["tag"]))
        mentions = sorted(set(store.mentions_frame([post_id])["username"]))
        return PostDetail(
            post_id=post_id, pk=post.pk, shortcode=post.shortcode, caption=post.caption or "",
            hashtags=tags, mentions=mentions, author_pk=account.pk, username=account.username,
            full_name=account.full_name or "",
            followers=None if pd.isna(account.follower_count) else int(account.follower_count),
            following=ranked.is_followed(author_id), pagerank_position=ranked.position(author_id),
            followed_by=[str(ranked.usernames[i]) for i in followers[:3]], followed_by_count=len(followers),
            media_type=int(post.media_type), carousel_count=int(post.carousel_count or 0),
            saved=post_id in ranked.actions.saved, seen=post_id in ranked.actions.seen,
            url=f"https://www.instagram.com/p/{post.shortcode}/" if post.shortcode else None,
        )

    # --- the person's actions --------------------------------------------------------------------------

    def act(self, kind: InteractionKind, post_pk: str | None = None, account_pk: str | None = None,
            value: float = 1.0) -> None:
        """Record an action (hide, save, see fewer, seen, opened, dwell) so the next ranking uses it."""
        self.world.store.add_interactions([Interaction(kind, self.world.now(), post=post_pk, account=account_pk,
                                                       value=value)])
        self._reread_interactions(kind)

    def undo(self, kind: InteractionKind, post_pk: str | None = None, account_pk: str | None = None) -> None:
        self.world.store.remove_interactions(kind, post=post_pk, account=account_pk)
        self._reread_interactions(kind)

    def _reread_interactions(self, kind: InteractionKind) -> None:
        ranker = self._ranker
        if ranker is None:
            return  # nothing loaded to update: the Ranker reads the actions when it loads
        # The Ranker's picture moves to the new data version when this write was the only change since it; a
        # save also changes the person's hashtags, which only a reload reads.
        change = self.world.store.last_change()
        follows = change is not None and change[0] == ranker.data_version and kind != InteractionKind.SAVED
        ranker.reload_interactions(change[1] if change is not None and follows else None)

    # --- pictures --------------------------------------------------------------------------------------

    def image_path(self, post_pk: str, allow_network: bool = False) -> Path | None:
        """The post's picture on disk: cached, drawn (demo world) or, when allowed, downloaded."""
        return self.world.pictures.post(post_pk, allow_network=allow_network)

    def carousel_path(self, post_pk: str, page: int, allow_network: bool = False) -> Path | None:
        """Picture `page` of a carousel (0 is the cover, the one a sync downloads)."""
        return self.world.pictures.post(post_pk, page, allow_network)


def apply_filter(frame: pd.DataFrame, post_filter: PostFilter, ranked: RankerSnapshot | None) -> pd.DataFrame:
    """The rows of a ranked frame that pass the filter, in ranked or newest-first order (`ranked`, the world
    the list was ranked from, is needed by the hashtag and unseen filters only)."""
    keep = np.ones(len(frame), bool)
    if post_filter.author:
        needle = post_filter.author.lower().lstrip("@")
        keep &= (frame["username"].str.lower().str.contains(needle, regex=False)
                 | frame["full_name"].str.lower().str.contains(needle, regex=False)).to_numpy()
    if post_filter.hashtag:
        tag = post_filter.hashtag.lower().lstrip("#")
        if ranked is None:
            raise ValueError("the hashtag filter needs the snapshot the list was ranked from")
        keep &= frame["id"].isin(ranked.posts_tagged(tag)).to_numpy()
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
    if post_filter.unseen_only and ranked is not None and ranked.actions.seen:
        keep &= ~frame["id"].isin(ranked.actions.seen).to_numpy()
    result = frame if keep.all() else frame[keep]  # all kept: no copy of the whole list
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

