"""Starting Tessera, whole processes: `python -m discovery --help` and every command's `--help`, `feed --top 20`
on the demo world, the window's first painted Feed from process start, and `main.py --demo --screenshot`.
Beside them, the floor: a bare interpreter, and one that imports numpy, pandas and scipy.sparse. Each figure
is the median of --runs runs (default 5); on a shared machine the spread is wide, so read medians only.

`feed`, the first paint and the screenshot are measured twice: with the lists kept by the last ranking of the
unchanged world (discovery.snapshot: the usual start), and ranked afresh, as after new data (the kept lists
removed before each run: the ranker loads, and the learned model trains).

    QT_QPA_PLATFORM=offscreen python -m bench.bench_start [--json] [--runs 5] [--data-dir DIR]

The demo world is built once into --data-dir (default: a cache folder under /tmp).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.bench_ui import COLD_START  # noqa: E402
from bench.common import arguments, report  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"help": 0.3, "feed": 1.0, "first paint": 1.0, "screenshot": 2.0}


def wall(command: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def median_of(runs: int, measure) -> float:
    return statistics.median(measure() for _ in range(runs))


def first_paint(root: Path) -> float:
    env = dict(os.environ, BENCH_STARTED=repr(time.time()))
    done = subprocess.run([sys.executable, "-c", COLD_START, str(root)], cwd=REPO, env=env, capture_output=True,
                          text=True, check=True)
    return float(done.stdout.split()[0])


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (the median is reported)")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "tessera-bench-start")
    args = parser.parse_args()
    from discovery.cli import COMMANDS

    python = sys.executable
    root = args.data_dir
    subprocess.run([python, "-m", "discovery", "demo", "--data-dir", str(root)], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []

    def row(what: str, seconds: float, target: float | None = None) -> None:
        rows.append({"what": what, "median_s": seconds, "target_s": target,
                     "met": None if target is None else seconds < target})

    row("python -c pass (floor)", median_of(args.runs, lambda: wall([python, "-c", "pass"])))
    row("import numpy, pandas, scipy.sparse (floor)",
        median_of(args.runs, lambda: wall([python, "-c", "import numpy, pandas, scipy.sparse"])))
    row("python -m discovery --help", median_of(args.runs, lambda: wall([python, "-m", "discovery", "--help"])),
        TARGETS["help"])
    for command in COMMANDS:
        row(f"python -m discovery {command} --help",
            median_of(args.runs, lambda c=command: wall([python, "-m", "discovery", c, "--help"])), TARGETS["help"])
    kept = root / "worlds" / "demo" / "ranked"
    with tempfile.TemporaryDirectory() as tmp:
        shot = str(Path(tmp) / "feed.png")
        screenshot = [python, "main.py", "--demo", "--data-dir", str(root), "--screenshot", shot, "--tab", "feed"]
        feed = [python, "-m", "discovery", "feed", "--top", "20", "--data-dir", str(root)]
        for how in ("kept lists", "ranked afresh"):
            def run(measure, how=how):
                if how == "ranked afresh":
                    shutil.rmtree(kept, ignore_errors=True)
                return measure()

            if how == "kept lists":
                wall(screenshot)  # ranks (and keeps) both lists, if they are not kept yet
            row(f"python -m discovery feed --top 20 (demo world, {how})",
                median_of(args.runs, lambda: run(lambda: wall(feed))), TARGETS["feed"])
            row(f"window: first painted Feed from process start (demo world, {how})",
                median_of(args.runs, lambda: run(lambda: first_paint(root))), TARGETS["first paint"])
            row(f"python main.py --demo --screenshot F --tab feed ({how})",
                median_of(args.runs, lambda: run(lambda: wall(screenshot))), TARGETS["screenshot"])
    report(f"Start-up, whole processes (median of {args.runs} runs)", rows, args.json)


if __name__ == "__main__":
    main()
