"""Starting the app: arguments, the QApplication, the first-start demo world, the main window, and the
`--screenshot` mode that renders the window offscreen to a PNG and exits."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from discovery import paths, world
from discovery.clock import Clock, SystemClock
from discovery.progress import Cancelled, CancelToken, ProgressEvent
from discovery.settings import Settings
from storage import StoreError

if TYPE_CHECKING:  # Qt loads once the arguments are read
    from PySide6.QtWidgets import QApplication

TAB_NAMES = ("feed", "explore", "predict", "insights", "insights-charts")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tessera", description="Tessera, your Instagram discovery engine.")
    parser.add_argument("--demo", action="store_true", help="open the generated demo world")
    parser.add_argument("--data-dir", metavar="PATH", help="where Tessera keeps its worlds")
    parser.add_argument("--offline", action="store_true", help="never touch the network")
    parser.add_argument("--screenshot", metavar="FILE", help="render the window offscreen to a PNG and exit")
    parser.add_argument("--tab", choices=TAB_NAMES, default=None, help="the tab to show (with --screenshot)")
    parser.add_argument("--open-first", action="store_true",
                        help="with --screenshot: open the first post's detail view")
    parser.add_argument("--size", default="1360x860", help="window size for --screenshot, e.g. 1360x860")
    parser.add_argument("--theme", choices=("light", "dark"), default=None,
                        help="light or dark for this run (default: the one chosen in View → Theme)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    from PySide6.QtWidgets import QApplication

    from ui import theme

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName("Tessera")
    app.setOrganizationName("Tessera")
    app.setWindowIcon(theme.app_icon())
    theme.apply(app, "system")

    clock = SystemClock()  # the one wall clock; every world opened here runs on it
    root = None
    try:
        root = paths.data_dir(args.data_dir)
        current = open_in_app(root, world.DEMO if args.demo else world.current_name(root), clock)
    except StoreError as exc:
        if args.screenshot:  # nobody to answer a dialog: the sentence, and a failure
            print(f"tessera: {exc}", file=sys.stderr)
            return 1
        root, current = recover(exc, root, clock)
        if root is None:
            return 1
    if current is None:
        return 0  # the person cancelled the first-start generation
    settings = Settings(paths.settings_path(root))

    from ui.main_window import MainWindow

    if args.screenshot:
        window = MainWindow(root, current, settings, offline=args.offline)
        if args.theme:
            theme.apply(app, args.theme)
        return screenshot(app, window, Path(args.screenshot), args.tab, args.size, args.open_first)
    return run_windows(app, root, current, settings, clock, args)


def run_windows(app: QApplication, root: Path, current: world.World, settings: Settings, clock: Clock,
                args: argparse.Namespace) -> int:
    """Show the world in a window until the app quits; opening another world replaces the window."""
    from PySide6.QtWidgets import QMessageBox

    from ui import theme
    from ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def show(opened: world.World) -> None:
        """Open a world in a fresh window (the old one, if any, is closed with its world)."""
        window = MainWindow(root, opened, settings, offline=args.offline)
        if args.theme:
            theme.apply(app, args.theme)
        window.events.world_switched.connect(lambda name: switch(window, name))
        windows.append(window)
        window.show()
        window.start()

    def switch(old: MainWindow, name: str) -> None:
        try:
            opened = world.World.open(root, name, clock)
        except StoreError as exc:
            QMessageBox.critical(old, "Tessera cannot open this world", str(exc))
            return
        world.set_current(root, name)
        old.close()
        old.world.close()
        windows.remove(old)
        show(opened)

    show(current)
    code = app.exec()
    for window in windows:
        window.world.close()
    return code


def recover(error: StoreError, root: Path | None, clock: Clock) -> tuple[Path | None, world.World | None]:
    """A world that cannot be opened: say why, and offer the demo world or another data folder. The file at
    fault is never touched. Returns the data folder and world to start on, or (None, None) to quit."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    while True:
        box = QMessageBox(QMessageBox.Icon.Critical, "Tessera cannot open this world", str(error))
        box.setTextFormat(Qt.TextFormat.PlainText)
        demo = box.addButton("Open the demo world", QMessageBox.ButtonRole.AcceptRole) if root else None
        other = box.addButton("Choose another data folder…", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        clicked = box.clickedButton()
        try:
            if demo is not None and root is not None and clicked is demo:
                return root, open_in_app(root, world.DEMO, clock)
            if clicked is other:
                folder = QFileDialog.getExistingDirectory(None, "Choose a data folder for Tessera")
                if folder:
                    root = paths.data_dir(folder)
                    return root, open_in_app(root, world.current_name(root), clock)
                continue
            return None, None
        except StoreError as exc:
            error = exc


def open_in_app(root: Path, name: str, clock: Clock) -> world.World | None:
    """world.open_world, with the demo world's first generation behind a progress dialog (None: cancelled)."""
    if name == world.DEMO and not world.exists(root, world.DEMO):
        return generate_demo(root)
    return world.open_world(root, name, clock)


def generate_demo(root: Path) -> world.World | None:
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QProgressDialog

    from discovery.demo import ensure_demo_world
    from ui.tasks import LONG, TaskRunner

    cancel = CancelToken()
    dialog = QProgressDialog("Generating the demo world…", "Cancel", 0, 100)
    dialog.setWindowTitle("Tessera")
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.canceled.connect(cancel.cancel)

    def show(event: ProgressEvent) -> None:
        dialog.setLabelText(f"Generating the demo world: {event.stage.lower()}…")
        if event.total:
            dialog.setMaximum(event.total)
            dialog.setValue(min(event.done, event.total - 1))

    outcome: dict = {}
    loop = QEventLoop()

    def finish(key: str, value) -> None:
        outcome[key] = value
        loop.quit()

    tasks = TaskRunner()
    tasks.run(lambda report: ensure_demo_world(root, progress=report, cancel=cancel),
              lambda built: finish("world", built), lambda error: finish("error", error), progress=show, pool=LONG)
    loop.exec()  # the dialog stays live (its Cancel, its progress) until the generation ends
    dialog.close()
    dialog.deleteLater()
    if isinstance(outcome.get("error"), Cancelled):
        return None
    if "error" in outcome:
        raise outcome["error"]
    return world.World.open(root, world.DEMO) if outcome["world"] is None else outcome["world"]


def screenshot(app, window, path: Path, tab: str | None, size: str, open_first: bool) -> int:
    """Render the window once everything it shows is loaded, save it as a PNG, and quit."""
    from PySide6.QtCore import QSize

    width, _, height = size.partition("x")
    window.resize(QSize(int(width), int(height)))
    if tab is not None:
        index = TAB_NAMES.index(tab.partition("-")[0])
        window.tabs.setCurrentIndex(min(index, window.tabs.count() - 1))
    trained: list = []
    window.trained.connect(trained.append)
    window.warm_up_after_start = False  # nothing is clicked: the ranker need not load behind kept lists
    window.show()
    window.start()
    wait_until(app, lambda: not window._pending_first and not window.tasks.busy)
    if window.browser.learning:  # the first lists come from the seed formula: show the learned ones
        wait_until(app, lambda: bool(trained), timeout=300)
        for _ in range(5):  # the re-rank the model's arrival queued
            app.processEvents()
        wait_until(app, lambda: not window.tasks.busy)
    if open_first:
        window.current_page().open_row(0)
        wait_until(app, lambda: not window.tasks.busy)
    if tab == "predict":
        page = window.predict_page
        wait_until(app, lambda: page.predictor is not None, timeout=300)
        if window.world.kind is world.WorldKind.DEMO:
            page.caption.setPlainText("Golden hour on the harbour wall #streetphotography #lightandshadow")
            page.add_demo_candidates()
            page._predict_later.flush()
        wait_until(app, lambda: page.report is not None and not window.tasks.busy, timeout=120)
    if tab is not None and tab.startswith("insights"):
        page = window.insights_page
        wait_until(app, lambda: page.insights is not None and not window.tasks.busy, timeout=300)
        page.sections.setCurrentIndex(1 if tab == "insights-charts" else 0)
    for _ in range(3):  # paint, let the visible thumbnails decode, paint again
        window.repaint()
        wait_until(app, window.loader.idle)
    window.repaint()
    app.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(path))
    window.close()
    print(f"saved {path}" if ok else f"could not save {path}", file=sys.stderr)
    return 0 if ok else 1


def wait_until(app, condition, timeout: float = 60.0) -> None:
    """Run the event loop until `condition()` holds (looked at every 10 ms) or `timeout` seconds have passed."""
    from PySide6.QtCore import QEventLoop, QTimer

    app.processEvents()
    if condition():
        return
    loop = QEventLoop()
    poll, give_up = QTimer(loop, interval=10), QTimer(loop, singleShot=True)
    poll.timeout.connect(lambda: loop.quit() if condition() else None)
    give_up.timeout.connect(loop.quit)
    poll.start()
    give_up.start(round(timeout * 1000))
    loop.exec()
