"""The store under faults and concurrent writers, through the real command line (`python -m discovery` in a
subprocess) and real SQLite files: every case ends in one sentence and a non-zero exit, or in success, and
the store is compared row by row (or byte by byte) before and after."""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from discovery import world as worlds
from discovery.export import import_into_data_dir
from discovery.export.importer import BUSY

REPO = Path(__file__).resolve().parents[1]
OWNER = "faults.example"
T0 = 1_700_000_000


# --- a tiny export and a world made from it ----------------------------------------------------------------


def _relation(name: str, at: int) -> dict:
    return {"title": "", "media_list_data": [], "string_list_data": [
        {"href": f"https://www.instagram.com/{name}", "value": name, "timestamp": at}]}


def _write(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def make_export(dest: Path, following: int = 40) -> Path:
    """An export in the 2022–2024 layout: `following` accounts followed, half as many followers, a few likes
    and saves."""
    base = dest / "connections/followers_and_following"
    _write(base / "following.json", {"relationships_following": [
        _relation(f"friend_{i}", T0 - i * 3600) for i in range(following)]})
    _write(base / "followers_1.json", [_relation(f"fan_{i}", T0 - i * 7200) for i in range(following // 2)])
    _write(dest / "personal_information/personal_information/personal_information.json", {"profile_user": [{
        "title": "", "media_map_data": {}, "string_map_data": {
            "Username": {"href": "", "value": OWNER, "timestamp": 0}}}]})

    def post(i: int) -> dict:
        return {"title": f"friend_{i}", "media_list_data": [], "string_list_data": [
            {"href": f"https://www.instagram.com/p/CFAULT{i:05d}/", "value": "x", "timestamp": T0 - i * 60}]}

    _write(dest / "your_instagram_activity/likes/liked_posts.json",
           {"likes_media_likes": [post(i) for i in range(8)]})
    _write(dest / "your_instagram_activity/saved/saved_posts.json", {"saved_saved_media": [
        {"title": f"friend_{i}", "string_map_data": {"Saved on": {
            "href": f"https://www.instagram.com/p/CFAULT{i:05d}/", "timestamp": T0 - i}}} for i in (1, 5)]})
    return dest


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A data folder holding one imported world (made in this process: fast), and the export it came from."""
    base = tmp_path_factory.mktemp("faults")
    make_export(base / "export")
    import_into_data_dir(base / "export", base / "data")
    return base


@pytest.fixture
def export(template, tmp_path) -> Path:
    return shutil.copytree(template / "export", tmp_path / "export")


@pytest.fixture
def root(template, tmp_path) -> Path:
    """A data folder with the world OWNER in it."""
    return shutil.copytree(template / "data", tmp_path / "data")


def db(root: Path, name: str = OWNER) -> Path:
    return root / "worlds" / name / "tessera.db"


STAMP = {"meta": " WHERE key != 'data_version'"}


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: what "the store is as it was" compares."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        # meta.data_version is a random stamp of the last write, not data: two equal stores differ in it
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"' + STAMP.get(t, "")).fetchall(), key=repr)
                for t in tables}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- running the command line ------------------------------------------------------------------------------


def _as_a_person() -> None:
    """Run as root, a child drops the capabilities that ignore file permissions, as a person's process has none."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "cannot drop a capability")


def _command(root: Path, args: tuple[str, ...], driver: str | None) -> list[str]:
    head = [sys.executable, "-c", driver] if driver else [sys.executable, "-m", "discovery"]
    return [*head, *args, "--data-dir", str(root)]


def _env(extra: dict | None = None) -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO), "TESSERA_BUSY_TIMEOUT": "30", **(extra or {})}


def tessera(root: Path, *args: str, env: dict | None = None, driver: str | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m discovery ARGS --data-dir ROOT`, as a person (file permissions hold even when run as root)."""
    return subprocess.run(_command(root, args, driver), capture_output=True, text=True, cwd=REPO, timeout=timeout,
                          env=_env(env), preexec_fn=_as_a_person)


def start(root: Path, *args: str, env: dict | None = None, driver: str | None = None) -> subprocess.Popen:
    return subprocess.Popen(_command(root, args, driver), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=REPO, env=_env(env), preexec_fn=_as_a_person)


def finish(process: subprocess.Popen) -> subprocess.CompletedProcess:
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def refused(result: subprocess.CompletedProcess, *words: str) -> str:
    """A refusal: non-zero exit, no traceback, one `tessera:` sentence holding each of `words`."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("tessera: ")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def succeeded(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stdout + result.stderr


# A child that stops for good at one point of an import (a patched function), saying so in a file.
STOP_AT = """
import os, sys, time, importlib
from pathlib import Path
module, _, name = os.environ["STOP_AT"].rpartition(".")
owner, _, attribute = name.partition(":")
target = importlib.import_module(module)
holder = getattr(target, owner) if attribute else target
attribute = attribute or owner
real = getattr(holder, attribute)
def stop(*args, **kwargs):
    if os.environ["STOP_WHEN"] == "after":
        real(*args, **kwargs)
    Path(os.environ["STOPPED"]).write_text("stopped")
    time.sleep(600)
setattr(holder, attribute, stop)
from discovery.cli import main
sys.exit(main(sys.argv[1:]))
"""

# Two children that both look for the world before either creates it: the race, every time.
BOTH_SEE_NO_WORLD = """
import os, sys, time
from pathlib import Path
import discovery.world as worlds
real, barrier = worlds.exists, Path(os.environ["BARRIER"])
def exists(root, name):
    found = real(root, name)
    (barrier / str(os.getpid())).touch()
    deadline = time.monotonic() + 60
    while len(list(barrier.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    worlds.exists = real
    return found
worlds.exists = exists
from discovery.cli import main
sys.exit(main(sys.argv[1:]))
"""


def kill_when_stopped(process: subprocess.Popen, stopped: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not stopped.exists():
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the import ended before the point to kill it at: {out}{err}")
        assert time.monotonic() < deadline, "the import never reached the point to kill it at"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()


# --- concurrent writers ------------------------------------------------------------------------------------


def test_two_imports_creating_the_same_world_lose_nothing(export, tmp_path):
    """Both look for the world, neither finds it, both import: one wins, the other says so; the world is whole."""
    root, barrier = tmp_path / "data", tmp_path / "barrier"
    root.mkdir(), barrier.mkdir()
    racers = [start(root, "import", str(export), env={"BARRIER": str(barrier)}, driver=BOTH_SEE_NO_WORLD)
              for _ in range(2)]
    results = [finish(p) for p in racers]
    winners = [r for r in results if r.returncode == 0]
    losers = [r for r in results if r.returncode != 0]
    assert len(winners) == 1 and len(losers) == 1, [r.stderr for r in results]
    assert refused(losers[0]) == f"tessera: {BUSY}"
    reference = tmp_path / "reference"
    import_into_data_dir(export, reference)
    assert dump(db(root)) == dump(db(reference))
    assert worlds.names(root) == [OWNER] and worlds.current_name(root) == OWNER
    assert [p.name for p in (root / "worlds").iterdir()] == [OWNER]  # the loser removed only its own folder


def test_a_write_waits_for_another_writer_and_says_so(root, export):
    """Another writer holds the database: the import says that it waits, and succeeds once the other is done."""
    holder = sqlite3.connect(db(root))
    holder.execute("BEGIN IMMEDIATE")
    process = start(root, "import", str(export))
    said = []
    try:
        while not any("Waiting for another program to finish writing to" in line for line in said):
            line = process.stderr.readline()
            assert line, "the import ended without saying that it waits"
            said.append(line)
    finally:
        holder.rollback()
        holder.close()
    result = finish(process)
    succeeded(result)
    assert str(db(root)) in "".join(said)


def test_a_database_locked_for_too_long_is_one_sentence_and_unchanged(root, export):
    before = dump(db(root))
    holder = sqlite3.connect(db(root))
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM my_likes")  # a change the holder never commits
    try:
        succeeded(tessera(root, "stats"))  # reading goes on meanwhile
        refused(tessera(root, "import", str(export), env={"TESSERA_BUSY_TIMEOUT": "1.5"}),
                str(db(root)), "another program", "try again")
    finally:
        holder.rollback()
        holder.close()
    assert dump(db(root)) == before


# --- files and folders that cannot be written --------------------------------------------------------------


def test_a_read_only_database_can_be_read_but_not_changed(root, export):
    path = db(root)
    before = digest(path)
    path.chmod(0o444)
    succeeded(tessera(root, "stats"))
    refused(tessera(root, "import", str(export)), str(path), "read-only")
    assert digest(path) == before


def test_a_read_only_world_folder(root, export):
    path = db(root)
    before = digest(path)
    path.parent.chmod(0o555)
    try:
        refused(tessera(root, "import", str(export)), str(path.parent), "read-only")
    finally:
        path.parent.chmod(0o755)
    assert digest(path) == before


def test_a_read_only_data_folder(export, tmp_path):
    root = tmp_path / "data"
    root.mkdir(0o555)
    refused(tessera(root, "import", str(export)), str(root), "Permission denied")
    assert list(root.iterdir()) == []


def test_a_data_folder_that_is_a_file(export, tmp_path):
    path = tmp_path / "data"
    path.write_text("my notes")
    refused(tessera(path, "stats"), str(path), "is a file")
    refused(tessera(path, "import", str(export)), str(path), "is a file")
    assert path.read_text() == "my notes"


def test_a_database_that_is_a_folder(root):
    path = db(root)
    path.unlink()
    path.mkdir()
    refused(tessera(root, "stats"), str(path), "is a folder")
    assert path.is_dir() and list(path.iterdir()) == []


# --- damaged files: refused, untouched ---------------------------------------------------------------------


def test_a_truncated_database_is_refused_untouched(root):
    path = db(root)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    before, beside = digest(path), sorted(path.parent.iterdir())
    refused(tessera(root, "stats"), str(path), "damaged", "cut short")
    assert digest(path) == before and sorted(path.parent.iterdir()) == beside


def test_a_malformed_database_is_refused_untouched(root):
    path = db(root)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xa5" * (len(data) - page)  # every page but the first, overwritten
    path.write_bytes(bytes(data))
    before = digest(path)
    refused(tessera(root, "stats"), str(path), "damaged")
    assert digest(path) == before


def test_a_database_without_its_version_is_refused_untouched(root):
    path = db(root)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP TABLE alembic_version")
        conn.commit()
    before = digest(path)
    refused(tessera(root, "stats"), str(path), "damaged", "schema version is missing")
    assert digest(path) == before
    refused(tessera(root, "stats"), str(path), "damaged")  # and the next start says the same
    assert digest(path) == before


def test_a_newer_database_is_refused_without_leaving_files_beside_it(root):
    path = db(root)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        conn.commit()
    before, beside = digest(path), sorted(path.parent.iterdir())
    refused(tessera(root, "stats"), "newer version of Tessera")
    assert digest(path) == before and sorted(path.parent.iterdir()) == beside  # no -wal or -shm left


# --- an import killed midway -------------------------------------------------------------------------------


@pytest.mark.parametrize("point, when", [
    ("storage.store.Store:upsert_posts", "after"),  # inside the write transaction
    ("discovery.paths.place_world", "before"),  # written and committed, not yet in place
])
def test_a_first_import_killed_midway_leaves_no_world(export, tmp_path, point, when):
    root, stopped = tmp_path / "data", tmp_path / "stopped"
    process = start(root, "import", str(export), driver=STOP_AT,
                    env={"STOP_AT": point, "STOP_WHEN": when, "STOPPED": str(stopped)})
    kill_when_stopped(process, stopped)
    assert not worlds.exists(root, OWNER) and worlds.names(root) == []
    assert worlds.current_name(root) == worlds.DEMO
    import_into_data_dir(export, root)  # the next import works, and clears what the killed one left
    assert [p.name for p in (root / "worlds").iterdir()] == [OWNER]


def test_an_import_killed_midway_leaves_an_existing_world_as_it_was(root, tmp_path):
    before = dump(db(root))
    newer, stopped = make_export(tmp_path / "newer", following=60), tmp_path / "stopped"
    process = start(root, "import", str(newer), driver=STOP_AT,
                    env={"STOP_AT": "storage.store.Store:upsert_posts", "STOP_WHEN": "after",
                         "STOPPED": str(stopped)})
    kill_when_stopped(process, stopped)
    assert dump(db(root)) == before
    succeeded(tessera(root, "stats"))


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


# --- small things ------------------------------------------------------------------------------------------


def test_a_number_of_thousands_of_digits_is_called_too_long(root, export):
    before = dump(db(root))
    following = export / "connections/followers_and_following/following.json"
    following.write_text(following.read_text().replace(str(T0), "9" * 5000, 1))
    sentence = refused(tessera(root, "import", str(export)), "A number in", "following.json", "is too long")
    assert "set_int_max_str_digits" not in sentence
    assert dump(db(root)) == before


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
