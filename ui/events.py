"""What happens to the open world, announced once for every page that cares (as Vorta's app-level signals do).

A page subscribes to the news it reacts to; whoever causes a change emits it and needs to know nobody else.
The window owns one `WorldEvents` per world and passes it to its pages. The app's one `Settings` is shared by
every window; `follow(settings)` relays its changes to this hub for as long as the hub lives.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from discovery.settings import Settings


class WorldEvents(QObject):
    # An action in a detail view (hide, save, see fewer…) changed what the lists should show. The argument is
    # the page it happened on, which has re-ranked itself already.
    interactions_changed = Signal(object)
    # The world was read again after new posts arrived (`finished`: the sync is over, or the person pressed r;
    # the costly pages, Insights and Predict, redraw only then).
    posts_arrived = Signal(bool)
    # The learned ranking model is ready (trained on a thread of its own; announced on the GUI thread).
    model_retrained = Signal(object)
    # Another world is to be opened instead of this one (after an import, a login, or the Open world menu).
    world_switched = Signal(str)
    # A setting's value changed (its key), wherever it was changed: the settings dialog, a page, another window.
    settings_changed = Signal(str)

    def follow(self, settings: Settings) -> None:
        """Announce every change of `settings` as `settings_changed`, until this hub is deleted."""
        relay = self.settings_changed.emit
        settings.changed.append(relay)

        def forget() -> None:
            if relay in settings.changed:
                settings.changed.remove(relay)

        self.destroyed.connect(forget)
