"""Shared test fixtures: every test gets its own data directory; the public data sits beside the repo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def harness(data_dir, tmp_path, monkeypatch):
    """The fake Instagram (instagrapi's real client, the transport replaced) with a file keyring; the test
    fails if anything reached the real network, or the fake saw a request it does not know."""
    from fake_instagram.harness import Harness, block_network, make_world

    network = block_network(monkeypatch)
    h = Harness(data_dir, make_world(), tmp_path / "keyring.cfg")
    yield h
    assert h.fake.problems() == [] and network == []


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.fail(f"the public test data is missing: expected {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def _small_demo_template(tmp_path_factory) -> Path:
    """One small demo world per test session; tests get copies."""
    from discovery.demo import DemoConfig, ensure_demo_world

    root = tmp_path_factory.mktemp("demo-template")
    ensure_demo_world(root, config=DemoConfig.small()).close()
    return root


@pytest.fixture
def demo_data_dir(_small_demo_template: Path, data_dir: Path) -> Path:
    """A data directory holding its own copy of the small demo world."""
    import shutil

    shutil.copytree(_small_demo_template / "worlds", data_dir / "worlds")
    return data_dir
