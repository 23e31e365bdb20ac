"""Drives the real window on a real X display (run by test_real_window.py under Xvfb): opens the demo world,
opens a post, visits every tab and grabs the whole screen with ImageMagick's `import` after each step.

    python tests/real_window.py DATA_DIR OUT_DIR
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from discovery import paths, world
from discovery.settings import Settings
from ui import theme
from ui.main_window import MainWindow


def wait(app: QApplication, condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.02)
    return False


def settle(app: QApplication, seconds: float = 0.5) -> None:
    wait(app, lambda: False, seconds)


def grab(out: Path, name: str) -> None:
    subprocess.run(["import", "-window", "root", str(out / f"{name}.png")], check=True, timeout=60)


def main(data_dir: Path, out: Path) -> int:
    app = QApplication(["tessera"])
    print(f"platform {app.platformName()}", flush=True)
    theme.apply(app, "light")
    demo = world.World.open(data_dir, world.DEMO)
    window = MainWindow(data_dir, demo, Settings(paths.settings_path(data_dir)), offline=True)
    window.move(0, 0)
    window.resize(1280, 720)
    window.show()
    window.start()
    if not wait(app, lambda: not window._pending_first and not window.tasks.busy, 120):
        print("the lists were not ranked in time", flush=True)
        return 1
    settle(app)
    grab(out, "feed")

    window.current_page().open_row(0)
    wait(app, lambda: not window.tasks.busy, 60)
    settle(app)
    grab(out, "post")
    window.current_page().close_detail()

    for index, name in enumerate(("feed", "explore", "predict", "insights")):
        window.tabs.setCurrentIndex(index)
        if name == "insights":
            wait(app, lambda: window.insights_page.insights is not None, 120)
        settle(app, 1.0)
        grab(out, f"tab-{name}")
    window.close()
    demo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
