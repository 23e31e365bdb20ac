"""README's screenshots, made anew: the demo world in both themes at two window sizes, every view.

    python -m bench.screenshots [--data-dir DIR]

Each picture is the app's own `--screenshot` of a freshly generated demo world (made-up people only), written
to resources/screenshots/THEME-SIZE/VIEW.png.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "resources" / "screenshots"
THEMES = ("light", "dark")
SIZES = ("1360x860", "1024x640")
# (file name, extra arguments)
VIEWS = [
    ("feed", ["--tab", "feed"]),
    ("detail", ["--tab", "feed", "--open-first"]),
    ("explore", ["--tab", "explore"]),
    ("predict", ["--tab", "predict"]),
    ("insights", ["--tab", "insights"]),
    ("insights-charts", ["--tab", "insights-charts"]),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="where to build the demo world (default: a temporary folder)")
    args = parser.parse_args(argv)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = args.data_dir or scratch
        for theme in THEMES:
            for size in SIZES:
                folder = OUT / f"{theme}-{size}"
                folder.mkdir(parents=True, exist_ok=True)
                for name, extra in VIEWS:
                    command = [sys.executable, "main.py", "--demo", "--data-dir", data_dir, "--theme", theme,
                               "--size", size, *extra, "--screenshot", str(folder / f"{name}.png")]
                    print(" ".join(command[1:]), file=sys.stderr, flush=True)
                    subprocess.run(command, cwd=REPO, env=env, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
