"""Feed and Explore: the personal ranker, the seed's score, personalized PageRank, interests, diversity and
explanations.

Three modes (`ranking.mode`):
- "learned" (the default): a model of this person learned from their own likes, saves and opens
  (discovery.ranker_personal), with the seed formula as its prior while there are few;
- "seed": the seed project's formula, every factor at exponent 1,

    score = log10(comments+2) · log10(likes+1) · ppr(author) · exp(-age/τ) · ln(weight+1)

- "manual": the same formula with the person's switches and exponents. Moving a factor's switch or exponent
  away from its default in "learned" mode ranks manually too, until they are reset.

τ, the window and the diversity cap are settings in every mode. The Ranker loads the world once (graph,
PageRank, recent posts, interests; the learned model on first use) and re-ranks from memory.
"""

from __future__ import annotations

import heapq
import logging
import threading
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from discovery import memory
from discovery.graph import YEAR_SECONDS, FollowGraph, affinity_weight
from discovery.ranker_features import FEATURES, WorldData, feature_frame
from discovery.settings import FACTORS as FACTORS
from discovery.settings import MAX_WINDOW_DAYS as MAX_WINDOW_DAYS
from discovery.settings import MODES, RankingSettings, Settings
from discovery.why import explain
from storage import InteractionKind, Store

if TYPE_CHECKING:  # scikit-learn loads only when a model trains
    from discovery.ranker_personal import PersonalModel

log = logging.getLogger(__name__)

RETRAIN_EVERY = 25  # new likes, saves, opens or hides before the learned model is trained again
# What ranking, cards and filters read of a post; the rest (location, size...) the detail view reads itself.
RANKED_COLUMNS = ("id", "pk", "shortcode", "author_id", "taken_at", "media_type", "like_count", "comment_count",
                  "play_count", "carousel_count", "caption")
# The written contract of a ranked list's frame (Ranking.frame): every list, empty or not, from the formula or
# the learned model, kept or fresh, carries these columns. A learned list adds "chance"; factor columns
# ("f_…") and the model's features vary with the mode.
LIST_COLUMNS = (*RANKED_COLUMNS, "score", "age_s", "source", "tag", "username", "full_name", "liked_count",
                "followed_by", "author_followers", "pagerank_position", "following")


@dataclass(frozen=True)
class RankingParams(RankingSettings):
    """The ranking settings a list is ranked with (their defaults are the declarations')."""

    @classmethod
    def from_settings(cls, settings: Settings) -> RankingParams:
        return cls(**asdict(settings.ranking))

    def power(self, factor: str) -> float:
        return getattr(self, f"{factor}_power") if getattr(self, f"{factor}_on") else 0.0

    @property
    def manual_factors(self) -> bool:
        """Whether any factor's switch or exponent is away from its default."""
        return any(not getattr(self, f"{n}_on") or getattr(self, f"{n}_power") != 1.0 for n in FACTORS)

    def effective_mode(self) -> str:
        """The mode that ranks: "learned" turns "manual" while a factor is moved from its default."""
        mode = self.mode if self.mode in MODES else "learned"
        return "manual" if mode == "learned" and self.manual_factors else mode

    def formula(self) -> RankingParams:
        """The parameters the seed formula ranks with in this mode ("seed": every exponent 1)."""
        if self.effective_mode() == "manual":
            return self
        defaults = RankingParams()
        return replace(self, **{f"{n}_{part}": getattr(defaults, f"{n}_{part}")
                                for n in FACTORS for part in ("on", "power")})


@dataclass
class Ranking:
    """Ranked posts, best first. `frame` has one row per post with its data, score, factor values
    (columns `f_<factor>`) and what the explanation needs; `message` says why it is empty, if it is."""

    kind: str  # "feed" or "explore"
    frame: pd.DataFrame
    message: str | None = None
    mode: str = "seed"  # what ranked it: "learned", "seed" or "manual"

    def __len__(self) -> int:
        return len(self.frame)

    def factors(self, row: int) -> dict[str, float]:
        item = self.frame.iloc[row]
        return {name: float(item[f"f_{name}"]) for name in FACTORS if f"f_{name}" in item}

    def why(self, row: int) -> str:
        return explain(self.frame.iloc[row], self.kind)

    def factor_bars(self, row: int) -> list[tuple[str, str, float, float]]:
        """(name, label, value, share) per factor of one item, where share is the fraction of this list's
        items with a lower value: how much that factor lifts this post among its neighbours."""
        out = []
        for name, (label, _formula) in FACTORS.items():
            column = f"f_{name}"
            if column not in self.frame or pd.isna(self.frame[column].iloc[row]):
                continue
            values = self.frame[column].to_numpy(np.float64)
            value = values[row]
            share = float((values < value).sum() + 0.5 * ((values == value).sum() - 1)) / max(1, len(values) - 1)
            out.append((name, label, float(value), share))
        return out

    def percentiles(self, row: int) -> list[dict]:
        """Each feature's place for one item among today's candidates of this list, in words: per feature
        {"name", "label", "value", "percentile" (0..100: the share of candidates below it), "text"} — e.g.
        "closer to you than 98% of today's authors". Every feature the ranking computed is listed (the seed's
        five in seed and manual modes, all of discovery.ranker_features.FEATURES in learned mode)."""
        out = []
        for name, (label, _what) in FEATURES.items():
            column = f"f_{name}"
            if column not in self.frame or pd.isna(self.frame[column].iloc[row]):
                continue
            value = float(self.frame[column].iloc[row])
            among = self.frame.drop_duplicates("author_id") if name in AUTHOR_FEATURES else self.frame
            values = among[column].to_numpy(np.float64)
            below = float((values < value).sum() + 0.5 * ((values == value).sum() - 1)) / max(1, len(values) - 1)
            percentile = min(100, max(0, round(100 * below)))
            if name in BINARY_TEXT:
                sentence = BINARY_TEXT[name][value > 0]
            else:
                sentence = PERCENTILE_TEXT.get(name, "{label}: above {p}% of today's posts").format(
                    p=percentile, label=label)
            out.append({"name": name, "label": label, "value": value, "percentile": percentile, "text": sentence})
        return out

    def records(self, top: int | None = None) -> list[dict]:
        """Plain dicts for JSON: post, author, taken_at, score, factors, why, and the post's numbers."""
        out = []
        for row in range(min(len(self), top or len(self))):
            item = self.frame.iloc[row]
            out.append({
                "rank": row + 1, "post": item.pk, "shortcode": item.shortcode, "author": item.username,
                "taken_at": int(item.taken_at), "score": float(item.score),
                "chance": _chance(item), "factors": self.factors(row),
                "why": self.why(row), "likes": int(item.like_count), "comments": int(item.comment_count),
                "source": item.source, "hashtag": item.tag or None,
            })
        return out


class Ranker:
    """Holds one world's ranking inputs in memory; `reload()` after new data, `reload_interactions()`
    after the person hid, saved or asked to see fewer.

    `history_until` (epoch seconds, default: everything) hides the person's likes and actions from that
    moment on: an evaluation ranks today's posts knowing only what came before them. The learned model is
    trained on first use (`personal`), again after RETRAIN_EVERY new actions, and by `retrain()`."""

    def __init__(self, store: Store, now: int, warm_start: np.ndarray | None = None,
                 history_until: int | None = None, background_training: bool = False,
                 model_path: Path | None = None):
        self.store = store
        # Where the learned model is kept (learned_model_path): read instead of training
        # when it was trained on the store's current data version, written after each training.
        self.model_path = model_path
        # With background_training, a learned ranking asked for before the model is ready is ranked by the
        # seed formula (its Ranking.mode says "seed") while a thread trains; `on_trained(model)` is then
        # called on that thread, e.g. to rank again.
        self.background_training = background_training
        self.on_trained: Callable[[PersonalModel], None] | None = None
        self._training: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.now = now
        self.history_until = int(history_until) if history_until is not None else None
        self._last_pagerank = warm_start  # the last PageRank vector: the next one converges from there
        self._lock = threading.RLock()
        self._train_lock = threading.Lock()  # one training at a time; it does not hold self._lock meanwhile
        self._personal: PersonalModel | None = None
        self._stale = False  # many new actions since the model was trained: train again, rank with it meanwhile
        self._data: WorldData | None = None
        self._history = None
        self._trained_actions = 0
        # The store's data version this Ranker's picture is of, and the one its learned model was trained at
        # (None: unknown, e.g. a history cut short): what discovery.snapshot keys a kept ranking by.
        self.data_version: str | None = None
        self.model_version: str | None = None
        self.reload()

    # --- loading ---------------------------------------------------------------------------------------

    def reload(self) -> None:
        store = self.store
        version = store.data_version() if self.history_until is None else None  # read before the data
        me_pk = store.me()
        self.me = store.account_id(me_pk) if me_pk else None
        accounts = store.accounts_frame()
        size = int(accounts["id"].max()) + 1 if len(accounts) else 1
        self.usernames = np.full(size, "", dtype=object)
        self.full_names = np.full(size, "", dtype=object)
        ids = accounts["id"].to_numpy(np.int64)
        self.usernames[ids] = accounts["username"].to_numpy()
        self.full_names[ids] = accounts["full_name"].to_numpy()
        self.followers = np.zeros(size, np.int64)
        self.followers[ids] = accounts["follower_count"].fillna(0).to_numpy(np.int64)

        likes = store.likes_frame()
        if self.history_until is not None:
            likes = likes[likes["liked_at"].isna() | (likes["liked_at"] < self.history_until)]
        since = (self.now if self.history_until is None else self.history_until) - YEAR_SECONDS
        recent = likes[likes["liked_at"].isna() | (likes["liked_at"] >= since)]
        like_counts = np.bincount(recent["author_id"].to_numpy(np.int64), minlength=size)[:size]
        src, dst = store.edges()
        if self.me is not None:
            self.graph = FollowGraph.build(src, dst, self.me, size, like_counts)
            self.pagerank = self.graph.pagerank(x0=self._last_pagerank)
            self._last_pagerank = self.pagerank
            self.followed_by = self.graph.followed_by_my_follows()
            self.followed = np.zeros(self.graph.size, bool)
            self.followed[self.graph.followed] = True
            self.like_counts = self.graph.like_counts
        else:
            self.graph = None
            self.pagerank = np.zeros(size)
            self.followed_by = np.zeros(size, np.int64)
            self.followed = np.zeros(size, bool)
            self.like_counts = like_counts
        self.pagerank_position = _positions(self.pagerank)
        self.posts = self._load_posts()
        self.interests = self._load_interests(likes)
        with self._lock:
            self._personal = self._data = self._history = None
            self.model_version = None
        self.reload_interactions(version)
        memory.release()  # the store's slices and the graph's building arrays

    def _load_posts(self) -> pd.DataFrame:
        posts = self.store.posts_frame(since=self.now - MAX_WINDOW_DAYS * 86400, columns=RANKED_COLUMNS)
        posts = posts[posts["taken_at"] <= self.now].reset_index(drop=True)
        for column in ("like_count", "comment_count", "play_count", "carousel_count"):
            posts[column] = posts[column].fillna(0).astype(np.int64)
        posts["author_id"] = posts["author_id"].astype(np.int64)
        posts["taken_at"] = posts["taken_at"].astype(np.int64)
        posts["caption"] = posts["caption"].fillna("")
        tags = self.store.hashtags_frame(posts["id"].to_numpy())
        tags = tags.sort_values("post_id", kind="stable", ignore_index=True)
        tags["tag"] = tags["tag"].astype("category")  # a few thousand distinct tags over ~3 per post
        self._tag_post_ids = tags["post_id"].to_numpy(np.int64)
        self.tag_index = tags
        return posts

    def _load_interests(self, likes: pd.DataFrame) -> pd.Series:
        """The person's hashtags, most used first: from posts they liked, saved or are tagged in."""
        events = self._events()
        saved = events.loc[(events["kind"] == InteractionKind.SAVED) & events["post_id"].notna(), "post_id"]
        ids = np.unique(np.concatenate([likes["post_id"].to_numpy(np.int64), self.store.tagged_post_ids(),
                                        saved.to_numpy(np.int64)]))
        tags = self.store.hashtags_frame(ids)
        return tags["tag"].value_counts() if len(tags) else pd.Series(dtype=np.int64)

    def _events(self) -> pd.DataFrame:
        events = self.store.interactions_frame()
        return events if self.history_until is None else events[events["at"] < self.history_until]

    def reload_interactions(self, version: str | None = None) -> None:
        """Read the person's actions again; `version` is the store's data version they are read at, when the
        caller knows that nothing else changed since this Ranker's data version (else it becomes unknown)."""
        events = self._events()
        with self._lock:
            self.data_version = version
            if self._data is not None:
                self._data.reload_events(self.store)
                self._history = None  # the author counts of saves, hides... change at once
                if len(events) - self._trained_actions >= RETRAIN_EVERY:
                    self._stale = True
        posts = events[events["post_id"].notna()]
        authors = events[events["account_id"].notna()]
        self.hidden = set(posts.loc[posts["kind"] == InteractionKind.HIDDEN, "post_id"].astype(np.int64))
        self.seen = set(posts.loc[posts["kind"] == InteractionKind.SEEN, "post_id"].astype(np.int64))
        self.saved = set(posts.loc[posts["kind"] == InteractionKind.SAVED, "post_id"].astype(np.int64))
        fewer = authors.loc[authors["kind"] == InteractionKind.SEE_FEWER, "account_id"].astype(np.int64)
        self.see_fewer = Counter(fewer.tolist())

    # --- the learned model -----------------------------------------------------------------------------

    @property
    def personal(self) -> PersonalModel:
        """The person's learned model, trained now if it is missing or stale (1-2 s on the demo world)."""
        with self._lock:
            if self._personal is not None and not self._stale:
                return self._personal
        with self._train_lock:
            with self._lock:
                if self._personal is not None and not self._stale:
                    return self._personal  # another thread trained it meanwhile
            if not self._stale and self.load_saved_model() is not None:
                return self._personal
            with self._lock:
                data = self._world_data()
                cutoff, actions, version = self.cutoff, len(data.events), self.data_version
            from discovery.ranker_personal import train

            # Outside self._lock: new actions are recorded and rankings go on while the model trains.
            model = train(data, cutoff)
            with self._lock:
                self._personal, self._trained_actions, self._stale = model, actions, False
                self.model_version = version
            self._save_model(model, version)
            memory.release()  # the training rows and their copies, on this thread's heap
            return model

    def load_saved_model(self) -> PersonalModel | None:
        """The learned model kept beside the world, if it was trained on exactly the data the store holds now
        (it then ranks, without training); None otherwise. Reads a small file: no scikit-learn."""
        version = self.data_version
        if self.model_path is None or version is None or self.history_until is not None:
            return None
        from discovery.ranker_personal import load_model

        model = load_model(self.model_path, version)
        if model is not None:
            with self._lock:
                if self._personal is None or self._stale:
                    self._personal, self._trained_actions, self._stale = model, model.actions, False
                    self.model_version = version
        return model

    def _save_model(self, model: PersonalModel, version: str | None) -> None:
        if self.model_path is None or version is None or self.history_until is not None:
            return
        from discovery.ranker_personal import save_model

        try:
            save_model(model, self.model_path, version)
        except OSError as exc:  # a read-only or full disk: the model still ranks, it is trained next time
            log.warning("The learned model could not be kept in %s (%s).", self.model_path, exc.strerror)

    def retrain(self) -> PersonalModel:
        """Train the learned model again (after a sync, an import, or many new actions); call it off the
        GUI thread. Rankings in progress keep the model they started with."""
        with self._lock:
            self._stale = True
        return self.personal

    @property
    def learned_summary(self) -> str:
        """What the learned model found, in one or two sentences for the ranking panel."""
        return self.personal.summary()

    def _world_data(self) -> WorldData:
        with self._lock:
            if self._data is None:
                self._data = WorldData(self.store, len(self.usernames), self.me, *self.store.edges(),
                                       self.followed, self.followed_by, self.now, self.history_until)
            return self._data

    @property
    def cutoff(self) -> int:
        """The moment the person's known history ends: `history_until`, else just after their latest like or
        action (which, in a live world, can be later than the moment this Ranker was built)."""
        if self.history_until is not None:
            return self.history_until
        data = self._world_data()
        events = data.events["at"].max() if len(data.events) else 0
        likes = data.likes["at"].max() if len(data.likes) else 0
        return int(max(self.now, events, likes)) + 1

    def features(self, posts: pd.DataFrame, params: RankingParams = RankingParams()) -> pd.DataFrame:
        """Every feature of discovery.ranker_features.FEATURES for these posts, as known now."""
        with self._lock:
            data = self._world_data()
            if self._history is None:
                self._history = data.history(self.cutoff, self.pagerank)
            history = self._history
        return feature_frame(posts, data, history, self.now, params.tau_hours)

    @property
    def current_model(self) -> PersonalModel | None:
        """The learned model that ranks now, without training for it (None before the first training; a
        stale one while its successor trains)."""
        return self._personal

    @property
    def trained(self) -> bool:
        """Whether the learned model is ready (ranking in learned mode will not wait for training)."""
        return self._personal is not None

    def _trained_now(self, model: PersonalModel) -> None:
        if self.on_trained is not None:
            self.on_trained(model)

    def train_in_background(self, done: Callable[[PersonalModel], None] | None = None) -> threading.Thread:
        """Train the learned model, if it is missing or stale, on a daemon thread; `done(model)` follows there."""
        def run() -> None:
            model = self.personal
            if done is not None:
                done(model)

        thread = threading.Thread(target=run, name="tessera-ranker-training", daemon=True)
        thread.start()
        return thread

    def _learned(self, params: RankingParams) -> PersonalModel | None:
        if params.effective_mode() != "learned":
            return None
        if self.background_training and (self._personal is None or self._stale):
            with self._start_lock:
                if self._training is None or not self._training.is_alive():
                    self._training = self.train_in_background(self._trained_now)
            model = self._personal  # a stale model ranks until the new one is ready
            return model if model is not None and model.learned else None
        model = self.personal
        return model if model.learned else None

    def _score_learned(self, candidates: pd.DataFrame, kind: str, model: PersonalModel,
                       params: RankingParams) -> pd.DataFrame:
        """The learned model's scores, on one scale for every candidate of the list (blended with the seed
        formula's while the model rests on few likes), with every feature as an `f_` column."""
        candidates = candidates.drop_duplicates("id")
        features = self.features(candidates, params)
        probability = model.score(kind, features)
        share = model.prior_share
        if share > 0 and len(candidates):
            seed = combine({k: features[k].to_numpy() for k in FACTORS if kind == "feed" or k != "affinity"},
                           RankingParams())
            probability = (1 - share) * _percentile(probability) + share * _percentile(seed)
        if self.see_fewer:
            authors = candidates["author_id"].to_numpy()
            fewer = np.fromiter((self.see_fewer.get(a, 0) for a in authors), np.float64, len(authors))
            probability = probability * params.see_fewer_factor**fewer
        frame = candidates.copy()
        frame["score"] = probability
        # What a card shows: the model's own chance that the person likes the post (the score above is the
        # blend that orders the list, often a percentile, so near 1 for every top post).
        frame["chance"] = model.probability(kind, features)
        frame["age_s"] = (self.now - candidates["taken_at"].to_numpy()).astype(np.float64)
        for name in FEATURES:
            frame[f"f_{name}"] = features[name].to_numpy()
        return self._decorate(frame)

    # --- ranking ---------------------------------------------------------------------------------------

    def feed(self, params: RankingParams = RankingParams()) -> Ranking:
        if self.me is None or not self.followed.any():
            return Ranking("feed", _empty_frame(), "You follow nobody in this world yet: connect your Instagram "
                           "account or import your data export, and your feed appears here.")
        candidates = self._window(params)
        candidates = candidates[self.followed[candidates["author_id"].to_numpy()]]
        model = self._learned(params)
        if model is not None:
            frame = self._score_learned(candidates, "feed", model, params)
        else:
            frame = self._score(candidates, params.formula(), use_affinity=True)
        frame["source"], frame["tag"] = "following", ""
        frame = self._order(frame, params)
        message = None if len(frame) else (f"Nobody you follow posted in the last {params.window_days:g} days. "
                                           "Widen the window in the ranking settings.")
        return Ranking("feed", frame, message, "learned" if model is not None else _formula_mode(params))

    def explore(self, params: RankingParams = RankingParams()) -> Ranking:
        if self.me is None:
            return Ranking("explore", _empty_frame(), "This world has no person at its centre yet: connect your "
                           "Instagram account or import your data export.")
        window = self._window(params)
        authors = window["author_id"].to_numpy()
        strangers = window[~self.followed[authors] & (authors != self.me)]
        model = self._learned(params)
        if model is not None:
            return self._explore_learned(strangers, model, params)
        mode, params = _formula_mode(params), params.formula()
        reached = strangers[self.pagerank[strangers["author_id"].to_numpy()] > 0]
        graph = self._score(reached, params, use_affinity=False)
        graph["source"], graph["tag"] = "graph", ""
        graph = graph.sort_values(["score", "taken_at"], ascending=False, kind="stable")
        interest = self._interest_candidates(strangers, params)
        merged = _interleave(graph, interest, params.interest_every)
        frame = _diversify_frame(merged, params)
        return Ranking("explore", frame, None if len(frame) else EXPLORE_EMPTY, mode)

    def _explore_learned(self, strangers: pd.DataFrame, model: PersonalModel, params: RankingParams) -> Ranking:
        """Explore by the learned model: posts reached through the graph and posts under the person's top
        hashtags, scored on one scale and ordered together."""
        reached = self.pagerank[strangers["author_id"].to_numpy()] > 0
        top = list(self.interests.index[: params.top_hashtags]) if params.top_hashtags else []
        tagged = self.tag_index[self.tag_index["tag"].isin(top) & self.tag_index["post_id"].isin(strangers["id"])]
        order = {t: i for i, t in enumerate(top)}
        first_tag = (tagged.assign(order=tagged["tag"].astype(str).map(order)).sort_values("order", kind="stable")
                     .drop_duplicates("post_id").set_index("post_id")["tag"].astype(str))
        tag = first_tag.reindex(strangers["id"]).fillna("").to_numpy()
        keep = reached | (tag != "")
        candidates = strangers[keep]
        frame = self._score_learned(candidates, "explore", model, params)
        frame["source"] = np.where(reached[keep], "graph", "interest")
        frame["tag"] = np.where(reached[keep], "", tag[keep])
        frame = self._order(frame, params)
        return Ranking("explore", frame, None if len(frame) else EXPLORE_EMPTY, "learned")

    def _window(self, params: RankingParams) -> pd.DataFrame:
        posts = self.posts
        keep = posts["taken_at"].to_numpy() >= self.now - params.window_days * 86400
        if self.hidden:
            keep &= ~posts["id"].isin(self.hidden).to_numpy()
        return posts[keep]

    def _score(self, posts: pd.DataFrame, params: RankingParams, use_affinity: bool) -> pd.DataFrame:
        values = factor_values(posts, self.pagerank, self.like_counts if use_affinity else None, self.now, params)
        score = combine(values, params)
        if self.see_fewer:
            authors = posts["author_id"].to_numpy()
            fewer = np.fromiter((self.see_fewer.get(a, 0) for a in authors), np.float64, len(authors))
            score *= params.see_fewer_factor**fewer
        frame = posts.copy()
        frame["score"] = score
        frame["age_s"] = (self.now - posts["taken_at"].to_numpy()).astype(np.float64)
        for name, value in values.items():
            frame[f"f_{name}"] = value
        return self._decorate(frame)

    def _interest_candidates(self, strangers: pd.DataFrame, params: RankingParams) -> pd.DataFrame:
        """The best recent posts under each of the person's top hashtags, taken round-robin by hashtag."""
        if params.top_hashtags == 0 or self.interests.empty or strangers.empty:
            return self._decorate(strangers.iloc[:0].assign(score=[], age_s=[], source=[], tag=[]))
        top = list(self.interests.index[: params.top_hashtags])
        tagged = self.tag_index[self.tag_index["tag"].isin(top)]
        tagged = tagged[tagged["post_id"].isin(strangers["id"])]
        rows = strangers.set_index("id").loc[tagged["post_id"].to_numpy()].reset_index()
        rows["tag"] = tagged["tag"].to_numpy()
        rows["age_s"] = (self.now - rows["taken_at"].to_numpy()).astype(np.float64)
        values = factor_values(rows, self.pagerank, None, self.now, params)
        for name, value in values.items():
            rows[f"f_{name}"] = value
        # Interest candidates are strangers, often unreached by the graph: engagement and recency rank them.
        rows["score"] = combine({k: v for k, v in values.items() if k != "pagerank"}, params)
        rows["source"] = "interest"
        rows = rows.sort_values(["score", "taken_at"], ascending=False, kind="stable")
        rows = rows.drop_duplicates("id")
        rows["tag_rank"] = rows.groupby("tag").cumcount()
        rows["tag_order"] = rows["tag"].map({t: i for i, t in enumerate(top)})
        rows = rows.sort_values(["tag_rank", "tag_order"], kind="stable").drop(columns=["tag_rank", "tag_order"])
        return self._decorate(rows)

    def _decorate(self, frame: pd.DataFrame) -> pd.DataFrame:
        authors = frame["author_id"].to_numpy()
        frame["username"] = self.usernames[authors]
        frame["full_name"] = self.full_names[authors]
        frame["liked_count"] = self.like_counts[authors]
        frame["followed_by"] = self.followed_by[authors] if len(self.followed_by) else 0
        frame["author_followers"] = self.followers[authors]
        frame["pagerank_position"] = self.pagerank_position[authors]
        frame["following"] = self.followed[authors]
        return frame

    def _order(self, frame: pd.DataFrame, params: RankingParams) -> pd.DataFrame:
        frame = frame.sort_values(["score", "taken_at"], ascending=False, kind="stable")
        return _diversify_frame(frame, params)

    def hashtags_of(self, post_id: int) -> list[str]:
        start, end = np.searchsorted(self._tag_post_ids, [post_id, post_id + 1])
        return self.tag_index["tag"].iloc[start:end].tolist()


def _chance(item: pd.Series) -> float | None:
    """The learned model's chance that the person likes the post; None when a formula ranked it."""
    chance = item.get("chance")
    return None if chance is None or pd.isna(chance) else float(chance)


def learned_model_path(world_directory: Path) -> Path:
    """Where a world keeps its learned ranking model (see discovery.ranker_personal.save_model)."""
    return Path(world_directory) / "models" / "ranker.npz"


EXPLORE_EMPTY = ("Nothing to explore yet: no recent posts from accounts you do not follow. Sync or import "
                 "more of your neighbourhood.")


def _formula_mode(params: RankingParams) -> str:
    """The formula's mode when the learned model does not rank: "manual", else "seed"."""
    return "manual" if params.effective_mode() == "manual" else "seed"


def _percentile(values: np.ndarray) -> np.ndarray:
    """Each value's rank among `values`, from 0 (lowest) to 1 (highest); ties share their mean rank."""
    if len(values) < 2:
        return np.ones(len(values))
    return (pd.Series(values).rank(method="average").to_numpy() - 1) / (len(values) - 1)


def factor_values(posts: pd.DataFrame, pagerank: np.ndarray, like_counts: np.ndarray | None, now: int,
                  params: RankingParams) -> dict[str, np.ndarray]:
    """Each factor of the seed's score for every post (affinity only when `like_counts` is given)."""
    authors = posts["author_id"].to_numpy()
    age = (now - posts["taken_at"].to_numpy()).astype(np.float64)
    values = {
        "comments": np.log10(posts["comment_count"].to_numpy() + 2.0),
        "likes": np.log10(posts["like_count"].to_numpy() + 1.0),
        "pagerank": pagerank[authors],
        "recency": np.exp(-age / (params.tau_hours * 3600.0)),
    }
    if like_counts is not None:
        values["affinity"] = np.log(affinity_weight(like_counts[authors]) + 1.0)
    return values


def combine(values: dict[str, np.ndarray], params: RankingParams) -> np.ndarray:
    """The product of the factors, each raised to its exponent (a switched-off factor counts as 1)."""
    score = np.ones(len(next(iter(values.values()))))
    for name, value in values.items():
        power = params.power(name)
        if power == 1.0:
            score *= value
        elif power:
            score *= value**power
    return score


# --- explanation -------------------------------------------------------------------------------------------

# Features of the author rather than the post: their percentile is taken among today's authors.
AUTHOR_FEATURES = {"pagerank", "affinity", "like_rate", "followed_by", "follows_your_follows", "author_tags",
                   "author_words", "post_rate", "audience", "author_saves", "author_opens", "author_hides",
                   "author_fewer"}
PERCENTILE_TEXT = {
    "comments": "more comments than {p}% of today's posts",
    "likes": "more likes than {p}% of today's posts",
    "pagerank": "closer to you than {p}% of today's authors",
    "recency": "newer than {p}% of today's posts",
    "affinity": "you liked this author more often than {p}% of today's authors",
    "like_rate": "you like a larger share of this author's posts than of {p}% of today's authors",
    "relative_engagement": "doing better against its author's usual than {p}% of today's posts",
    "followed_by": "followed by more of the accounts you follow than {p}% of today's authors",
    "follows_your_follows": "follows more of the accounts you follow than {p}% of today's authors",
    "likes_per_follower": "more likes for its author's audience than {p}% of today's posts",
    "tag_match": "closer to your hashtags than {p}% of today's posts",
    "author_tags": "the author uses your hashtags more than {p}% of today's authors",
    "words": "closer to the words of posts you like than {p}% of today's posts",
    "author_words": "the author writes about what you like more than {p}% of today's authors",
    "post_rate": "the author posts more often than {p}% of today's authors",
    "audience": "the author has more followers than {p}% of today's authors",
}
BINARY_TEXT = {"follows_you": ("does not follow you", "follows you"),
               "tags_you": ("you are not tagged", "you are tagged in it"), "video": ("not a video", "a video"),
               "carousel": ("not a carousel", "a carousel")}


# --- ordering helpers --------------------------------------------------------------------------------------


def diversify(authors: np.ndarray, cap: int = 2, window: int = 10, limit: int | None = None) -> np.ndarray:
    """A new order of items (given best first) with at most `cap` items by one author in any `window`
    consecutive items, keeping the best available item at each place. Items past `limit` places keep their
    order; when only over-represented authors are left, they follow in order (nothing is dropped)."""
    n = len(authors)
    limit = n if limit is None else min(limit, n)
    authors = authors.tolist()
    out: list[int] = []
    recent: deque = deque()
    in_window: Counter = Counter()
    deferred: dict = {}  # author -> deque of its passed-over items, best first
    heads: list[tuple[int, object]] = []  # (best deferred item, author), a heap
    i = 0
    while len(out) < limit and (i < n or heads):
        while i < n and in_window[authors[i]] >= cap:
            queue = deferred.setdefault(authors[i], deque())
            if not queue:
                heapq.heappush(heads, (i, authors[i]))
            queue.append(i)
            i += 1
        blocked = []
        while heads and in_window[heads[0][1]] >= cap:
            blocked.append(heapq.heappop(heads))
        if heads and (i >= n or heads[0][0] < i):
            pick = heads[0][1]
        elif i < n:
            pick = None
        else:  # everything left is by over-represented authors: take the best of them anyway
            heads.extend(blocked)
            heapq.heapify(heads)
            blocked = []
            pick = heads[0][1]
        if pick is None:
            chosen = i
            i += 1
        else:
            heapq.heappop(heads)
            queue = deferred[pick]
            chosen = queue.popleft()
            if queue:
                heapq.heappush(heads, (queue[0], pick))
        for entry in blocked:
            heapq.heappush(heads, entry)
        out.append(chosen)
        author = authors[chosen]
        recent.append(author)
        in_window[author] += 1
        if len(recent) >= window:
            in_window[recent.popleft()] -= 1
    placed = np.fromiter(out, np.int64, len(out))
    rest = np.setdiff1d(np.arange(n), placed, assume_unique=True)
    return np.concatenate([placed, rest])


def _diversify_frame(frame: pd.DataFrame, params: RankingParams, limit: int = 20_000) -> pd.DataFrame:
    order = diversify(frame["author_id"].to_numpy(), params.diversity_cap, params.diversity_window, limit)
    return frame.iloc[order].reset_index(drop=True)


def _interleave(first: pd.DataFrame, second: pd.DataFrame, every: int) -> pd.DataFrame:
    """Merge two ranked lists: every `every`-th place comes from `second`; a post already taken is skipped."""
    if every <= 0 or second.empty:
        return first
    combined = pd.concat([first, second], ignore_index=True)
    ids = combined["id"].to_numpy()
    sources = [iter(range(len(first))), iter(range(len(first), len(combined)))]
    exhausted = [False, False]
    picks: list[int] = []
    seen: set[int] = set()
    while not all(exhausted):
        want = 1 if (len(picks) + 1) % every == 0 or exhausted[0] else 0
        if exhausted[want]:
            want = 1 - want
        position = next(sources[want], None)
        if position is None:
            exhausted[want] = True
        elif ids[position] not in seen:
            seen.add(ids[position])
            picks.append(position)
    return combined.iloc[picks].reset_index(drop=True)


def _positions(values: np.ndarray) -> np.ndarray:
    """1-based rank of each entry when sorted descending."""
    order = np.argsort(-values, kind="stable")
    positions = np.empty(len(values), np.int64)
    positions[order] = np.arange(1, len(values) + 1)
    return positions


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame(columns=list(LIST_COLUMNS))
