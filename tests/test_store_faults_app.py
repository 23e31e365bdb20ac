"""Faults beyond the store's files: pictures that would hang or exhaust memory, the window with a store it
cannot open, and hostile text in the detail view."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from fault_helpers import REPO, T0, _env, db, digest, refused, tessera

from discovery import world as worlds

# --- pictures ------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_not_waited_on(root, tmp_path):
    pipe, junk = tmp_path / "candidate.jpg", tmp_path / "notes.jpg"
    os.mkfifo(pipe)
    junk.write_text("not a picture")
    result = tessera(root, "predict-likes", str(pipe), str(junk), timeout=300)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr  # nothing was usable
    assert "candidate.jpg is not a regular file" in result.stdout
    assert "none of the pictures could be used" in result.stderr


# The peak from /proc (ru_maxrss would carry the parent's peak across exec).
MEASURE_PEAK = """
import re, sys
from pathlib import Path
from discovery.predict.pixels import ImageError, measure
try:
    print(round(measure(sys.argv[1]).brightness, 3))
except ImageError as exc:
    print(exc)
print(int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1)) // 1024)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak memory from Linux's /proc")
@pytest.mark.parametrize("mode, measured", [("I;16", True), ("RGBA", False)])
def test_a_huge_picture_costs_under_300_mb(tmp_path, mode, measured):
    """Just under the pixel cap, compressed to almost nothing: measured (or refused with a sentence) within
    300 MB, where decoding it whole and converting it cost gigabytes."""
    from PIL import Image

    path = tmp_path / "huge.png"
    Image.new(mode, (7_900, 7_900), 30_000 if mode == "I;16" else (200, 100, 50, 255)).save(path, compress_level=1)
    assert path.stat().st_size < 5_000_000  # a few megabytes on disk, hundreds decoded
    result = subprocess.run([sys.executable, "-c", MEASURE_PEAK, str(path)], capture_output=True, text=True,
                            cwd=REPO, env=_env(), timeout=300)
    assert result.returncode == 0, result.stderr
    answer, peak_mb = result.stdout.splitlines()
    assert int(peak_mb) < 300
    if measured:
        assert float(answer) == pytest.approx(30_000 / 65_535, abs=0.01)
    else:
        assert "huge.png is 7,900 × 7,900 pixels, too large" in answer


# --- the window with a bad store ---------------------------------------------------------------------------


def broken_world(root: Path) -> Path:
    """The current world's database overwritten with random bytes."""
    path = root / "worlds" / "broken" / "tessera.db"
    path.parent.mkdir(parents=True)
    path.write_bytes(os.urandom(64 * 1024))
    worlds.set_current(root, "broken")
    return path


def test_a_screenshot_of_a_bad_store_is_a_sentence_not_a_dialog(tmp_path):
    root = tmp_path / "data"
    path = broken_world(root)
    before = digest(path)
    result = subprocess.run([sys.executable, "main.py", "--data-dir", str(root), "--screenshot",
                             str(tmp_path / "shot.png")], capture_output=True, text=True, cwd=REPO, timeout=300,
                            env=_env({"QT_QPA_PLATFORM": "offscreen"}))
    refused(result, str(path), "not a Tessera database")
    assert not (tmp_path / "shot.png").exists() and digest(path) == before


def test_the_window_offers_the_demo_world_for_a_bad_store(qtbot, demo_data_dir):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from discovery.clock import VirtualClock
    from storage import StoreError
    from ui import app

    path = broken_world(demo_data_dir)
    before = digest(path)
    clock = VirtualClock(T0)
    with pytest.raises(StoreError) as caught:
        app.open_in_app(demo_data_dir, worlds.current_name(demo_data_dir), clock)
    offered = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, answer)
            return
        offered.extend(button.text() for button in box.buttons())
        offered.append(box.text())
        next(b for b in box.buttons() if b.text() == "Open the demo world").click()

    QTimer.singleShot(0, answer)
    root, opened = app.recover(caught.value, demo_data_dir, clock)
    try:
        assert root == demo_data_dir and opened.name == worlds.DEMO
        assert {"Open the demo world", "Choose another data folder…"} <= set(offered)
        assert str(caught.value) in offered
    finally:
        opened.close()
    assert digest(path) == before and worlds.current_name(demo_data_dir) == "broken"


# --- the detail view under hostile text --------------------------------------------------------------------


def test_hostile_text_keeps_the_detail_views_buttons_in_view(qtbot, demo_data_dir):
    from discovery.browse import Browser
    from ui.detail import FSI, PDI, DetailView
    from ui.tasks import SynchronousRunner

    path = db(demo_data_dir, worlds.DEMO)
    with closing(sqlite3.connect(path)) as conn:
        post_id, author_id = conn.execute("SELECT id, author_id FROM posts WHERE taken_at IS NOT NULL").fetchone()
        conn.execute("UPDATE posts SET caption = ? WHERE id = ?",
                     ("\u202eevil words " + "W" * 10_000 + " #harbour", post_id))
        conn.execute("UPDATE accounts SET full_name = ? WHERE id = ?", ("N" * 10_000, author_id))
        conn.commit()
    world = worlds.World.open(demo_data_dir, worlds.DEMO)
    try:
        view = DetailView(Browser(world), SynchronousRunner(), allow_network=False)
        qtbot.addWidget(view)
        view.resize(1200, 800)
        view.show()
        view.show_post(post_id)
        qtbot.wait(50)
        scroll = view.caption.parentWidget().parentWidget().parentWidget()
        assert scroll.horizontalScrollBar().maximum() == 0  # nothing wider than the side panel
        for button in (view.open_button, view.save_button, view.hide_button, view.fewer_button):
            assert button.width() <= scroll.viewport().width()
            assert button.mapTo(scroll.viewport(), button.rect().topLeft()).y() < scroll.viewport().height()
        caption = view.caption.text()
        assert caption.startswith(FSI) and PDI in caption and "\u202e" not in caption and "\u2067" in caption
        assert "Show all" in caption and len(caption) < 1_000
        view.caption.linkActivated.emit("more:")
        assert view.caption.text().count("W") == 10_000 and "Show all" not in view.caption.text()
        assert view.author.toolTip() == "N" * 10_000 and len(view.author.text()) < 200
    finally:
        world.close()
