"""“Import data export…”: choose Instagram's download (a .zip or its folder), watch the counts, read the
summary. A failure is one sentence and leaves the worlds as they were."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from discovery.progress import Cancelled, CancelToken, ProgressEvent
from ui.labels import plain_label
from ui.tasks import LONG, TaskRunner

HOW_TO = ("In Instagram: Accounts Center → Your information and permissions → Download your information. "
          "Choose “Some of your information” (Followers and following, Likes, Saved), format JSON. "
          "Instagram e-mails a link; download the .zip and choose it here.")


class ImportDialog(QDialog):
    imported = Signal(str)  # the world's name, after a successful import

    def __init__(self, root: Path, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.root = root
        self.tasks = tasks
        self.cancel_token: CancelToken | None = None
        self.summary = None
        self.setWindowTitle("Import your Instagram data export")
        self.setMinimumWidth(560)

        self.path = QLineEdit(placeholderText="instagram-yourname-2026-11-01.zip or its unpacked folder")
        choose_zip = QPushButton("Choose .zip…")
        choose_folder = QPushButton("Choose folder…")
        choose_zip.clicked.connect(self._choose_zip)
        choose_folder.clicked.connect(self._choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(choose_zip)
        row.addWidget(choose_folder)

        self.username = QLineEdit(placeholderText="Your Instagram username")
        self.username.setVisible(False)
        self.stage = QLabel()
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        self.message = plain_label()
        self.message.setObjectName("importMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.start_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self._cancel_or_close)
        self.path.textChanged.connect(lambda text: self.start_button.setEnabled(bool(text.strip())))
        self.start_button.setEnabled(False)

        layout = QVBoxLayout(self)
        hint = plain_label(HOW_TO)
        hint.setObjectName("hint")
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.username)
        layout.addWidget(self.stage)
        layout.addWidget(self.bar)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _choose_zip(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Instagram data export", str(Path.home()),
                                              "Instagram export (*.zip);;All files (*)")
        if name:
            self.path.setText(name)

    def _choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Unpacked Instagram data export", str(Path.home()))
        if name:
            self.path.setText(name)

    def start(self) -> None:
        from discovery.export import import_into_data_dir

        username = self.username.text().strip().lstrip("@") or None
        source = Path(self.path.text().strip()).expanduser()
        self.cancel_token = CancelToken()
        self.start_button.setEnabled(False)
        self.bar.setVisible(True)
        self.bar.setRange(0, 0)
        self.message.setText("")
        token, root = self.cancel_token, self.root
        self.tasks.run(lambda report: import_into_data_dir(source, root, progress=report, cancel=token,
                                                           username=username),
                       self._done, self._failed, progress=self._progress, pool=LONG)

    def _progress(self, event: ProgressEvent) -> None:
        self.stage.setText(f"{event.stage}… {event.message}".strip())
        if event.total:
            self.bar.setRange(0, event.total)
            self.bar.setValue(event.done)

    def _done(self, summary) -> None:
        self.cancel_token = None
        self.summary = summary
        self.bar.setVisible(False)
        self.stage.setText("Imported.")
        self.message.setText(f"{summary.sentence}\nFeed and Explore now show @{summary.username}'s world; a sync "
                             "later fills in the posts themselves.")
        self.start_button.setVisible(False)
        self.close_button.setText("Close")
        self.imported.emit(summary.world or summary.username)

    def _failed(self, error: Exception) -> None:
        from discovery.export import UnknownOwner

        self.cancel_token = None
        self.bar.setVisible(False)
        self.start_button.setEnabled(True)
        if isinstance(error, Cancelled):
            self.stage.setText("Import cancelled; nothing was changed.")
            return
        self.stage.setText("Nothing was imported.")
        self.message.setText(str(error))
        if isinstance(error, UnknownOwner):
            self.username.setVisible(True)
            self.username.setFocus()
            self.message.setText(f"{error}\nType it above and press Import again.")

    def _cancel_or_close(self) -> None:
        if self.cancel_token is not None:
            self.cancel_token.cancel()
            self.stage.setText("Cancelling…")
        else:
            self.reject()
