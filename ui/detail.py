"""One post, large: the picture with carousel paging, the caption with its hashtags and mentions as
links, the author's card, and the actions (open, save, hide, see fewer, mark seen)."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable

from PySide6.QtCore import QPointF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QPainter, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from discovery import text
from discovery.browse import Browser, PostDetail, caption_tokens
from storage import InteractionKind, MediaType
from ui.emoji import shown
from ui.labels import plain_label
from ui.tasks import WRITER, Task, TaskRunner
from ui.thumbnails import decode

PICTURE = QSize(720, 720)
CAPTION_PREVIEW = 300  # characters of a caption shown before "Show all" (most captions are shorter)
NAME_PREVIEW = 60  # characters of a full name shown (all of it in the tooltip)
FSI, PDI, ZWSP = "\u2068", "\u2069", "\u200b"
# Overrides (LRO, RLO, PDF) would turn the order of the very characters they cover: shown as isolates instead.
_OVERRIDES_AS_ISOLATES = str.maketrans({"\u202d": "\u2066", "\u202e": "\u2067", "\u202c": PDI})
_LONG_RUN = re.compile(r"\S{30,}")


def isolated(text: str) -> str:
    """Someone else's text with its direction kept to itself: nothing in it reverses what is around it."""
    return f"{FSI}{text.translate(_OVERRIDES_AS_ISOLATES)}{PDI}" if text else ""


def breakable(text: str, every: int = 15) -> str:
    """Unbroken runs get zero-width break opportunities, so that wrapping can fold a 10,000-character word."""
    return _LONG_RUN.sub(lambda m: ZWSP.join(m[0][i:i + every] for i in range(0, len(m[0]), every)), text)


def caption_html(caption: str, limit: int | None = None) -> str:
    """The caption as escaped HTML with #hashtags and @mentions as internal links, its direction isolated;
    past `limit` characters it is cut, with a "Show all" link."""
    caption = shown(caption)
    cut = limit is not None and len(caption) > limit
    parts = []
    for kind, piece in caption_tokens(caption[:limit] if cut else caption):
        escaped = html.escape(breakable(piece))
        if kind == "hashtag":
            parts.append(f'<a href="hashtag:{html.escape(piece[1:].lower(), quote=True)}">{escaped}</a>')
        elif kind == "mention":
            parts.append(f'<a href="author:{html.escape(piece[1:].rstrip("."), quote=True)}">{escaped}</a>')
        else:
            parts.append(escaped.replace("\n", "<br>"))
    more = ' … <a href="more:">Show all</a>' if cut else ""
    return isolated("".join(parts)) + more if parts else ""


class PictureLabel(QLabel):
    """Shows a pixmap scaled to fit, sharp on HiDPI screens."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(240, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._pixmap: QPixmap | None = None
        self.video = False  # a video's cover: a play mark over it says the picture is not the post itself

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self.video or self._pixmap is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre, radius = QPointF(self.rect().center()), 34.0
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 150))
        painter.drawEllipse(centre, radius, radius)
        painter.setBrush(QColor("white"))
        painter.drawPolygon(QPolygonF([centre + QPointF(-11, -17), centre + QPointF(-11, 17), centre + QPointF(19, 0)]))

    def set_picture(self, pixmap: QPixmap | None, fallback: str = "") -> None:
        self._pixmap = pixmap
        if pixmap is None:
            self.setPixmap(QPixmap())
            self.setText(fallback)
        else:
            self.setText("")
            self._rescale()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._pixmap is None:
            return
        ratio = self.devicePixelRatioF()
        target = self.size() * ratio
        scaled = self._pixmap.scaled(target, Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation)
        scaled.setDevicePixelRatio(ratio)
        self.setPixmap(scaled)


class DetailView(QWidget):
    back = Signal()
    filter_requested = Signal(str, str)  # ("hashtag" | "author", value)
    changed = Signal()  # an action changed what the ranking should show

    def __init__(self, browser: Browser, tasks: TaskRunner, allow_network: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.browser = browser
        self.tasks = tasks
        self.allow_network = allow_network
        self.detail: PostDetail | None = None
        self.page = 0
        self._opened_at = 0.0
        self._loading: Task | None = None
        layout = QHBoxLayout(self)
        layout.addLayout(self._picture_side(), 1)
        layout.addWidget(self._facts_side())

    def _picture_side(self) -> QVBoxLayout:
        """The picture, with paging through a carousel's slides."""
        self.picture = PictureLabel()
        self.previous = QPushButton("◀")
        self.next = QPushButton("▶")
        self.previous.setToolTip("Previous picture (Left)")
        self.next.setToolTip("Next picture (Right)")
        self.page_label = QLabel()
        self.previous.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next.clicked.connect(lambda: self.show_page(self.page + 1))
        paging = QHBoxLayout()
        paging.addStretch(1)
        for widget in (self.previous, self.page_label, self.next):
            paging.addWidget(widget)
        paging.addStretch(1)
        self.video_note = plain_label()
        self.video_note.setObjectName("hint")
        self.video_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left = QVBoxLayout()
        left.addWidget(self.picture, 1)
        left.addLayout(paging)
        left.addWidget(self.video_note)
        return left

    def _facts_side(self) -> QScrollArea:
        """Back, the author, the caption and numbers, and the person's actions."""
        back = QPushButton("← Back")
        back.setToolTip("Back to the list (Esc)")
        back.clicked.connect(self.close_detail)
        self.author = plain_label()
        self.author.setObjectName("detailAuthor")
        self.author_facts = plain_label()
        self.author_facts.setObjectName("hint")
        self.caption = QLabel()
        self.caption.setObjectName("detailCaption")
        self.caption.setTextFormat(Qt.TextFormat.RichText)  # escaped in caption_html; links are ours
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.caption.setOpenExternalLinks(False)
        self.caption.linkActivated.connect(self._link)
        self.numbers = plain_label()
        self.numbers.setObjectName("hint")
        right = QVBoxLayout()
        right.addWidget(back, alignment=Qt.AlignmentFlag.AlignLeft)
        right.addSpacing(8)
        right.addWidget(self.author)
        right.addWidget(self.author_facts)
        right.addSpacing(8)
        right.addWidget(self.caption)
        right.addWidget(self.numbers)
        right.addSpacing(8)
        for button in self._action_buttons():
            right.addWidget(button)
        right.addStretch(1)
        side = QWidget()
        side.setLayout(right)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumWidth(320)
        scroll.setMaximumWidth(440)
        return scroll

    def _action_buttons(self) -> tuple[QPushButton, ...]:
        self.open_button = QPushButton("Open on instagram.com")
        self.save_button = QPushButton("Save")
        self.save_button.setCheckable(True)
        self.hide_button = QPushButton("Hide this post")
        self.fewer_button = QPushButton("See fewer")
        self.seen_button = QPushButton("Mark seen")
        self.seen_button.setCheckable(True)
        self.open_button.clicked.connect(self._open_in_browser)
        self.save_button.clicked.connect(self._toggle_saved)
        self.hide_button.clicked.connect(self._hide)
        self.fewer_button.clicked.connect(self._see_fewer)
        self.seen_button.clicked.connect(self._toggle_seen)
        return self.open_button, self.save_button, self.seen_button, self.hide_button, self.fewer_button

    # --- showing ---------------------------------------------------------------------------------------

    def show_post(self, post_id: int) -> None:
        """Read the post off the GUI thread (a newer one opened meanwhile supersedes it), then show it."""
        self.detail = None  # the actions wait for the post that is opening
        self._opened_at = time.monotonic()
        for button in self._actions():
            button.setEnabled(False)
        self.picture.set_picture(None, "Loading…")
        browser = self.browser
        self._loading = self.tasks.run(lambda: browser.detail(post_id), self._show_detail, self._detail_failed,
                                       key=(self, "detail"))

    def _actions(self) -> tuple[QPushButton, ...]:
        return self.open_button, self.save_button, self.seen_button, self.hide_button, self.fewer_button

    def _detail_failed(self, error: Exception) -> None:
        self._loading = None
        self.picture.set_picture(None, f"This post could not be read: {error}")

    def _show_detail(self, detail: PostDetail) -> None:
        self._loading = None
        self.detail = detail
        self._write(self.browser.act, InteractionKind.OPENED, post_pk=detail.pk)
        for button in self._actions():
            button.setEnabled(True)
        name = shown(detail.full_name or "")
        short = name if len(name) <= NAME_PREVIEW else name[:NAME_PREVIEW] + "…"
        # Usernames are letters, digits, '.' and '_': only the full name needs its direction isolated.
        self.author.setText(f"@{breakable(detail.username)}" + (f" · {isolated(breakable(short))}" if name else ""))
        self.author.setToolTip(name if short != name else "")
        facts = [f"{text.compact(detail.followers)} followers" if detail.followers is not None else None,
                 "you follow them" if detail.following else "you don't follow them yet",
                 f"#{detail.pagerank_position:,} in your network by PageRank" if detail.pagerank_position else None]
        if detail.followed_by:
            names = ", ".join(f"@{n}" for n in detail.followed_by)
            more = detail.followed_by_count - len(detail.followed_by)
            facts.append(f"followed by {names}" + (f" and {more} more you follow" if more else " (you follow)"))
        self.author_facts.setText(" · ".join(f for f in facts if f))
        self.caption.setText(caption_html(detail.caption, CAPTION_PREVIEW) or "<i>No caption</i>")
        self.fewer_button.setText(f"See fewer from @{detail.username[:40]}")
        self.save_button.setChecked(detail.saved)
        self.save_button.setText("Saved" if detail.saved else "Save")
        self.seen_button.setChecked(detail.seen)
        self.open_button.setEnabled(detail.url is not None)
        video = detail.media_type == MediaType.VIDEO
        self.picture.video = video
        self.video_note.setVisible(video)
        self.video_note.setText("▶ A video: this is its cover picture. “Open on instagram.com” plays it."
                                if detail.url else "▶ A video: this is its cover picture.")
        pages = max(1, detail.carousel_count)
        self.previous.setVisible(pages > 1)
        self.next.setVisible(pages > 1)
        self.page_label.setVisible(pages > 1)
        self.show_page(0)

    def set_numbers(self, likes: int, comments: int, age_s: float) -> None:
        self.numbers.setText(f"♥ {likes:,} likes · {comments:,} comments · {text.age(age_s)} ago")

    def show_page(self, page: int) -> None:
        if self.detail is None:
            return
        pages = max(1, self.detail.carousel_count)
        self.page = max(0, min(page, pages - 1))
        self.page_label.setText(f"{self.page + 1} / {pages}")
        self.previous.setEnabled(self.page > 0)
        self.next.setEnabled(self.page < pages - 1)
        self.picture.set_picture(None, "Loading…")
        pk, page, browser, allow_network = self.detail.pk, self.page, self.browser, self.allow_network
        size = PICTURE * self.devicePixelRatioF()

        def load():
            path = browser.carousel_path(pk, page, allow_network)
            return decode(path, size, crop=False) if path else None

        # A newer picture asked for (the person moved on) supersedes this one.
        self.tasks.run(load, self._show_picture, lambda _error: self._show_picture(None), key=(self, "picture"))

    def _show_picture(self, image) -> None:
        if image is None:
            self.picture.set_picture(None, "This picture is not stored on this computer.\n"
                                     "It is fetched the next time you sync while online.")
        else:
            self.picture.set_picture(QPixmap.fromImage(image))

    def close_detail(self) -> None:
        if self._loading is not None:  # closed before the post arrived: nothing was shown, nothing is recorded
            self._loading.cancel()
            self._loading = None
        if self.detail is not None and self._opened_at:
            dwell = time.monotonic() - self._opened_at
            self._write(self.browser.act, InteractionKind.DWELL, post_pk=self.detail.pk, value=round(dwell, 1))
            self._opened_at = 0.0
        self.back.emit()

    def _write(self, action: Callable[..., None], *args: object, changed: bool = False, **kwargs: object) -> None:
        """An action written on the writer thread, in the order taken; `changed` is said once it is written,
        so that the lists rank again with it."""
        self.tasks.run(lambda: action(*args, **kwargs), self._written if changed else None, pool=WRITER)

    def _written(self, _result: object) -> None:
        self.changed.emit()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Left:
            self.show_page(self.page - 1)
        elif event.key() == Qt.Key.Key_Right:
            self.show_page(self.page + 1)
        else:
            super().keyPressEvent(event)

    # --- actions ---------------------------------------------------------------------------------------

    def _link(self, link: str) -> None:
        kind, _, value = link.partition(":")
        if kind == "more" and self.detail is not None:
            self.caption.setText(caption_html(self.detail.caption))
        elif kind in ("hashtag", "author") and value:
            self.filter_requested.emit(kind, value)

    def _open_in_browser(self) -> None:
        if self.detail is not None and self.detail.url:
            QDesktopServices.openUrl(QUrl(self.detail.url))

    def _toggle_saved(self, checked: bool) -> None:
        if self.detail is None:
            return
        action = self.browser.act if checked else self.browser.undo
        self._write(action, InteractionKind.SAVED, post_pk=self.detail.pk, changed=True)
        self.save_button.setText("Saved" if checked else "Save")

    def _toggle_seen(self, checked: bool) -> None:
        if self.detail is None:
            return
        action = self.browser.act if checked else self.browser.undo
        self._write(action, InteractionKind.SEEN, post_pk=self.detail.pk, changed=True)

    def _hide(self) -> None:
        if self.detail is not None:
            self._write(self.browser.act, InteractionKind.HIDDEN, post_pk=self.detail.pk, changed=True)
            self.close_detail()

    def _see_fewer(self) -> None:
        if self.detail is not None:
            self._write(self.browser.act, InteractionKind.SEE_FEWER, account_pk=self.detail.author_pk, changed=True)
            self.close_detail()
