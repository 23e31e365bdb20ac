"""The demo world's pictures and words agree: each topic has its own kinds of scene, every scene kind has a
painter, and a post's caption and first hashtags name what its picture shows."""

from __future__ import annotations

import re

import numpy as np
import pytest

from discovery.demo import DemoConfig, ensure_demo_world, post_style
from discovery.demo.pictures import PictureStyle, draw_picture
from discovery.demo.scenes import PAINTERS
from discovery.demo.vocabulary import TOPICS


@pytest.fixture(scope="module")
def small_world(tmp_path_factory):
    world = ensure_demo_world(tmp_path_factory.mktemp("demo-root"), config=DemoConfig.small())
    yield world
    world.close()


def test_every_topic_has_its_own_scenes_and_each_has_a_painter():
    painters = [scene.painter for topic in TOPICS for scene in topic.scenes]
    assert all(len(topic.scenes) >= 3 for topic in TOPICS)
    assert len(set(painters)) >= 45  # a place, not five templates
    assert set(painters) <= set(PAINTERS)
    for topic in TOPICS:
        for scene in topic.scenes:
            assert scene.nouns and set(scene.tags) <= set(topic.hashtags), (topic.name, scene.painter)


def test_a_subject_at_any_edge_draws_in_every_scene_and_size():
    rng = np.random.default_rng(3)
    for t, topic in enumerate(TOPICS):
        for s in range(len(topic.scenes)):
            for centred, size in ((0.0, (96, 96)), (0.02, (96, 50)), (1.0, (96, 171))):
                style = PictureStyle(t, s, 0.5, 0.5, centred, 0.5, False, int(rng.integers(2**32)))
                assert draw_picture(style, size).size == size


def words(text: str) -> str:
    return " " + re.sub(r"[^\w'-]+", " ", text.lower()) + " "


def test_captions_name_what_the_picture_shows(small_world):
    posts = small_world.store.posts_frame(columns=["pk", "caption"]).sample(2000, random_state=1)
    own = other = named = 0
    for pk, caption in zip(posts["pk"], posts["caption"], strict=True):
        style, _ = post_style(small_world, pk)
        topic = TOPICS[style.topic]
        scene = topic.scenes[style.scene % len(topic.scenes)]
        text = words(caption.split("#")[0])
        mine = {n.lower() for n in scene.nouns}
        theirs = {n.lower() for s in topic.scenes if s is not scene for n in s.nouns} - mine
        has_own = any(f" {n} " in text for n in mine)
        has_other = any(f" {n} " in text for n in theirs)
        named += has_own or has_other
        own += has_own
        other += has_other and not has_own
        tags = [t.lower() for t in re.findall(r"#(\w+)", caption)]
        if tags and scene.tags:
            assert tags[0] in {t.lower() for t in scene.tags} or tags[0] not in topic.hashtags, (caption, scene)
    assert named > 500
    assert own / named > 0.97 and other / named < 0.03
