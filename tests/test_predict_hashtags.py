"""Hashtag suggestions (co-occurrence and similar pictures) and the best-time heatmap, on small stores."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from discovery.clock import DAY
from discovery.predict import pixels
from discovery.predict.hashtags import HashtagIndex, best_time_heatmap
from discovery.world import World
from storage.records import Account, Post

NOW = 1_790_000_000  # a fixed moment


def jpeg(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def world(data_dir):
    world = World.open(data_dir, "tags")
    world.store.upsert_accounts([Account(pk="1", username="ann"), Account(pk="2", username="bob")])
    yield world
    world.close()


def add(world, pk, tags, likes, image=None, author="1", taken_at=NOW - 10 * DAY):
    world.store.upsert_posts([Post(pk=pk, author=author, taken_at=taken_at, like_count=likes, fetched_at=NOW,
                                   hashtags=list(tags), caption=" ".join("#" + t for t in tags))])
    if image is not None:
        world.images.put(pk, image)


def test_cooccurring_hashtags_come_first_with_counts_and_typical_likes(world):
    for i in range(4):
        add(world, f"b{i}", ["sun", "beach"], 100 + 10 * i)
    add(world, "s", ["sun", "sea"], 50)
    add(world, "x", ["cat"], 7)
    add(world, "y", ["cat", "dog"], 9)
    index = HashtagIndex.build(world.store, world.images)
    suggestions = index.suggest("Lovely day #Sun")
    tags = [s.tag for s in suggestions]
    assert tags[:2] == ["beach", "sea"] and "sun" not in tags
    beach = suggestions[0]
    assert beach.posts == 4 and beach.typical_likes == pytest.approx(115) and beach.source == "co-occurrence"
    assert beach.score == pytest.approx(4 / 5)
    assert set(tags[2:]) == {"cat", "dog"}  # filled up with the commonest others
    assert suggestions[2].source == "popular"
    assert tags[2] == "cat"


def test_pictures_like_the_candidate_bring_their_hashtags(world):
    for i in range(5):
        add(world, f"light{i}", ["sunny", "bright"], 200, jpeg((240 - i, 230, 200)))
        add(world, f"dark{i}", ["night", "moody"], 20, jpeg((15 + i, 15, 30)))
    index = HashtagIndex.build(world.store, world.images, pixels.PixelCache(None))
    assert len(index.pixel_posts) == 10
    candidate = pixels.measure(jpeg((235, 228, 205)))
    tags = [s.tag for s in index.suggest("", [candidate], n=4)]
    assert set(tags[:2]) == {"sunny", "bright"} and set(tags[2:]) == {"night", "moody"}
    assert index.suggest("", [candidate], n=1)[0].source == "similar pictures"
    dark = pixels.measure(jpeg((10, 10, 25)))
    first, second = index.suggest("#night", [dark], n=2)
    assert (first.tag, first.source) == ("moody", "both")  # beside #night, and on dark pictures
    assert second.source == "similar pictures" and second.score < 0.5 * first.score


def test_an_empty_store_suggests_nothing(world):
    assert HashtagIndex.build(world.store, world.images).suggest("#sun") == []


def test_best_time_finds_the_evening_and_weekend_that_drew_likes(world):
    rng = np.random.default_rng(0)
    start = NOW - NOW % DAY - 70 * DAY
    for day in range(60):
        for hour in (8, 13, 19):
            taken = start + day * DAY + hour * 3600
            weekday = (taken // DAY + 3) % 7  # 1970-01-01 was a Thursday
            likes = 100 * (2.0 if hour == 19 else 1.0) * (1.5 if weekday >= 5 else 1.0)
            noisy = int(likes * np.exp(0.05 * rng.standard_normal()))
            add(world, f"p{day}-{hour}", [], noisy, taken_at=taken, author="1" if day % 3 else "2")
    add(world, "young", [], 1, taken_at=NOW - 3600)  # too young to count
    times = best_time_heatmap(world.store, "1", tz="UTC")
    assert times.lift.shape == (7, 24) and times.own_posts.shape == (7, 24)
    assert times.all_posts == 180 and times.own_posts.sum() == 120
    weekday, hour, lift = times.best[0]
    assert weekday in (5, 6) and hour == 19 and lift > 1.5
    assert times.lift[2, 19] > times.lift[2, 8] and times.lift[6, 13] > times.lift[2, 13]
    shifted = best_time_heatmap(world.store, "1", tz="Asia/Tokyo")  # UTC+9: 19h UTC is 4h in Tokyo
    assert shifted.best[0][1] == 4 and shifted.timezone == "Asia/Tokyo"
    everyone = best_time_heatmap(world.store, None, tz="UTC")
    assert everyone.own_posts.sum() == 0 and everyone.best[0][1] == 19
