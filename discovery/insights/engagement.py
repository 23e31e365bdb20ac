"""What earns engagement here: one Chart per question, each with its numbers as a frame and a reading
computed from them (a sentence such as "Carousels earn 1.4× the engagement of photos here").

Comparisons between kinds of posts (media type, hashtags, hour, weekday, hashtag group, the top 10%) use
`lift`, a post's likes + comments against its author's usual, so that big accounts do not decide them; a
group's typical lift is the geometric mean of its posts' lifts (a median would sit at 1× whenever most
authors post mostly in one group).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from discovery import text
from discovery.insights.posts import KIND_NAMES, KINDS, post_table
from storage import Store

MIN_GROUP = 5  # posts (or accounts) a group needs before a reading compares it
SAME = 1.05  # ratios within 5% count as no difference
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HASHTAG_BINS = ((0, 0, "no hashtags"), (1, 3, "1–3 hashtags"), (4, 7, "4–7 hashtags"),
                (8, 15, "8–15 hashtags"), (16, 10_000, "16 or more hashtags"))
MIN_TAG_POSTS = 5  # a hashtag joins the co-occurrence graph when this many posts carry it
MAX_TAGS = 400
TOP_SHARE = 0.10
MIN_EFFECT = 0.1  # standardised differences smaller than this do not set the top posts apart
SEED = 7
EMPTY_MESSAGE = ("This world has no posts with like counts yet: sync your account or import your data export, "
                 "and the charts of what earns engagement appear here.")


@dataclass
class Chart:
    key: str  # a file-name stem: "likes_by_media_type"
    title: str
    reading: str  # one sentence computed from `frame`
    frame: pd.DataFrame  # the numbers the chart draws
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # further numbers behind the reading
    measure: str = ""  # what the values mean, for an axis label


def engagement_charts(store: Store, tz: str | dt.tzinfo | None = None) -> list[Chart]:
    """Every chart the store has data for, in reading order; empty when the store has no posts."""
    posts = post_table(store, tz)
    if posts.empty:
        return []
    from discovery.predict.hashtags import best_time_heatmap

    accounts = store.accounts_frame()[["username", "follower_count"]]
    times = best_time_heatmap(store, None, tz)
    builders: list[Callable[[], Chart | None]] = [
        lambda: followers_distribution(accounts), lambda: likes_distribution(posts),
        lambda: likes_vs_comments(posts), lambda: rate_vs_followers(posts),
        lambda: by_media_type(posts), lambda: by_hashtag_count(posts), lambda: by_hour(posts, times),
        lambda: by_weekday(posts, times), lambda: hashtag_communities(posts, store.hashtags_frame()),
        lambda: top_posts(posts),
    ]
    return [chart for chart in (build() for build in builders) if chart is not None]


# --- distributions -------------------------------------------------------------------------------------------


def followers_distribution(accounts: pd.DataFrame) -> Chart | None:
    counts = pd.to_numeric(accounts["follower_count"], errors="coerce")
    frame = pd.DataFrame({"username": accounts["username"], "followers": counts})
    frame = frame[counts.notna().to_numpy()].astype({"followers": np.int64}).reset_index(drop=True)
    if frame.empty:
        return None
    values = frame["followers"].to_numpy()
    reading = f"Half the {len(values):,} accounts here have fewer than {text.compact(np.median(values))} followers"
    if len(values) >= 100:
        reading += f"; the biggest 1% have more than {text.compact(np.quantile(values, 0.99))}."
    else:
        reading += f"; the biggest has {text.compact(values.max())}."
    return Chart("followers_distribution", "Followers per account", reading, frame, measure="followers")


def likes_distribution(posts: pd.DataFrame) -> Chart:
    frame = posts[["pk", "username", "likes"]].reset_index(drop=True)
    values = frame["likes"].to_numpy()
    reading = f"The typical post here gets {text.compact(np.median(values))} likes"
    if len(values) >= 10:
        reading += f"; the top 10% get more than {text.compact(np.quantile(values, 0.9))}."
    else:
        reading += f"; the most liked has {text.compact(values.max())}."
    return Chart("likes_distribution", "Likes per post", reading, frame, measure="likes")


def likes_vs_comments(posts: pd.DataFrame) -> Chart | None:
    frame = posts[["pk", "username", "likes", "comments"]].reset_index(drop=True)
    if len(frame) < 3:
        return None
    median_comments = float(frame["comments"].median())
    if median_comments > 0:
        per = float(frame["likes"].median()) / median_comments
        first = f"About one comment for every {per:,.0f} likes here"
    else:
        first = "Most posts here get no comments at all"
    varied = frame["likes"].nunique() > 1 and frame["comments"].nunique() > 1
    rho = frame["likes"].corr(frame["comments"], method="spearman") if varied else np.nan
    if not np.isfinite(rho):
        second = "likes and comments do not vary enough to compare"
    else:
        together = ("rise together closely" if rho >= 0.7 else "tend to rise together" if rho >= 0.4
                    else "barely move together" if rho >= 0.1 else "do not move together")
        second = f"likes and comments {together} (rank correlation {rho:.2f})"
    return Chart("likes_vs_comments", "Likes and comments", f"{first}; {second}.", frame)


DECADES = (1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 10_000_000_000)


def rate_vs_followers(posts: pd.DataFrame) -> Chart | None:
    """Per account: its median engagement rate (likes + comments per follower, per post) against followers."""
    known = posts[posts["rate"].notna()]
    if known.empty:
        return None
    frame = known.groupby("author_id").agg(username=("username", "first"), followers=("followers", "first"),
                                           posts=("pk", "size"), engagement_rate=("rate", "median"))
    frame = frame.reset_index(drop=True).astype({"followers": np.int64})
    band = np.searchsorted(DECADES, frame["followers"].to_numpy(), side="right") - 1
    frame["band"] = [_band_label(b) for b in band]
    bands = (frame.assign(order=band).groupby(["order", "band"])["engagement_rate"]
             .agg(["median", "size"]).reset_index())
    solid = bands[bands["size"] >= MIN_GROUP]
    if len(solid) >= 2:
        low, high = solid.iloc[0], solid.iloc[-1]
        reading = (f"Accounts with {low.band} followers earn {_percent(low['median'])} of their followers in likes "
                   f"and comments per post; those with {high.band}, {_percent(high['median'])}.")
    else:
        reading = (f"The typical account here earns {_percent(frame['engagement_rate'].median())} of its followers "
                   "in likes and comments per post.")
    return Chart("engagement_rate_vs_followers", "Engagement rate and followers", reading, frame,
                 tables={"bands": bands.drop(columns="order")}, measure="(likes + comments) / followers, per post")


def _band_label(index: int) -> str:
    index = min(max(index, 0), len(DECADES) - 2)
    return f"{text.compact(DECADES[index])}–{text.compact(DECADES[index + 1])}"


def _percent(value: float) -> str:
    value = float(value) * 100
    return f"{value:.0f}%" if value >= 10 else f"{value:.1f}%" if value >= 1 else f"{value:.2f}%"


# --- engagement by kind of post ------------------------------------------------------------------------------


def _groups(posts: pd.DataFrame, keys: np.ndarray, order: list, labels: list[str]) -> pd.DataFrame:
    """Per group (in `order`): its label, posts, median lift and median engagement rate."""
    data = posts.assign(group=keys)
    stats = _group_stats(data)
    frame = stats.reindex(order)
    frame.insert(0, "label", labels)
    frame = frame.reset_index(names="group")
    frame[["posts", "posts_with_lift"]] = frame[["posts", "posts_with_lift"]].fillna(0).astype(np.int64)
    return frame


def _group_stats(data: pd.DataFrame) -> pd.DataFrame:
    """Per `group`: posts, typical lift (geometric mean), posts with a lift, median engagement rate."""
    data = data.assign(log_lift=np.log(data["lift"]))
    stats = data.groupby("group").agg(posts=("pk", "size"), typical_lift=("log_lift", "mean"),
                                      posts_with_lift=("lift", "count"), median_rate=("rate", "median"))
    stats["typical_lift"] = np.exp(stats["typical_lift"])
    return stats


def _ratio(value: float) -> str:
    return f"{value:.0f}×" if value >= 10 else f"{value:.1f}×"


def _compare(frame: pd.DataFrame, name: Callable[[pd.Series], str], baseline=None, topic: str = "",
             what: str = "the engagement of") -> str:
    """Best group against `baseline` (a group key; default the weakest group), among solid groups."""
    solid = frame[(frame["posts_with_lift"] >= MIN_GROUP) & (frame["typical_lift"] > 0)]
    if len(solid) < 2:
        return f"Too few posts yet to compare {topic}: each needs {MIN_GROUP} posts from accounts with 3 or more."
    best = solid.loc[solid["typical_lift"].idxmax()]
    if baseline is not None and baseline in set(solid["group"]) and best["group"] != baseline:
        other = solid[solid["group"] == baseline].iloc[0]
    elif baseline is not None and best["group"] == baseline:
        rest = solid[solid["group"] != baseline]
        other = rest.loc[rest["typical_lift"].idxmax()]
    else:
        other = solid.loc[solid["typical_lift"].idxmin()]
    ratio = best["typical_lift"] / other["typical_lift"]
    if ratio < SAME:
        return f"{topic[0].upper()}{topic[1:]} make little difference here: every group is within 5% of the others."
    other_name = name(other)
    return f"{name(best)} earn {_ratio(ratio)} {what} {other_name[0].lower()}{other_name[1:]} here."


def by_media_type(posts: pd.DataFrame) -> Chart:
    frame = _groups(posts, posts["kind"].to_numpy(), list(KINDS), [KIND_NAMES[k].title() for k in KINDS])
    frame = frame[frame["posts"] > 0].reset_index(drop=True)
    if len(frame) == 1:
        reading = f"Every post here is one of the {KIND_NAMES[frame['group'][0]]}: nothing to compare yet."
    else:
        reading = _compare(frame, lambda row: row["label"], baseline="photo", topic="media types")
    return Chart("engagement_by_media_type", "Engagement by media type", reading, frame, measure=LIFT)


def by_hashtag_count(posts: pd.DataFrame) -> Chart:
    counts = posts["hashtags"].to_numpy()
    keys = np.zeros(len(counts), np.int64)
    for index, (low, high, _label) in enumerate(HASHTAG_BINS):
        keys[(counts >= low) & (counts <= high)] = index
    frame = _groups(posts, keys, list(range(len(HASHTAG_BINS))), [b[2] for b in HASHTAG_BINS])
    reading = _compare(frame, lambda row: f"Posts with {row['label']}", baseline=0, topic="hashtag counts")
    return Chart("engagement_by_hashtag_count", "Engagement by number of hashtags", reading, frame, measure=LIFT)


# Hour and weekday come from the one best-time computation that Predict's heatmap and `best-time` show
# (discovery.predict.hashtags.best_time_heatmap, over everyone): likes against each author's usual.


def by_hour(posts: pd.DataFrame, times) -> Chart:
    frame = _groups(posts, posts["hour"].to_numpy(), list(range(24)), [f"{h:02d}" for h in range(24)])
    frame["typical_lift"] = times.hour_lift[frame["group"].to_numpy()]
    reading = _compare(frame, lambda row: f"Posts at {row['label']}:00–{row['label']}:59", topic="posting hours",
                       what="the likes of")
    return Chart("engagement_by_hour", "Likes by hour posted", reading, frame, measure=LIKES_LIFT)


def by_weekday(posts: pd.DataFrame, times) -> Chart:
    frame = _groups(posts, posts["weekday"].to_numpy(), list(range(7)), list(WEEKDAYS))
    frame["typical_lift"] = times.weekday_lift[frame["group"].to_numpy()]
    reading = _compare(frame, lambda row: f"Posts on {row['label']}s", topic="weekdays", what="the likes of")
    return Chart("engagement_by_weekday", "Likes by weekday posted", reading, frame, measure=LIKES_LIFT)


LIFT = "likes + comments against the author's usual (1× = usual)"
LIKES_LIFT = "likes against the author's usual (1× = usual)"


# --- hashtag communities ---------------------------------------------------------------------------------------


def hashtag_communities(posts: pd.DataFrame, tags: pd.DataFrame) -> Chart | None:
    """Louvain over hashtag co-occurrence (two hashtags are linked by the posts that carry both); each
    group's posts are those whose hashtags fall mostly in it."""
    tags = tags[tags["post_id"].isin(posts["id"])]
    counts = tags["tag"].value_counts()
    vocabulary = counts[counts >= MIN_TAG_POSTS].index[:MAX_TAGS]
    tags = tags[tags["tag"].isin(vocabulary)]
    if len(vocabulary) < 2:
        return None
    column = pd.Series(np.arange(len(vocabulary)), index=vocabulary)
    post_ids = np.unique(tags["post_id"].to_numpy())
    row = pd.Series(np.arange(len(post_ids)), index=post_ids)
    incidence = sp.csr_matrix((np.ones(len(tags)), (row[tags["post_id"]].to_numpy(), column[tags["tag"]].to_numpy())),
                              shape=(len(post_ids), len(vocabulary)))
    together = sp.triu(incidence.T @ incidence, k=1).tocoo()
    graph = nx.Graph()
    graph.add_nodes_from(range(len(vocabulary)))
    graph.add_weighted_edges_from(zip(together.row.tolist(), together.col.tolist(), together.data.tolist(),
                                      strict=True))
    groups = nx.community.louvain_communities(graph, weight="weight", seed=SEED) if graph.number_of_edges() else []
    groups = [sorted(g, key=lambda t: -counts[vocabulary[t]]) for g in groups if len(g) >= 2]
    if not groups:
        return None
    membership = np.zeros((len(vocabulary), len(groups)))
    for index, members in enumerate(groups):
        membership[members, index] = 1.0
    votes = incidence @ membership
    group_of_post = pd.Series(np.argmax(votes, axis=1), index=post_ids)
    data = posts[posts["id"].isin(post_ids)].copy()
    data["group"] = group_of_post.reindex(data["id"].to_numpy()).to_numpy()
    stats = _group_stats(data)
    frame = pd.DataFrame({
        "group": np.arange(len(groups)),
        "label": [" ".join(f"#{vocabulary[t]}" for t in g[:3]) for g in groups],
        "hashtags": [" ".join(f"#{vocabulary[t]}" for t in g[:12]) for g in groups],
        "hashtag_count": [len(g) for g in groups],
    }).join(stats, on="group")
    frame[["posts", "posts_with_lift"]] = frame[["posts", "posts_with_lift"]].fillna(0).astype(np.int64)
    frame = frame.sort_values("posts", ascending=False, kind="stable").reset_index(drop=True)
    frame["group"] = np.arange(len(frame))  # numbered by size, biggest first
    if len(frame) == 1:
        reading = "All the hashtags here form one group: nothing to compare yet."
    else:
        reading = _compare(frame, lambda r: f"Posts tagged like {r['label']}", topic="hashtag groups")
    return Chart("hashtag_communities", "Hashtag groups and their engagement", reading, frame, measure=LIFT)


# --- the top 10% ---------------------------------------------------------------------------------------------

# (column, phrase): share features say what a top post "is"; number features what it "has".
SHARES = [*((f"kind_{k}", f"are {KIND_NAMES[k]}") for k in KINDS),
          ("has_location", "have a place tagged"), ("has_mention", "mention someone"),
          ("evening", "go up in the evening (18–24 h)"), ("weekend", "go up at the weekend")]
NUMBERS = [("hashtags", "hashtags", "carry {r} as many hashtags ({a:.0f} vs {b:.0f})"),
           ("caption_length", "caption length", "have {r} longer captions ({a:.0f} vs {b:.0f} characters)")]


def top_posts(posts: pd.DataFrame) -> Chart | None:
    """The posts in the top 10% of lift (against their author's usual), and how they differ from the rest."""
    rated = posts[posts["lift"].notna()].copy()
    if len(rated) < 20:
        return None
    threshold = float(rated["lift"].quantile(1 - TOP_SHARE))
    top = rated["lift"].to_numpy() >= threshold
    for kind in KINDS:
        rated[f"kind_{kind}"] = rated["kind"] == kind
    rated["has_mention"] = rated["mentions"] > 0
    rated["evening"] = rated["hour"] >= 18
    rated["weekend"] = rated["weekday"] >= 5
    rows = []
    for column, phrase in SHARES:
        a, b = rated.loc[top, column].mean(), rated.loc[~top, column].mean()
        rows.append((column, phrase, "share", float(a), float(b)))
    for column, _label, phrase in NUMBERS:
        a, b = rated.loc[top, column].mean(), rated.loc[~top, column].mean()
        rows.append((column, phrase, "mean", float(a), float(b)))
    frame = pd.DataFrame(rows, columns=["feature", "phrase", "measure", "top", "rest"])
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["ratio"] = frame["top"] / frame["rest"]
    frame["label"] = [_feature_label(f) for f in frame["feature"]]
    frame["effect"] = [_effect(rated[column], top) for column in frame["feature"]]
    apart = (frame["top"] - frame["rest"]).abs() >= 0.1 * frame[["top", "rest"]].max(axis=1)  # ≥ 10% apart
    candidates = frame[apart & (frame["effect"].abs() >= MIN_EFFECT)]
    subject = f"The top 10% of posts (more than {_ratio(threshold)} their author's usual)"
    if len(candidates) == 0:
        reading = (f"{subject} look like the rest in format, hashtags, captions and timing: what lifts them is not "
                   "in these numbers.")
    else:
        # the strongest difference; on a tie, what the top posts are rather than what they are not
        pick = candidates.loc[(candidates["effect"].abs() + 1e-9 * np.sign(candidates["effect"])).idxmax()]
        reading = _top_reading(subject, pick)
    best = rated[top].sort_values("lift", ascending=False)
    listing = best[["pk", "shortcode", "username", "kind", "likes", "comments", "lift", "hashtags", "taken_at"]]
    return Chart("top_posts", "What sets the top 10% apart", reading, frame,
                 tables={"posts": listing.reset_index(drop=True)}, measure="top 10% against the rest")


def _top_reading(subject: str, pick: pd.Series) -> str:
    top, rest = pick["top"], pick["rest"]
    if pick["measure"] == "mean":
        return f"{subject} {pick['phrase'].format(r=_ratio(top / rest) if rest else 'far', a=top, b=rest)}."
    if rest == 0:
        return f"{subject}: {top:.0%} {pick['phrase']}, against none of the rest."
    if top == 0:
        return f"{subject}: none {pick['phrase']}, against {rest:.0%} of the rest."
    often = f"{_ratio(top / rest)} as often" if top >= rest else f"only {_ratio(top / rest)} as often"
    return f"{subject} {pick['phrase']} {often} as the rest ({top:.0%} vs {rest:.0%})."


def _effect(values: pd.Series, top: np.ndarray) -> float:
    """Standardised difference between the top posts and the rest: (mean top − mean rest) / pooled sd."""
    values = values.to_numpy(np.float64)
    spread = values.std()
    return float((values[top].mean() - values[~top].mean()) / spread) if spread > 0 else 0.0


def _feature_label(column: str) -> str:
    if column.startswith("kind_"):
        return KIND_NAMES[column[5:]].title()
    return {"has_location": "Place tagged", "has_mention": "Mentions someone", "evening": "Evening (18–24 h)",
            "weekend": "Weekend", "hashtags": "Hashtags (mean)", "caption_length": "Caption length (mean)"}[column]
