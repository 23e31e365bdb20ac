"""The main window: Feed and Explore tabs over one world, a banner for the demo world, menus, keyboard
shortcuts, the status bar, and the window state kept between runs."""

from __future__ import annotations

import json
import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from discovery.browse import Browser
from discovery.settings import Settings
from discovery.world import World
from ui import theme
from ui.posts_page import PostsPage
from ui.tasks import TaskRunner
from ui.thumbnails import ThumbnailLoader
from ui.why_panel import plain_label

SHORTCUTS = [
    ("j / ↓", "next post"), ("k / ↑", "previous post"), ("Enter", "open the post"), ("Esc", "back to the list"),
    ("Space", "page down"), ("← / →", "previous / next picture of a carousel"), ("/", "search"),
    ("r", "refresh from the store"), ("Ctrl+1 … Ctrl+4", "switch tabs"), ("Ctrl+L", "grid or list"),
    ("F1 or ?", "this help"), ("Ctrl+Q", "quit"),
]


class MainWindow(QMainWindow):
    ready = Signal()  # every tab has its first ranking
    switch_world = Signal(str)  # open another world (after an import or a login) in a new window

    def __init__(self, root: Path, world: World, settings: Settings, tasks: TaskRunner | None = None,
                 offline: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.root = root
        self.world = world
        self.settings = settings
        self.tasks = tasks or TaskRunner(parent=self)
        self.offline = offline
        self.state = QSettings(str(root / "window.ini"), QSettings.Format.IniFormat)
        self.browser = Browser(world, settings)
        self.loader = ThumbnailLoader(parent=self)
        self.setWindowIcon(theme.app_icon())
        self.setWindowTitle(f"Tessera — {world.title}")
        self.resize(1360, 860)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.pages: dict[str, PostsPage] = {}
        for kind, label in (("feed", "Feed"), ("explore", "Explore")):
            page = PostsPage(kind, self.browser, self.tasks, self.loader, allow_network=not offline)
            page.set_date_bounds(world.now())
            page.ranked.connect(self._update_status)
            page.settings_changed.connect(lambda source=page: self._rerank_others(source))
            page.detail.changed.connect(lambda source=page: self._rerank_others(source))
            self.pages[kind] = page
            self.tabs.addTab(page, label)
        from ui.predict_page import PredictPage

        self.predict_page = PredictPage(world, self.tasks, settings)
        self.tabs.addTab(self.predict_page, "Predict")
        self.tabs.currentChanged.connect(self._tab_changed)
        self._pending_first = set(self.pages)
        for kind, page in self.pages.items():
            page.ranked.connect(lambda _n, k=kind: self._first_ranked(k))

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banner = self._banner()
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.status = QLabel()
        self.statusBar().addWidget(self.status, 1)
        self._menus()
        self._shortcuts()
        self.restore_state()

    # --- building ----------------------------------------------------------------------------------------

    def _banner(self) -> QFrame:
        banner = QFrame()
        banner.setObjectName("banner")
        row = QHBoxLayout(banner)
        row.setContentsMargins(12, 6, 12, 6)
        text = ("You are looking at a generated demo world: every account and post in it is made up. "
                "Connect your own Instagram account to see your neighbourhood.")
        row.addWidget(plain_label(text), 1)
        self.connect_button = QPushButton("Connect Instagram account…")
        self.import_button = QPushButton("Import data export…")
        for button in (self.connect_button, self.import_button):
            button.setVisible(False)  # shown by the features that provide them
            row.addWidget(button)
        banner.setVisible(self.world.kind == "demo")
        return banner

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        import_action = QAction("&Import data export…", self)
        import_action.triggered.connect(self.import_export)
        file_menu.addAction(import_action)
        self.import_button.clicked.connect(self.import_export)
        self.import_button.setVisible(True)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.file_menu = file_menu

        view = self.menuBar().addMenu("&View")
        refresh = QAction("&Refresh", self, shortcut=QKeySequence("R"))
        refresh.triggered.connect(self.refresh)
        view.addAction(refresh)
        layout_action = QAction("&List layout", self, shortcut=QKeySequence("Ctrl+L"), checkable=True)
        layout_action.toggled.connect(lambda on: [p.set_list_mode(on) for p in self.pages.values()])
        view.addAction(layout_action)
        self.layout_action = layout_action
        view.addSeparator()
        themes = view.addMenu("&Theme")
        group = QActionGroup(self)
        self.theme_actions = {}
        for mode in theme.MODES:
            action = QAction(mode.title(), self, checkable=True)
            action.triggered.connect(lambda _checked, m=mode: self.set_theme(m))
            group.addAction(action)
            themes.addAction(action)
            self.theme_actions[mode] = action
        view.addSeparator()
        clear = QAction("&Clear filters", self)
        clear.triggered.connect(lambda: self.current_page().clear_filters())
        view.addAction(clear)

        help_menu = self.menuBar().addMenu("&Help")
        shortcuts = QAction("&Keyboard shortcuts", self, shortcut=QKeySequence("F1"))
        shortcuts.triggered.connect(self.show_shortcuts)
        help_menu.addAction(shortcuts)
        about = QAction("&About Tessera", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _shortcuts(self) -> None:
        for number in range(1, 5):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda n=number: self.tabs.setCurrentIndex(min(n, self.tabs.count()) - 1))
        QShortcut(QKeySequence("/"), self).activated.connect(self.focus_search)
        QShortcut(QKeySequence("?"), self).activated.connect(self.show_shortcuts)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.activated.connect(lambda: self.current_page().close_detail())

    def add_tab(self, widget: QWidget, label: str) -> None:
        self.tabs.addTab(widget, label)

    # --- behaviour ---------------------------------------------------------------------------------------

    def current_page(self) -> PostsPage:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, PostsPage) else self.pages["feed"]

    def start(self) -> None:
        """Rank every tab (in the background); `ready` fires when all have shown their first list."""
        for page in self.pages.values():
            page.rerank()
        self._tab_changed(self.tabs.currentIndex())

    def _tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if hasattr(widget, "activate"):
            widget.activate()

    def _first_ranked(self, kind: str) -> None:
        if kind in self._pending_first:
            self._pending_first.discard(kind)
            if not self._pending_first:
                self.ready.emit()

    def _rerank_others(self, source: PostsPage) -> None:
        for page in self.pages.values():
            if page is not source:
                page.panel.load()
                page.rerank()

    def refresh(self) -> None:
        """Read the world again (after a sync or import) and re-rank."""
        def reload():
            self.browser.reload()

        self.tasks.run(reload, lambda _r: self.start())

    def focus_search(self) -> None:
        page = self.current_page()
        page.close_detail()
        page.search.setFocus()
        page.search.selectAll()

    def set_theme(self, mode: str) -> None:
        self.state.setValue("theme", mode)
        theme.apply(QApplication.instance(), mode)
        self.theme_actions[mode].setChecked(True)

    def import_export(self) -> None:
        from ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.root, self.tasks, self)
        dialog.imported.connect(self.switch_world.emit)
        dialog.exec()

    def _update_status(self, _rows: int = 0) -> None:
        counts = self.world.store.counts()
        states = self.world.store.sync_states()
        if self.world.kind == "demo":
            synced = "demo world, generated on this computer"
        elif len(states):
            synced = "last synced " + time.strftime("%Y-%m-%d %H:%M", time.localtime(int(states["updated_at"].max())))
        else:
            synced = "never synced"
        network = "offline" if self.offline or self.world.kind != "account" else "online when syncing"
        self.status.setText(f"{synced} · {counts['posts']:,} posts · {counts['accounts']:,} accounts · {network}")

    def show_shortcuts(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Keyboard shortcuts")
        grid = QGridLayout()
        for row, (keys, meaning) in enumerate(SHORTCUTS):
            key_label = plain_label(keys, wrap=False)
            key_label.setStyleSheet("font-weight: 600")
            grid.addWidget(key_label, row, 0)
            grid.addWidget(plain_label(meaning, wrap=False), row, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addLayout(grid)
        layout.addWidget(buttons)
        dialog.exec()

    def show_about(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("About Tessera")
        layout = QVBoxLayout(dialog)
        layout.addWidget(plain_label(
            "Tessera — your own Instagram discovery engine.\n\nIt ranks the posts around you with personalized "
            "PageRank from your account, recency and engagement, weighted by how often you liked each author. "
            "Everything stays on this computer; nothing is sent anywhere but Instagram, and only when you sync."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.exec()

    # --- state between runs ------------------------------------------------------------------------------

    def restore_state(self) -> None:
        geometry = self.state.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self.set_theme(str(self.state.value("theme", "system")))
        for kind, page in self.pages.items():
            raw = self.state.value(f"pages/{kind}")
            if raw:
                try:
                    page.restore(json.loads(raw))
                except (ValueError, TypeError):
                    pass  # a damaged entry is ignored: the page keeps its defaults
        self.layout_action.blockSignals(True)
        self.layout_action.setChecked(self.pages["feed"].layout_button.isChecked())
        self.layout_action.blockSignals(False)
        self.tabs.setCurrentIndex(int(self.state.value("tab", 0)))

    def save_state(self) -> None:
        self.state.setValue("geometry", self.saveGeometry())
        self.state.setValue("tab", self.tabs.currentIndex())
        for kind, page in self.pages.items():
            self.state.setValue(f"pages/{kind}", json.dumps(page.state()))
        self.state.sync()
        self.settings.save()

    def closeEvent(self, event) -> None:
        self.save_state()
        super().closeEvent(event)
