"""The window starts without what its first paint does not need: the Predict and Insights pages, matplotlib,
alembic (nothing to migrate) and instagrapi load only when used; with the lists kept by the last start, neither
scikit-learn nor scipy loads, and the Feed is painted from the kept list before pandas and SQLAlchemy load."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from discovery import paths, world

NOT_AT_START = ("matplotlib", "instagrapi", "alembic", "ui.predict", "ui.insights", "discovery.predict",
                "discovery.insights", "discovery.live", "ui.login_dialog", "ui.import_dialog", "ui.settings_dialog")
KEPT_LISTS_NEED_NOT = ("sklearn", "scipy", "discovery.ranker_personal")
FIRST_PAINT_NEEDS_NOT = ("pandas", "sqlalchemy", "discovery.ranking", "storage.store")

SHOT_AND_LIST = """
import runpy, sys
sys.argv = ["main.py", "--data-dir", sys.argv[1], "--offline", "--screenshot", sys.argv[2], "--tab", "feed"]
try:
    runpy.run_path("main.py", run_name="__main__")
except SystemExit:
    pass
print(" ".join(sys.modules), file=sys.stderr)
"""

# The window as main.py builds it; at the Feed's first paint of cards, the posts painted and the modules loaded.
FIRST_PAINT = """
import json, sys
from ui.app import main
from ui.main_window import MainWindow

original = MainWindow.start

def start(window):
    window.tabs.setCurrentIndex(0)  # whichever tab the last run ended on
    view = window.pages["feed"].view
    def painted():
        model = window.pages["feed"].model
        pks = [model.item(row).pk for row in range(model.rowCount())]
        print(json.dumps({"pks": pks, "ranking": window.pages["feed"].ranking is not None,
                          "modules": sorted(sys.modules)}))
        sys.stdout.flush()
        window.close()
    view.cards_painted.connect(painted)
    original(window)

MainWindow.start = start
sys.argv = ["main.py", "--data-dir", sys.argv[1], "--offline"]
main()
"""


def test_the_first_painted_feed_loads_only_what_it_shows(tmp_path, qapp):
    # `qapp` only marks this as a Qt test: it is left out where Qt cannot run (under faketime).
    repo = Path(__file__).resolve().parents[1]
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "discovery", "demo", "--small", "--data-dir", str(data)], cwd=repo,
                   check=True, capture_output=True, timeout=600)
    shot = tmp_path / "feed.png"
    done = subprocess.run([sys.executable, "-c", SHOT_AND_LIST, str(data), str(shot)], cwd=repo,
                          capture_output=True, text=True, timeout=600)
    assert shot.exists(), done.stderr[-2000:]
    loaded = set(done.stderr.split())
    assert not {name for name in loaded for prefix in NOT_AT_START
                if name == prefix or name.startswith(prefix + ".")}
    # The lists that screenshot ranked are kept: the next start shows them without the ranker's libraries.
    again = subprocess.run([sys.executable, "-c", SHOT_AND_LIST, str(data), str(shot)], cwd=repo,
                           capture_output=True, text=True, timeout=600)
    loaded = set(again.stderr.split())
    assert "discovery.browse" in loaded
    assert not {name for name in loaded for prefix in NOT_AT_START + KEPT_LISTS_NEED_NOT
                if name == prefix or name.startswith(prefix + ".")}


def test_the_first_paint_shows_the_kept_feed_before_pandas_loads(tmp_path, qapp):
    repo = Path(__file__).resolve().parents[1]
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "discovery", "demo", "--small", "--data-dir", str(data)], cwd=repo,
                   check=True, capture_output=True, timeout=600)
    subprocess.run([sys.executable, "-c", SHOT_AND_LIST, str(data), str(tmp_path / "feed.png")], cwd=repo,
                   check=True, capture_output=True, timeout=600)  # ranks, and keeps the lists
    kept = json.loads((paths.world_dir(data, world.DEMO) / "ranked" / "feed.json").read_text(encoding="utf-8"))
    done = subprocess.run([sys.executable, "-c", FIRST_PAINT, str(data)], cwd=repo, capture_output=True,
                          text=True, timeout=600, env=_offscreen())
    assert done.returncode == 0, done.stderr[-2000:]
    painted = json.loads(done.stdout.splitlines()[-1])
    assert len(painted["pks"]) == kept["length"]
    assert painted["pks"][:len(kept["records"])] == [record["post"] for record in kept["records"]]
    assert not painted["ranking"]  # what was painted is the kept list itself, not a ranking made meanwhile
    loaded = set(painted["modules"])
    assert not {name for name in loaded for prefix in NOT_AT_START + KEPT_LISTS_NEED_NOT + FIRST_PAINT_NEEDS_NOT
                if name == prefix or name.startswith(prefix + ".")}


def _offscreen() -> dict[str, str]:
    import os

    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def test_the_window_paints_the_kept_lists_then_loads_their_rankings_in_place(qtbot, demo_data_dir):
    from discovery.browse import Browser
    from discovery.settings import Settings
    from storage import InteractionKind
    from ui.main_window import MainWindow
    from ui.tasks import SynchronousRunner

    opened = world.World.open(demo_data_dir, world.DEMO)
    first = Browser(opened)
    ranked = {kind: first.rank(kind) for kind in ("feed", "explore")}  # trains the model while ranking
    ranked = {kind: first.rank(kind) for kind in ranked}  # by a model of this data: kept
    opened.close()

    def window_on(data: Path) -> MainWindow:
        shown = world.World.open(data, world.DEMO)
        window = MainWindow(data, shown, Settings(paths.settings_path(data)), tasks=SynchronousRunner())
        window.tabs.setCurrentIndex(0)
        window.show()
        window.start()
        return window

    window = window_on(demo_data_dir)
    assert window.world.opened_store is None  # nothing has needed SQLAlchemy yet
    resets = []
    for kind, page in window.pages.items():
        assert page.ranking is None  # painted from the kept list: its Ranking loads after the first paint
        assert [page.model.item(row).pk for row in range(page.model.rowCount())] == ranked[kind].frame["pk"].tolist()
        page.model.modelReset.connect(lambda k=kind: resets.append(k))
    feed = window.pages["feed"]
    qtbot.waitUntil(lambda: all(p.ranking is not None for p in window.pages.values()), timeout=60_000)
    assert feed.ranking.frame["pk"].tolist() == ranked["feed"].frame["pk"].tolist()
    assert not resets  # the same rows: the scroll position and the selection stay
    assert feed.model.why(0) == ranked["feed"].why(0)  # explained, now that the Ranking is there
    window.browser.act(InteractionKind.HIDDEN, post_pk=ranked["feed"].frame["pk"].iloc[0])
    window.close()
    window.world.close()

    # New data: the kept lists no longer hold, and the window ranks afresh at once.
    window = window_on(demo_data_dir)
    feed = window.pages["feed"]
    assert feed.ranking is not None
    assert feed.ranking.frame["pk"].iloc[0] != ranked["feed"].frame["pk"].iloc[0]
    window.close()
    window.world.close()
