"""The demo world's accounts: who they are (person, creator, brand, celebrity), what they care about (a mix
of topics), which social circle they belong to, how big their audience is, and their fictional names.

Account 0 is the person whose world it is ("you").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from discovery.demo.hidden import BRAND, CELEBRITY, CREATOR, PERSON
from discovery.demo.vocabulary import (
    BRAND_HEADS,
    FIRST_NAMES,
    SURNAME_HEADS,
    SURNAME_MIDDLES,
    SURNAME_TAILS,
    TOPIC_HANDLES,
    TOPICS,
)

ME = 0
PEOPLE_PER_CIRCLE = 150


@dataclass
class Population:
    kind: np.ndarray  # int8
    mix: np.ndarray  # (n, topics), rows sum to 1
    circle: np.ndarray  # int32 social circle; -1 for brands, celebrities and creators without a local scene
    audience: np.ndarray  # int64 follower count
    engagement: np.ndarray
    comment_ratio: np.ndarray
    utc_offset: np.ndarray  # int8 hours
    hour_shift: np.ndarray  # int8: a habit of posting earlier or later than most
    private: np.ndarray  # bool
    verified: np.ndarray  # bool
    post_rate: np.ndarray  # posts per day
    hashtag_habit: np.ndarray  # mean hashtags per post
    mention_habit: np.ndarray  # mean mentions per post
    skill: np.ndarray  # shifts picture qualities up (or down)
    account_days: np.ndarray  # how long the account has existed
    pk: list[str]
    username: list[str]
    full_name: list[str]

    @property
    def size(self) -> int:
        return len(self.kind)


def kind_counts(accounts: int, followed: int) -> dict[int, int]:
    """How many accounts of each kind: enough creators, brands and celebrities for the person to follow."""
    celebrities = max(round(accounts * 0.002), 2 * round(followed * 0.07))
    brands = max(round(accounts * 0.015), 3 * round(followed * 0.07))
    creators = max(round(accounts * 0.12), 3 * round(followed * 0.44))
    return {CELEBRITY: celebrities, BRAND: brands, CREATOR: creators,
            PERSON: accounts - celebrities - brands - creators}


def make_population(rng: np.random.Generator, accounts: int, followed: int, topics: int) -> Population:
    counts = kind_counts(accounts, followed)
    kind = np.concatenate([np.full(c, k, np.int8) for k, c in sorted(counts.items())])
    kind[1:] = rng.permutation(kind[1:])  # account 0 (you) stays a person
    kind[ME] = PERSON
    n = accounts

    mix, circle = _topics(rng, kind, topics)

    def by_kind(table: dict[int, tuple[float, float]], clip: tuple[float, float]) -> np.ndarray:
        median = np.array([table[k][0] for k in range(4)])[kind]
        sigma = np.array([table[k][1] for k in range(4)])[kind]
        return np.clip(median * np.exp(sigma * rng.standard_normal(n)), *clip)

    audience = np.rint(np.select(
        [kind == PERSON, kind == CREATOR, kind == BRAND],
        [np.clip(320 * np.exp(0.85 * rng.standard_normal(n)), 12, 15_000),
         np.clip(25_000 * np.exp(1.3 * rng.standard_normal(n)), 2_000, 2_500_000),
         np.clip(120_000 * np.exp(1.2 * rng.standard_normal(n)), 5_000, 12_000_000)],
        np.clip(8e6 * np.exp(1.0 * rng.standard_normal(n)), 1e6, 4e8))).astype(np.int64)
    audience[ME] = 380

    offsets = np.array([1, 0, 2, -5, -8, 9, 3])
    utc_offset = rng.choice(offsets, n, p=[0.62, 0.12, 0.1, 0.07, 0.04, 0.03, 0.02]).astype(np.int8)
    utc_offset[ME] = 1
    private = np.where(kind == PERSON, rng.random(n) < 0.28, (kind == CREATOR) & (rng.random(n) < 0.01))
    verified = (kind == CELEBRITY) | ((kind == BRAND) & (rng.random(n) < 0.75)) | (
        (kind == CREATOR) & (audience > 250_000) & (rng.random(n) < 0.6))
    private[ME] = verified[ME] = False

    pk, username, full_name = _names(rng, kind, mix)
    return Population(
        kind=kind, mix=mix, circle=circle, audience=audience,
        engagement=np.exp(0.35 * rng.standard_normal(n)),
        comment_ratio=np.clip(0.025 * np.exp(0.5 * rng.standard_normal(n)), 0.003, 0.15),
        utc_offset=utc_offset,
        hour_shift=np.clip(np.rint(rng.standard_normal(n)), -2, 2).astype(np.int8),
        private=private, verified=verified,
        post_rate=by_kind({PERSON: (0.1, 0.8), CREATOR: (0.6, 0.6), BRAND: (0.9, 0.5), CELEBRITY: (0.4, 0.6)},
                          (0.005, 4.0)),
        hashtag_habit=by_kind({PERSON: (1.2, 0.8), CREATOR: (6, 0.5), BRAND: (3, 0.5), CELEBRITY: (0.4, 0.8)},
                              (0.0, 20.0)),
        mention_habit=by_kind({PERSON: (0.3, 0.5), CREATOR: (0.45, 0.5), BRAND: (0.25, 0.5),
                               CELEBRITY: (0.15, 0.5)}, (0.0, 2.0)),
        skill=np.select([kind == CREATOR, kind == BRAND], [0.12, 0.15], 0.0) + 0.1 * rng.standard_normal(n),
        account_days=rng.integers(200, 4000, n),
        pk=pk, username=username, full_name=full_name,
    )


def _topics(rng: np.random.Generator, kind: np.ndarray, topics: int) -> tuple[np.ndarray, np.ndarray]:
    """(each account's mix of topics, its circle of friends or -1): people talk about what their circle does,
    the others lean on a main topic (brands most, celebrities least); your friends share some of your interests."""
    n = len(kind)
    prior = rng.dirichlet(np.full(topics, 6.0))  # how popular each topic is in this world
    circles = max(4, int(np.sum(kind == PERSON)) // PEOPLE_PER_CIRCLE)
    my_topics = rng.choice(topics, 3, replace=False, p=prior)
    my_mix = np.full(topics, 0.02)
    my_mix[my_topics] = rng.dirichlet([4.0, 3.0, 2.0]) * (1 - 0.02 * topics)
    flavour = rng.dirichlet(np.full(topics, 0.35), size=circles)  # what each circle talks about
    flavour[0] = 0.6 * my_mix + 0.4 * flavour[0]  # your friends share some of your interests

    circle = np.full(n, -1, np.int32)
    people = kind == PERSON
    circle[people] = rng.integers(0, circles, people.sum())
    local_creators = (kind == CREATOR) & (rng.random(n) < 0.4)
    circle[local_creators] = rng.integers(0, circles, local_creators.sum())
    circle[ME] = 0

    mix = np.empty((n, topics))
    own = rng.dirichlet(np.maximum(prior * topics * 0.3, 0.05), size=n)
    main = rng.choice(topics, n, p=prior)
    onehot = np.eye(topics)[main]
    mix[people] = 0.55 * flavour[circle[people]] + 0.45 * own[people]
    for k, focus in ((CREATOR, 0.75), (BRAND, 0.9), (CELEBRITY, 0.2)):
        rows = kind == k
        mix[rows] = focus * onehot[rows] + (1 - focus) * own[rows]
    mix[local_creators] = 0.6 * mix[local_creators] + 0.4 * flavour[circle[local_creators]]
    mix[ME] = my_mix
    mix /= mix.sum(axis=1, keepdims=True)
    return mix, circle


# --- names ---------------------------------------------------------------------------------------------

# Letters Unicode does not decompose into a base letter and an accent.
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d", "ı": "i", "æ": "ae",
                       "œ": "oe"})


def ascii_handle(text: str) -> str:
    """A name as it appears in a username: lower case ASCII letters and digits."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum())


def _names(rng: np.random.Generator, kind: np.ndarray, mix: np.ndarray):
    n = len(kind)
    u = rng.random((n, 8))
    pks = _unique_integers(rng, n, 10**8, 7 * 10**10)  # Instagram user ids: 9 to 11 digits
    dominant = mix.argmax(axis=1)
    taken: set[str] = set()
    usernames, full_names = [], []
    for i in range(n):
        row = u[i]
        topic = TOPICS[dominant[i]]
        handle = TOPIC_HANDLES[topic.name][int(row[3] * len(TOPIC_HANDLES[topic.name]))]
        first = FIRST_NAMES[int(row[0] * len(FIRST_NAMES))]
        last = (SURNAME_HEADS[int(row[1] * len(SURNAME_HEADS))]
                + SURNAME_MIDDLES[int(row[2] * len(SURNAME_MIDDLES))]
                + SURNAME_TAILS[int(row[4] * len(SURNAME_TAILS))])
        f, ln = ascii_handle(first), ascii_handle(last)
        digits = f"{int(row[5] * 100):02d}"
        if kind[i] == BRAND:
            word = topic.brand_words[int(row[0] * len(topic.brand_words))]
            head = BRAND_HEADS[int(row[1] * len(BRAND_HEADS))]
            full = f"{head} {word}"
            base = ascii_handle(full)
            name = _pick(row[6], (base, base + ".co", base + "_official",
                                  f"{ascii_handle(head)}.{ascii_handle(word)}"))
            first = head
        elif kind[i] == CELEBRITY:
            full = f"{first} {last}"
            name = _pick(row[6], (f + ln, f"{f}.{ln}", f"{f}{ln}official", f"real{f}{ln}"))
        elif kind[i] == CREATOR:
            full = _pick(row[7], (f"{first} {last}", f"{first} · {topic.name}", f"{first} {last[0]}.",
                                  f"{first} {topic.emoji[0]}"))
            name = _pick(row[6], (f + handle, f"{handle}with{f}", f"{f}.{handle}", f"{f}{ln}.studio",
                                  f"{f}_{ln}"))
        else:
            full = _pick(row[7], (f"{first} {last}", f"{first} {last}", f"{first} {last[0]}.", first,
                                  f"{first} {topic.emoji[0]}", ""))
            name = _pick(row[6], (f"{f}.{ln}", f"{f}_{ln}", f + ln, f"{f}.{handle}", f"{f}_{handle}",
                                  f"{f}{ln[:1]}{digits}", f"{f}.{ln}{digits}", f"_{f}.{ln}_", f"{ln}.{f}"))
        name = name[:30]
        candidate, bump = name, 1
        while candidate in taken:
            bump += 1
            candidate = f"{name[:27]}{bump}"
        taken.add(candidate)
        usernames.append(candidate)
        full_names.append(full)
    return [str(p) for p in pks.tolist()], usernames, full_names


def _unique_integers(rng: np.random.Generator, n: int, low: int, high: int) -> np.ndarray:
    values = np.zeros(0, np.int64)
    while len(values) < n:
        more = np.concatenate([values, rng.integers(low, high, n - len(values) + 16)])
        _, first = np.unique(more, return_index=True)
        values = more[np.sort(first)]
    return values[:n]


def _pick(u: float, options: tuple[str, ...]) -> str:
    return options[int(u * len(options))]
