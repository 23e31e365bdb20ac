"""Captions, hashtags, mentions and locations of the demo world's posts: plain text in each kind of account's
voice, the topic's words, some emoji, names with accents, a few phrases in other languages."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from discovery.demo.hidden import BRAND, CELEBRITY, CREATOR
from discovery.demo.network import DemoNetwork
from discovery.demo.people import ME, Population, ascii_handle
from discovery.demo.posts import PostTable
from discovery.demo.vocabulary import FIRST_NAMES, FOREIGN_PHRASES, GENERIC_HASHTAGS, LOCATIONS, TOPICS

PERSON_LINES = (
    "{Adj} {noun} today {emoji}", "{Noun} with {friend} {emoji}", "Sunday {noun}.", "Not a bad {noun} at all",
    "Can't stop thinking about this {noun}", "{foreign}! {Adj} {noun} at the {place}",
    "The {place}, again {emoji}", "{emoji}", "", "a little {noun} moment", "{noun} > everything",
    "Finally tried the {noun} everyone talks about", "{Adj} {noun}, {adj2} {noun2}",
    "Last weekend at the {place}", "{friend} said it couldn't be done. {emoji}",
    "Proof that I do leave the house: {noun}", "{Adj} {noun} and good company", "Weekend mood: {adj} {noun}",
)
CREATOR_LINES = (
    "{Adj} {noun} ✦ save this for later 📌",
    "New post: everything I know about {noun}, in one carousel {emoji}",
    "What's your favourite {noun}? Tell me below 👇", "Day {n} of 30: {noun}",
    "Three things about {noun} I wish I'd known sooner",
    "{Adj} {noun} at the {place}. Full story: link in bio.",
    "Shot with {friend} at the {place} {emoji}", "{foreign} from the {place} {emoji}",
    "How I plan a {noun}, step by step", "Behind the scenes: {adj} {noun} and a lot of {noun2}",
    "The {noun} that started it all {emoji}", "Honest review: the {adj} {noun}",
)
BRAND_LINES = (
    "Meet the {adj} {noun}. Available now {emoji}", "New season, new {noun}. Tap to shop.",
    "{Adj} {noun}, made to last.", "Back in stock: the {noun} you asked for.",
    "Giveaway! Tag a friend who loves a good {noun} 🎁", "Made for the {place}. {Adj} by design.",
    "Your {noun}, your way {emoji}", "Field notes: {adj} {noun} at the {place}",
)
CELEBRITY_LINES = ("{emoji}", "Thank you {city}! {emoji}", "Grateful.", "Sunday {emoji}", "{Adj} days",
                   "on set ✨", "❤️", "{city} 🤍", "home.", "{Adj} {noun} with the best crew")
LINES = {CREATOR: CREATOR_LINES, BRAND: BRAND_LINES, CELEBRITY: CELEBRITY_LINES}
LOCATION_SHARE = np.array([0.22, 0.35, 0.15, 0.5])  # by author kind


@dataclass
class Text:
    captions: list[str]
    hashtags: list[list[str]]
    mentions: list[list[str]]
    locations: list[str | None]


def write_text(rng: np.random.Generator, pop: Population, graph: DemoNetwork, posts: PostTable) -> Text:
    n = len(posts)
    u = rng.random((n, 12)).tolist()
    topic_order = np.argsort(rng.random((n, 14)), axis=1).tolist()
    generic_order = np.argsort(rng.random((n, len(GENERIC_HASHTAGS))), axis=1).tolist()
    lists = _following_lists(graph)
    circles = _circle_members(pop)
    has_location = (rng.random(n) < LOCATION_SHARE[pop.kind[posts.author]]).tolist()
    authors, topics, kinds = posts.author.tolist(), posts.topic.tolist(), pop.kind[posts.author].tolist()
    scene_of = posts.scene.tolist()
    n_mentions, n_hashtags = posts.n_mentions.tolist(), posts.n_hashtags.tolist()
    tags_me = posts.tags_me.tolist()
    brand_tags: dict[int, str] = {}
    out = Text([], [], [], [])
    for i in range(n):
        author, topic, row, kind = authors[i], TOPICS[topics[i]], u[i], kinds[i]
        scene = topic.scenes[scene_of[i] % len(topic.scenes)]  # the caption talks about what the picture shows
        mentioned = _mentions(row, author, n_mentions[i], pop, lists, circles)
        if tags_me[i] and row[11] < 0.6:
            mentioned = [ME, *mentioned[:1]]
        handles = [pop.username[m] for m in mentioned]
        location = LOCATIONS[int(row[10] * len(LOCATIONS))] if has_location[i] else None
        tags = _hashtags(topic, scene, n_hashtags[i], topic_order[i], generic_order[i])
        if kind == BRAND and tags:
            if author not in brand_tags:
                brand_tags[author] = ascii_handle(pop.full_name[author])
            tags = [brand_tags[author], *tags[:-1]]
        template = _template(row, kind)
        if "{friend}" in template and handles:
            friend, rest = "@" + handles[0], handles[1:]
        else:
            friend, rest = FIRST_NAMES[int(row[9] * len(FIRST_NAMES))], handles
        text = _sentence(template, row, topic, scene, friend, location)
        if rest:
            text = _with_mentions(text, rest, row[8])
        out.captions.append(_with_hashtags(text, tags, kind, row[7]))
        out.hashtags.append(tags)
        out.mentions.append(handles)
        out.locations.append(location)
    return out


def _template(row: list[float], kind: int) -> str:
    lines = LINES.get(kind, PERSON_LINES)
    return lines[int(row[0] * len(lines))]


def _sentence(template: str, row: list[float], topic, scene, friend: str, location: str | None) -> str:
    nouns, adjectives = scene.nouns, scene.adjectives or topic.adjectives
    noun = nouns[int(row[1] * len(nouns))]
    adjective = adjectives[int(row[2] * len(adjectives))]
    text = template.format(
        noun=noun, Noun=noun[:1].upper() + noun[1:], noun2=nouns[int(row[3] * len(nouns))],
        adj=adjective, Adj=adjective.capitalize(), adj2=adjectives[int(row[4] * len(adjectives))],
        place=topic.places[int(row[5] * len(topic.places))],
        emoji=topic.emoji[int(row[6] * len(topic.emoji))],
        friend=friend, foreign=FOREIGN_PHRASES[int(row[9] * len(FOREIGN_PHRASES))], n=1 + int(row[3] * 30),
        city=(location or LOCATIONS[int(row[5] * len(LOCATIONS))]).split(",")[0])
    return text.strip()


def _with_mentions(text: str, mentions: list[str], u: float) -> str:
    handles = " ".join(f"@{m}" for m in mentions)
    if u < 0.45:
        return f"{text} with {handles}".strip()
    if u < 0.75:
        return f"{text} 📷 {handles}".strip()
    return f"{handles} {text}".strip()


def _with_hashtags(text: str, tags: list[str], kind: int, u: float) -> str:
    if not tags:
        return text
    block = " ".join(f"#{t}" for t in tags)
    if kind == CREATOR and u < 0.5:
        return f"{text}\n.\n.\n.\n{block}" if text else block
    separator = "\n\n" if u < 0.4 else " "
    return f"{text}{separator}{block}" if text else block


def _hashtags(topic, scene, count: int, topic_order: list[int], generic_order: list[int]) -> list[str]:
    """The scene's own tags first, then the topic's that name no other scene of it, then generic ones."""
    from_topic = min(len(topic.hashtags), count - count // 6)  # generic tags only in long lists
    others = {t for s in topic.scenes if s is not scene for t in s.tags} - set(scene.tags)
    shuffled = [topic.hashtags[j] for j in topic_order if j < len(topic.hashtags)]
    tags = list(dict.fromkeys([*scene.tags, *(t for t in shuffled if t not in others)]))[:from_topic]
    tags += [GENERIC_HASHTAGS[j] for j in generic_order[:count - from_topic]]
    return tags


def _mentions(row: list[float], author: int, count: int, pop: Population, lists: dict[int, np.ndarray],
              circles: dict[int, np.ndarray]) -> list[int]:
    if count == 0:
        return []
    pool = lists.get(author)
    if pool is None or len(pool) == 0:
        pool = circles.get(int(pop.circle[author]), circles[-1])
    picks = dict.fromkeys(int(pool[int(((row[4] + 0.618 * k) % 1) * len(pool))]) for k in range(count))
    return [p for p in picks if p != author and p != ME]


def _following_lists(graph: DemoNetwork) -> dict[int, np.ndarray]:
    return {int(s): graph.targets[graph.offsets[i]:graph.offsets[i + 1]] for i, s in enumerate(graph.sources)}


def _circle_members(pop: Population) -> dict[int, np.ndarray]:
    order = np.argsort(pop.circle, kind="stable")
    circle = pop.circle[order]
    bounds = np.flatnonzero(np.r_[True, circle[1:] != circle[:-1], True])
    return {int(circle[lo]): order[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)}
