"""“Connect Instagram account…”: username and password, then whatever Instagram asks next (a two-factor code,
a security code sent by SMS or e-mail, or an approval in the Instagram app). Every step of the LoginFlow
talks to Instagram, so each one runs on the task pool; the dialog only shows the step's sentence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from discovery.live.client import new_client
from discovery.live.login import (
    CHALLENGE_APPROVE,
    CHALLENGE_CODE,
    DONE,
    FAILED,
    TWO_FACTOR,
    LoginFlow,
    LoginStep,
    logout,
)
from ui.labels import plain_label
from ui.tasks import TaskRunner

INTRO = ("Tessera logs in as you to read whom you follow, the posts you liked and the recent posts around "
         "you. It only reads; it never posts, likes or follows.")
PRIVACY = "Your password is sent only to Instagram, never anywhere else."
REMEMBER_TIP = ("Keep the password in this computer's keyring (the system's password store) and the Instagram "
                "session in Tessera's data folder, encrypted with a key kept in the keyring, so you stay "
                "logged in next time. Log out forgets both.")
CODE_STEPS = (TWO_FACTOR, CHALLENGE_CODE)


class LoginDialog(QDialog):
    logged_in = Signal(str)  # the username, once, after Instagram accepted the login

    def __init__(self, root: Path, tasks: TaskRunner, parent: QWidget | None = None,
                 client_factory: Callable = new_client, keyring_backend=None, username: str = "", clock=None):
        super().__init__(parent)
        self.root = Path(root)
        self.clock = clock
        self.tasks = tasks
        self.client_factory = client_factory
        self.keyring_backend = keyring_backend
        self.flow: LoginFlow | None = None
        self.step: LoginStep | None = None  # the last step Instagram answered with
        self.done_message = ""  # the DONE step's sentence (e.g. that nothing could be remembered)
        self.busy = False
        self._closing = False  # cancelled while a step was running: its answer is only cleaned up
        self.setWindowTitle("Connect your Instagram account")
        self.setMinimumWidth(460)

        title = QLabel("Log in to Instagram")
        title.setObjectName("panelTitle")
        intro = plain_label(INTRO)
        intro.setObjectName("hint")
        form = self._form(username)
        privacy = plain_label(PRIVACY)
        privacy.setObjectName("hint")
        self._status_widgets()
        self.buttons = self._button_box()
        for field in (self.username, self.password, self.code):
            field.textChanged.connect(self._update_buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(privacy)
        layout.addSpacing(6)
        layout.addWidget(self.message)
        layout.addWidget(self.busy_bar)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._show_step_fields()
        (self.password if self.username.text() else self.username).setFocus()

    def _form(self, username: str) -> QFormLayout:
        """Username, password, remember me, and the code field the code steps show."""
        self.username = QLineEdit(username.strip().lstrip("@"), placeholderText="yourname")
        self.username.setAccessibleName("Instagram username")
        self.password = QLineEdit(placeholderText="Instagram password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Instagram password")
        self.remember = QCheckBox("Remember me")
        self.remember.setChecked(True)
        self.remember.setToolTip(REMEMBER_TIP)
        self.code_label = QLabel("Code")
        self.code = QLineEdit(placeholderText="123456")
        self.code.setAccessibleName("Security code")
        self.code.setMaxLength(16)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
        form.addRow("", self.remember)
        form.addRow(self.code_label, self.code)
        return form

    def _status_widgets(self) -> None:
        """The step's sentence and a busy bar: the message keeps room for two lines and the hidden busy bar
        keeps its place, so nothing jumps."""
        self.message = plain_label()
        self.message.setObjectName("loginMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing() + 4)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedHeight(6)
        self.busy_bar.setAccessibleName("Talking to Instagram")
        policy = self.busy_bar.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.busy_bar.setSizePolicy(policy)

    def _button_box(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self.continue_button = buttons.addButton("Continue", QDialogButtonBox.ButtonRole.ActionRole)
        self.continue_button.setToolTip("I approved it in the app")
        self.login_button = buttons.addButton("Log in", QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.login_button.clicked.connect(self.submit)
        self.continue_button.clicked.connect(self.approved)
        self.cancel_button.clicked.connect(self.reject)
        return buttons

    # --- the steps -----------------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        """"credentials", "code" (two-factor or challenge code) or "approve"."""
        kind = self.step.kind if self.step is not None else FAILED
        return "code" if kind in CODE_STEPS else "approve" if kind == CHALLENGE_APPROVE else "credentials"

    def submit(self) -> None:
        """Log in (first step) or send the code (code steps)."""
        if self.busy:
            return
        if self.mode == "code":
            waiting, step, code = self.flow, self.step, self.code.text()
            if waiting is None or step is None:
                return  # a code is asked for only while a flow waits for it
            if step.kind == TWO_FACTOR:
                self._run(lambda: waiting.submit_two_factor(code))
            else:
                self._run(lambda: waiting.submit_challenge_code(code))
            return
        flow = LoginFlow(self.root, remember=self.remember.isChecked(), client_factory=self.client_factory,
                         keyring_backend=self.keyring_backend, clock=self.clock)
        self.flow = flow
        username, password = self.username.text(), self.password.text()
        self._run(lambda: flow.start(username, password))

    def approved(self) -> None:
        """The person says they approved the login in the Instagram app."""
        flow = self.flow
        if not self.busy and self.mode == "approve" and flow is not None:
            self._run(flow.continue_after_approval)

    def _run(self, call: Callable[[], LoginStep]) -> None:
        self.message.setText("Talking to Instagram…")
        self._set_busy(True)
        self.tasks.run(call, self._arrived, self._failed)

    def _arrived(self, step: LoginStep) -> None:
        if self._closing:
            self._abandon(step)
            return
        self.step = step
        self._set_busy(False)
        self.message.setText(step.message)
        if step.kind == DONE:
            self._forget_password()
            self.done_message = step.message
            self.logged_in.emit(step.username)
            self.accept()
            return
        if step.kind == FAILED:
            self._forget_password()
        self._show_step_fields()
        if step.kind in CODE_STEPS:
            self.code.clear()
            self.code.setFocus()
        elif step.kind == FAILED:
            (self.password if self.username.text().strip() else self.username).setFocus()

    def _failed(self, error: Exception) -> None:
        """A LoginFlow step turns every Instagram error into a step; this is only for the unexpected."""
        self._arrived(LoginStep(FAILED, f"Logging in failed unexpectedly ({type(error).__name__}). Try again."))

    def _forget_password(self) -> None:
        """The dialog keeps no password once a login has ended (the flow's session keeps what it needs)."""
        self.password.clear()
        self.flow = None

    # --- cancel --------------------------------------------------------------------------------------

    def reject(self) -> None:
        """Cancel (also Esc and closing the window). A challenge waiting for its code is ended in the
        background; a step still running is left to finish and then cleaned up."""
        if self.busy:
            self._closing = True  # the flow stays until its answer arrives (see _abandon)
        else:
            if self.step is not None and self.step.kind == CHALLENGE_CODE and self.flow is not None:
                self._cancel_flow(self.flow)
            self.flow = None
        self.password.clear()
        super().reject()

    def _abandon(self, step: LoginStep) -> None:
        """The answer to a step the person cancelled: end a pending challenge, and keep nothing of a login
        that succeeded after all (the person said no)."""
        self.busy = False
        if step.kind == CHALLENGE_CODE and self.flow is not None:
            self._cancel_flow(self.flow)
        elif step.kind == DONE:
            root, username, backend = self.root, step.username, self.keyring_backend
            self.tasks.run(lambda: logout(root, username, backend), lambda _message: None, lambda _error: None)
        self.flow = None

    def _cancel_flow(self, flow: LoginFlow) -> None:
        self.tasks.run(flow.cancel, lambda _step: None, lambda _error: None)

    # --- the widgets ---------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        credentials = self.mode == "credentials" and not busy
        for widget in (self.username, self.password, self.remember):
            widget.setEnabled(credentials)
        self.code.setEnabled(not busy)
        self._update_buttons()

    def _show_step_fields(self) -> None:
        mode = self.mode
        self.code_label.setVisible(mode == "code")
        self.code.setVisible(mode == "code")
        self.continue_button.setVisible(mode == "approve")
        self.login_button.setVisible(mode != "approve")
        self.login_button.setText("Verify code" if mode == "code" else "Log in")
        (self.continue_button if mode == "approve" else self.login_button).setDefault(True)
        self._set_busy(self.busy)

    def _update_buttons(self) -> None:
        if self.mode == "code":
            ready = bool(self.code.text().strip())
        else:
            ready = bool(self.username.text().strip() and self.password.text())
        self.login_button.setEnabled(ready and not self.busy)
        self.continue_button.setEnabled(not self.busy)
