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

import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from discovery import memory
from discovery.ranker_features import FEATURES, History, WorldData, feature_frame
from discovery.ranker_lists import Learned, explore_frame, feed_frame
from discovery.ranker_lists import combine as combine
from discovery.ranker_lists import diversify as diversify
from discovery.ranker_lists import factor_values as factor_values
from discovery.ranker_snapshot import RANKED_COLUMNS as RANKED_COLUMNS
from discovery.ranker_snapshot import RankerSnapshot, actions_of, load_snapshot, read_events
from discovery.settings import FACTORS as FACTORS
from discovery.settings import MAX_WINDOW_DAYS as MAX_WINDOW_DAYS
from discovery.settings import RankingSettings, Settings
from discovery.why import explain
from storage import Store

if TYPE_CHECKING:  # scikit-learn loads only when a model trains
    from discovery.ranker_personal import PersonalModel

log = logging.getLogger(__name__)

RETRAIN_EVERY = 25  # new likes, saves, opens or hides before the learned model is trained again
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

    def percentiles(self, row: int) -> list[dict[str, Any]]:
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

    def records(self, top: int | None = None) -> list[dict[str, Any]]:
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
    """Holds one world's RankerSnapshot (discovery.ranker_snapshot) and the person's learned model, and ranks
    from memory with the pure functions of discovery.ranker_lists. `reload()` after new data,
    `reload_interactions()` after the person hid, saved or asked to see fewer: each swaps in a new snapshot.

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
        self._lock = threading.RLock()
        self._train_lock = threading.Lock()  # one training at a time; it does not hold self._lock meanwhile
        self._personal: PersonalModel | None = None
        self._stale = False  # many new actions since the model was trained: train again, rank with it meanwhile
        self._data: WorldData | None = None
        self._history: History | None = None
        self._trained_actions = 0
        # The store's data version the learned model was trained at (None: unknown, e.g. a history cut short):
        # with the snapshot's data version, what discovery.snapshot keys a kept ranking by.
        self.model_version: str | None = None
        self.snapshot: RankerSnapshot = load_snapshot(store, now, self.history_until, warm_start)

    # --- loading ---------------------------------------------------------------------------------------

    def reload(self) -> None:
        snapshot = load_snapshot(self.store, self.now, self.history_until, self.snapshot.pagerank)
        with self._lock:
            self.snapshot = snapshot
            self._personal = self._data = self._history = None
            self.model_version = None

    def reload_interactions(self, version: str | None = None) -> None:
        """Read the person's actions again; `version` is the store's data version they are read at, when the
        caller knows that nothing else changed since this Ranker's data version (else it becomes unknown)."""
        events = read_events(self.store, self.history_until)
        with self._lock:
            if self._data is not None:
                self._data.reload_events(self.store)
                self._history = None  # the author counts of saves, hides... change at once
                if len(events) - self._trained_actions >= RETRAIN_EVERY:
                    self._stale = True
            self.snapshot = self.snapshot.with_actions(actions_of(events), version)

    @property
    def data_version(self) -> str | None:
        """The store's data version the snapshot is of (None: unknown)."""
        return self.snapshot.data_version

    @property
    def me(self) -> int | None:
        return self.snapshot.me

    @property
    def followed(self) -> np.ndarray:
        return self.snapshot.followed

    @property
    def interests(self) -> pd.Series:
        return self.snapshot.interests

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
            if not self._stale:
                saved = self.load_saved_model()
                if saved is not None:
                    return self._personal if self._personal is not None else saved
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
                snapshot = self.snapshot
                self._data = WorldData(self.store, len(snapshot.usernames), snapshot.me, *self.store.edges(),
                                       snapshot.followed, snapshot.followed_by, self.now, self.history_until)
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

    def _feature_inputs(self) -> tuple[WorldData, History]:
        with self._lock:
            data = self._world_data()
            if self._history is None:
                self._history = data.history(self.cutoff, self.snapshot.pagerank)
            return data, self._history

    def features(self, posts: pd.DataFrame, params: RankingParams = RankingParams()) -> pd.DataFrame:
        """Every feature of discovery.ranker_features.FEATURES for these posts, as known now."""
        data, history = self._feature_inputs()
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

    def _learned_inputs(self, params: RankingParams) -> Learned | None:
        model = self._learned(params)
        if model is None:
            return None
        data, history = self._feature_inputs()
        return Learned(model, data, history)

    # --- ranking ---------------------------------------------------------------------------------------

    def feed(self, params: RankingParams = RankingParams()) -> Ranking:
        snapshot = self.snapshot
        if snapshot.me is None or not snapshot.followed.any():
            return Ranking("feed", _empty_frame(), "You follow nobody in this world yet: connect your Instagram "
                           "account or import your data export, and your feed appears here.")
        learned = self._learned_inputs(params)
        frame = feed_frame(snapshot, params, self.now, learned)
        message = None if len(frame) else (f"Nobody you follow posted in the last {params.window_days:g} days. "
                                           "Widen the window in the ranking settings.")
        return Ranking("feed", frame, message, "learned" if learned is not None else _formula_mode(params))

    def explore(self, params: RankingParams = RankingParams()) -> Ranking:
        snapshot = self.snapshot
        if snapshot.me is None:
            return Ranking("explore", _empty_frame(), "This world has no person at its centre yet: connect your "
                           "Instagram account or import your data export.")
        learned = self._learned_inputs(params)
        frame = explore_frame(snapshot, params, self.now, learned)
        mode = "learned" if learned is not None else _formula_mode(params)
        return Ranking("explore", frame, None if len(frame) else EXPLORE_EMPTY, mode)


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


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame(columns=list(LIST_COLUMNS))
