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
    _skip_realdata_without_the_data(items)
    _leave_out_qt_without_pytest_qt(config, items)


def _skip_realdata_without_the_data(items) -> None:
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


# --- the store fault tests (test_store_faults_*.py): a world imported from a tiny export ------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A data folder holding one imported world (made in this process: fast), and the export it came from."""
    from fault_helpers import make_export

    from discovery.export import import_into_data_dir

    base = tmp_path_factory.mktemp("faults")
    make_export(base / "export")
    import_into_data_dir(base / "export", base / "data")
    return base


@pytest.fixture
def export(template, tmp_path) -> Path:
    import shutil

    return shutil.copytree(template / "export", tmp_path / "export")


@pytest.fixture
def root(template, tmp_path) -> Path:
    """A data folder with the world OWNER in it."""
    import shutil

    return shutil.copytree(template / "data", tmp_path / "data")


# --- the engine's tests without Qt (`-p no:pytestqt`, e.g. under faketime, which crashes Qt) ---------------

QT_FIXTURES = {"qtbot", "qapp", "qtmodeltester", "qtlog"}
_LEFT_OUT: list[str] = []


def _qt_off(config) -> bool:
    plugins = config.pluginmanager  # `-p no:pytestqt` blocks the module's name, `-p no:pytest-qt` the plugin's
    return not plugins.hasplugin("pytest-qt") or plugins.is_blocked("pytestqt")


def _leave_out_qt_without_pytest_qt(config, items) -> None:
    """Without pytest-qt, the tests that need a Qt application are left out, and the summary says so."""
    if not _qt_off(config):
        return
    kept = [item for item in items if not QT_FIXTURES & set(getattr(item, "fixturenames", ()))]
    _LEFT_OUT.extend(item.nodeid for item in items if item not in kept)
    if _LEFT_OUT:
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def pytest_terminal_summary(terminalreporter, config):
    if _LEFT_OUT:
        files = sorted({nodeid.split("::")[0].rsplit("/", 1)[-1] for nodeid in _LEFT_OUT})
        terminalreporter.write_line(f"pytest-qt is off: {len(_LEFT_OUT)} tests that need Qt were not run "
                                    f"(in {', '.join(files)})", yellow=True)
