"""Shared test fixtures: every test gets its own data directory. What the tests read sits in tests/fixtures/;
tests marked `realdata` also read public real data kept beside a development checkout, and are skipped,
with the reason in the summary, where it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
REAL_DATA = REPO.parent / "shared" / "data"  # only tests marked realdata may read it


def pytest_collection_modifyitems(config, items):
    if REAL_DATA.is_dir():
        return
    skip = pytest.mark.skip(reason=f"realdata: the public data set is not at {REAL_DATA}")
    for item in items:
        if item.get_closest_marker("realdata"):
            item.add_marker(skip)


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
def real_data(request) -> Path:
    """The public real data; a test that reads it must be marked realdata, so that it skips without it."""
    if request.node.get_closest_marker("realdata") is None:
        pytest.fail("a test reading the real data must be marked @pytest.mark.realdata")
    return REAL_DATA


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


# --- the engine's tests without Qt (`-p no:pytestqt`, e.g. under faketime, which crashes Qt) ---------------

_LEFT_OUT: set[str] = set()


def pytest_ignore_collect(collection_path: Path, config):
    """Without pytest-qt, the test files that need Qt are left out, and the summary says so."""
    plugins = config.pluginmanager  # `-p no:pytestqt` blocks the module's name, `-p no:pytest-qt` the plugin's
    qt_on = plugins.hasplugin("pytest-qt") and not plugins.is_blocked("pytestqt")
    if qt_on or not collection_path.name.startswith("test_"):
        return None
    if collection_path.suffix == ".py" and any(
            word in collection_path.read_text(encoding="utf-8") for word in ("qtbot", "PySide6", "from ui")):
        _LEFT_OUT.add(collection_path.name)
        return True
    return None


def pytest_terminal_summary(terminalreporter, config):
    if _LEFT_OUT:
        terminalreporter.write_line(f"pytest-qt is off: {len(_LEFT_OUT)} Qt test files were not run "
                                    f"({', '.join(sorted(_LEFT_OUT))})", yellow=True)
