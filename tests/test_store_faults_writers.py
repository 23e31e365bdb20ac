"""The store under concurrent writers and imports killed midway, through the real command line
(`python -m discovery` in a subprocess) and real SQLite files: every case ends in one sentence and a
non-zero exit, or in success, and the store is compared row by row before and after."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from fault_helpers import OWNER, db, dump, finish, make_export, refused, start, succeeded, tessera

from discovery import world as worlds
from discovery.export import import_into_data_dir
from discovery.export.importer import BUSY

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
