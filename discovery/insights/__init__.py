"""Insights: the person's network and what earns engagement in it, as pictures (Qt-free).

`compute_insights(world)` gathers everything the Insights tab and `python -m discovery insights` show: the
ego network (laid out once per data change, cached in the world's directory) and the engagement charts,
each a frame of numbers with a computed reading. `draw_chart` / `draw_network` turn them into matplotlib
figures in the colours given.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from discovery.lazy import exports

if TYPE_CHECKING:
    from discovery.insights.engagement import Chart
    from discovery.insights.network import EgoNetwork
    from discovery.world import World

_MODULES = {
    "discovery.insights.drawing": ["ChartStyle", "draw_chart", "draw_network", "save_png"],
    "discovery.insights.engagement": ["EMPTY_MESSAGE", "Chart", "engagement_charts"],
    "discovery.insights.network": ["Community", "EgoNetwork", "build_ego_network"],
}
__getattr__ = exports(__name__, {name: module for module, names in _MODULES.items() for name in names})

NETWORK_EMPTY = ("Nobody is followed in this world yet: connect your Instagram account or import your data export, "
                 "and the map of your network appears here.")


@dataclass
class Insights:
    network: EgoNetwork | None
    charts: list[Chart]
    network_message: str | None = None  # why there is no network picture
    charts_message: str | None = None  # why there are no charts
    seconds: dict[str, float] = field(default_factory=dict)  # "network", "charts"

    @property
    def empty(self) -> bool:
        return self.network is None and not self.charts


def compute_insights(world: World, max_nodes: int = 300, tz: str | dt.tzinfo | None = None) -> Insights:
    """Everything the Insights tab shows, for one world (this reads the store; it can take a few seconds)."""
    from discovery.insights.engagement import EMPTY_MESSAGE, engagement_charts
    from discovery.insights.network import build_ego_network

    started = time.perf_counter()
    network = build_ego_network(world.store, world.now(), max_nodes, cache_dir=world.directory / "insights")
    middle = time.perf_counter()
    charts = engagement_charts(world.store, tz)
    finished = time.perf_counter()
    return Insights(network, charts, None if network else NETWORK_EMPTY, None if charts else EMPTY_MESSAGE,
                    {"network": middle - started, "charts": finished - middle})


__all__ = [
    "Chart", "ChartStyle", "Community", "EgoNetwork", "Insights", "build_ego_network", "compute_insights",
    "draw_chart", "draw_network", "engagement_charts", "save_png",
]
