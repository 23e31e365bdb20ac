"""The window starts without what its first paint does not need: the Predict and Insights pages, matplotlib,
alembic (nothing to migrate) and instagrapi load only when used; with the lists kept by the last start, neither
scikit-learn nor scipy loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

NOT_AT_START = ("matplotlib", "instagrapi", "alembic", "ui.predict_page", "ui.insights_page", "discovery.predict",
                "discovery.insights", "discovery.live", "ui.login_dialog", "ui.import_dialog", "ui.settings_dialog")
KEPT_LISTS_NEED_NOT = ("sklearn", "scipy", "discovery.ranker_personal")

SHOT_AND_LIST = """
import runpy, sys
sys.argv = ["main.py", "--data-dir", sys.argv[1], "--offline", "--screenshot", sys.argv[2], "--tab", "feed"]
try:
    runpy.run_path("main.py", run_name="__main__")
except SystemExit:
    pass
print(" ".join(sys.modules), file=sys.stderr)
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
