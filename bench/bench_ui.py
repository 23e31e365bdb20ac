"""The window's speed: cold start to the first painted feed on a 100,000-post store, paint time per frame
while scrolling 10,000 cards and memory with 100,000 posts listed (both lists ranked afresh: the kept lists are
removed first), and re-ranking after a weight change on the demo world. The peer: a plain QListWidget holding
the same 100,000 posts (fill and first paint).

    QT_QPA_PLATFORM=offscreen python -m bench.bench_ui [--json] [--data-dir DIR]

The 100,000-post world is generated once into --data-dir (default: a cache folder under /tmp).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import arguments, report  # noqa: E402

BIG = {"accounts": 40_000, "follow_edges": 400_000, "posts": 100_000}
COLD_START = r"""
import os, sys, time
started = float(os.environ["BENCH_STARTED"])
from PySide6.QtWidgets import QApplication
from discovery import paths, world
from discovery.settings import Settings
from ui import theme
from ui.main_window import MainWindow
app = QApplication([])
theme.apply(app, "light")
root = paths.data_dir(sys.argv[1])
window = MainWindow(root, world.World.open(root, "demo"), Settings(paths.settings_path(root)))
page = window.pages["feed"]
painted = []
original = page.view.paintEvent
def paint(event):
    original(event)
    if page.model.rowCount():
        painted.append(time.time())
page.view.paintEvent = paint
window.tabs.setCurrentIndex(0)  # the window restores the last run's tab
window.resize(1360, 860)
window.show()
window.start()
while not painted:
    app.processEvents()
    time.sleep(0.001)
print(painted[0] - started, page.model.rowCount())
"""


def rss_mib() -> float:
    with open("/proc/self/status", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def last_visible_row(view) -> int:
    """The highest row painted in the viewport (the bottom-right corner may fall in a gap between cards)."""
    from PySide6.QtCore import QPoint

    rect = view.viewport().rect()
    for y in range(rect.bottom(), rect.top(), -8):
        rows = [view.indexAt(QPoint(x, y)).row() for x in range(rect.left() + 2, rect.right(), 24)]
        if max(rows) >= 0:
            return max(rows)
    return -1


def big_world(root: Path) -> Path:
    from discovery.demo import DemoConfig, ensure_demo_world

    ensure_demo_world(root, config=replace(DemoConfig(), **BIG)).close()
    return root


def cold_start(root: Path, runs: int = 3) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(runs):
        env = dict(os.environ, BENCH_STARTED=repr(time.time()))
        out = subprocess.run([sys.executable, "-c", COLD_START, str(root)], env=env, capture_output=True,
                             text=True, check=True).stdout.split()
        times.append(float(out[0]))
        rows = int(out[1])
    return min(times), rows


def scrolling_and_memory(root: Path, cards: int = 10_000) -> dict:
    from PySide6.QtWidgets import QApplication

    from discovery import paths, world
    from discovery.settings import Settings
    from ui import theme
    from ui.main_window import MainWindow
    from ui.tasks import SynchronousRunner

    app = QApplication.instance() or QApplication([])
    theme.apply(app, "light")
    settings = Settings(paths.settings_path(root))
    settings.set("ranking.window_days", 60.0)  # every post of the world is a candidate
    shutil.rmtree(paths.world_dir(root, world.DEMO) / "ranked", ignore_errors=True)  # ranked afresh, not kept
    window = MainWindow(root, world.World.open(root, "demo"), settings, tasks=SynchronousRunner())
    window.resize(1360, 860)
    window.tabs.setCurrentIndex(1)
    window.show()
    window.start()
    page = window.pages["explore"]
    view = page.view
    listed = page.model.rowCount()
    bar = view.verticalScrollBar()
    frames = []
    step = view.viewport().height() // 3
    while last_visible_row(view) < min(cards, listed - 1) and bar.value() < bar.maximum():
        bar.setValue(bar.value() + step)
        started = time.perf_counter()
        view.viewport().repaint()
        frames.append((time.perf_counter() - started) * 1000)
        app.processEvents()  # thumbnails decoded meanwhile arrive between frames, as when scrolling by hand
    reached = last_visible_row(view) + 1
    memory = rss_mib()
    browser = window.browser
    window.close()
    return {"listed": listed, "frames": frames, "reached": reached, "rss": memory, "browser": browser}


def rerank_times(browser, repeats: int = 10) -> dict[str, float]:
    from discovery.ranking import RankingParams

    out = {}
    for kind in ("feed", "explore"):
        times = []
        for i in range(repeats):
            params = replace(RankingParams(), recency_power=0.5 + 0.1 * i)
            started = time.perf_counter()
            browser.rank(kind, params)
            times.append(time.perf_counter() - started)
        out[kind] = statistics.median(times)
    return out


def peer_list_widget(root: Path) -> tuple[float, float]:
    """A QListWidget with one item (text and tooltip) per post: fill and first paint, and memory."""
    from PySide6.QtWidgets import QApplication, QListWidget, QListWidgetItem

    from discovery import world

    app = QApplication.instance() or QApplication([])
    store = world.World.open(root, "demo").store
    frame = store.posts_frame(columns=["pk", "caption", "like_count"])
    before = rss_mib()
    started = time.perf_counter()
    widget = QListWidget()
    for pk, caption, likes in frame.itertuples(index=False):
        item = QListWidgetItem(f"{caption[:80]} · {likes} likes")
        item.setToolTip(pk)
        widget.addItem(item)
    widget.resize(1360, 860)
    widget.show()
    widget.repaint()
    app.processEvents()
    seconds = time.perf_counter() - started
    memory = rss_mib() - before
    widget.close()
    return seconds, memory


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/tessera-bench-ui"))
    args = parser.parse_args()
    root = big_world(args.data_dir)
    start_s, feed_rows = cold_start(root)
    scroll = scrolling_and_memory(root)
    frames = sorted(scroll["frames"])
    p95 = frames[int(0.95 * (len(frames) - 1))] if frames else float("nan")
    rerank = rerank_times(scroll["browser"])
    peer_s, peer_mib = peer_list_widget(root)
    rows = [
        {"measure": "cold start to first painted feed", "tessera": f"{start_s:.2f} s ({feed_rows:,} posts in the feed)",
         "target": "< 2 s", "peer (QListWidget)": f"{peer_s:.2f} s to fill and paint 100k items"},
        {"measure": f"scrolling {scroll['reached']:,} cards, paint per frame",
         "tessera": f"p95 {p95:.1f} ms, median {statistics.median(frames):.1f} ms ({len(frames)} frames)",
         "target": "p95 < 16 ms", "peer (QListWidget)": "–"},
        {"measure": f"memory with {scroll['listed']:,} posts listed", "tessera": f"{scroll['rss']:.0f} MiB (process)",
         "target": "< 500 MB", "peer (QListWidget)": f"+{peer_mib:.0f} MiB for its items"},
        {"measure": "re-rank after a weight change (100k-post demo world, default 7-day window)",
         "tessera": f"Feed {rerank['feed'] * 1000:.0f} ms, Explore {rerank['explore'] * 1000:.0f} ms",
         "target": "< 200 ms (demo world)", "peer (QListWidget)": "–"},
    ]
    if args.json:
        print(json.dumps({"rows": rows}, indent=2))
    else:
        report("The window on a 100,000-post world", rows, False)


if __name__ == "__main__":
    main()
