"""Matplotlib figures of the insights, in colours given by the caller (light, dark, or the app's palette).

Only the object-oriented API is used (no pyplot): figures can be built on any thread, saved with the Agg
renderer, or shown in the app's Qt canvas. Names and hashtags come from Instagram: every data string passes
through `_plain` so that matplotlib never reads it as mathtext.
"""

from __future__ import annotations

import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from discovery import text
from discovery.insights.engagement import MIN_GROUP, Chart
from discovery.insights.network import EgoNetwork

# A glyph missing from the bundled font (an emoji in a name) is drawn as a box; that is no reason to warn.
warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)

LIGHT_PALETTE = ("#3d6fd8", "#e07b39", "#4c9f70", "#c2477f", "#8a63d2", "#c9a227", "#2aa3b5", "#d1603d",
                 "#6b8e23", "#b05fd0")
DARK_PALETTE = ("#6f9bf5", "#f0a060", "#6cc592", "#e47aa8", "#a98cf0", "#e3c04f", "#55c6d6", "#ef8a66",
                "#9cbf4f", "#cf8cf0")


@dataclass(frozen=True)
class ChartStyle:
    background: str
    foreground: str
    muted: str
    grid: str
    accent: str
    good: str
    bad: str
    edge: str
    palette: tuple[str, ...]
    colormap: str

    @classmethod
    def light(cls) -> ChartStyle:
        return cls("#ffffff", "#1d1f24", "#6b7280", "#e4e7ed", "#3d6fd8", "#3f8f62", "#d1603d", "#8a93a3",
                   LIGHT_PALETTE, "Blues")

    @classmethod
    def dark(cls) -> ChartStyle:
        return cls("#1f2229", "#e6e8ec", "#9aa1ad", "#2d313a", "#6f9bf5", "#6cc592", "#ef8a66", "#7d8596",
                   DARK_PALETTE, "viridis")

    def community_colour(self, index: int) -> str:
        return self.palette[index] if 0 <= index < len(self.palette) else self.muted


def _plain(value: object) -> str:
    return str(value).replace("$", r"\$")


def _figure(style: ChartStyle, width: float = 6.4, height: float = 3.8) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(width, height), dpi=100, facecolor=style.background, layout="constrained")
    axes = figure.add_subplot()
    axes.set_facecolor(style.background)
    for spine in axes.spines.values():
        spine.set_color(style.grid)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(colors=style.muted, which="both", labelcolor=style.foreground, labelsize=8.5)
    axes.xaxis.label.set_color(style.foreground)
    axes.yaxis.label.set_color(style.foreground)
    axes.title.set_color(style.foreground)
    axes.grid(True, color=style.grid, linewidth=0.6)
    axes.set_axisbelow(True)
    return figure, axes


_COMPACT = FuncFormatter(lambda value, _pos: text.compact(value))
_TIMES = FuncFormatter(lambda value, _pos: f"{value:.2f}".rstrip("0").rstrip(".") + "×")


def draw_chart(chart: Chart, style: ChartStyle, with_reading: bool = False) -> Figure:
    """The chart's figure; `with_reading` writes its reading under it (for files saved on their own)."""
    figure, axes = _figure(style)
    DRAWERS[chart.key](axes, chart, style)
    # The title starts at the picture's left edge, not the plot's: long tick labels cannot push it out.
    figure.suptitle(_plain(chart.title), x=0.01, ha="left", fontsize=11, fontweight="bold", color=style.foreground)
    if with_reading:
        lines = _wrap_measured(figure, _plain(chart.reading), 9, 0.97)
        extra = 0.15 + 9 * 1.25 / 72 * len(lines)  # inches: a margin and the lines
        height = figure.get_figheight()
        figure.set_figheight(height + extra)
        engine = figure.get_layout_engine()  # the constrained layout the figure was made with
        assert engine is not None
        engine.set(rect=(0, extra / (height + extra), 1, height / (height + extra)))  # type: ignore[call-arg]
        figure.text(0.01, 0.02, "\n".join(lines), fontsize=9, color=style.foreground, va="bottom")
    return figure


def _wrap_measured(figure: Figure, value: str, fontsize: float, share: float) -> list[str]:
    """The text broken into lines that each fit `share` of the figure's width, measured in its own font."""
    from matplotlib.backends.backend_agg import RendererAgg  # what save_png draws with: its widths

    renderer = RendererAgg(int(figure.bbox.width), int(figure.bbox.height), figure.dpi)
    probe = figure.text(0, 0, "", fontsize=fontsize)
    room = share * figure.bbox.width
    lines: list[str] = []
    line = ""
    for word in value.split():
        candidate = f"{line} {word}".strip()
        probe.set_text(candidate)
        if line and probe.get_window_extent(renderer).width > room:
            lines.append(line)
            line = word
        else:
            line = candidate
    probe.remove()
    return [*lines, line] if line else lines


def save_png(figure: Figure, path: str | Path, dpi: int = 120) -> None:
    figure.savefig(path, dpi=dpi, facecolor=figure.get_facecolor(), format="png")


# --- one drawer per chart -------------------------------------------------------------------------------------


def _log_histogram(axes: Axes, values: np.ndarray, style: ChartStyle, what: str) -> None:
    positive = values[values > 0]
    if len(positive):
        bins = np.logspace(np.log10(positive.min()), np.log10(positive.max() * 1.0001), 40)
        axes.hist(positive, bins=bins.tolist(), color=style.accent, alpha=0.85)
        axes.set_xscale("log")
        axes.xaxis.set_major_formatter(_COMPACT)
    zeros = int((values <= 0).sum())
    if zeros:
        axes.annotate(f"and {zeros:,} with none", (0.99, 0.95), xycoords="axes fraction", ha="right",
                      color=style.muted, fontsize=8.5)
    median = float(np.median(values))
    if median > 0:
        axes.axvline(median, color=style.foreground, linewidth=1, linestyle="--")
        axes.annotate(f"median {text.compact(median)}", (median, 0.9), xycoords=("data", "axes fraction"),
                      xytext=(4, 0), textcoords="offset points", color=style.foreground, fontsize=8.5,
                      bbox={"boxstyle": "round,pad=0.2", "facecolor": style.background, "edgecolor": "none",
                            "alpha": 0.85})  # readable where it crosses the bars
    axes.set_xlabel(f"{what} (log scale)")


def _followers(axes: Axes, chart: Chart, style: ChartStyle) -> None:
    _log_histogram(axes, chart.frame["followers"].to_numpy(np.float64), style, "followers")
    axes.set_ylabel("accounts")


def _likes(axes: Axes, chart: Chart, style: ChartStyle) -> None:
    _log_histogram(axes, chart.frame["likes"].to_numpy(np.float64), style, "likes")
    axes.set_ylabel("posts")


def _likes_comments(axes: Axes, chart: Chart, style: ChartStyle) -> None:
    likes = chart.frame["likes"].to_numpy(np.float64) + 1
    comments = chart.frame["comments"].to_numpy(np.float64) + 1
    if len(likes) >= 300:
        cells = axes.hexbin(likes, comments, xscale="log", yscale="log", gridsize=45, bins="log", mincnt=1,
                            cmap=style.colormap, linewidths=0)
        bar = axes.figure.colorbar(cells, ax=axes, pad=0.01)
        bar.set_label("posts", color=style.foreground)
        bar.ax.tick_params(colors=style.muted, labelcolor=style.foreground, labelsize=8)
        bar.outline.set_edgecolor(style.grid)
    else:
        axes.scatter(likes, comments, s=14, color=style.accent, alpha=0.6, linewidths=0)
        axes.set_xscale("log")
        axes.set_yscale("log")
    axes.xaxis.set_major_formatter(_COMPACT)
    axes.yaxis.set_major_formatter(_COMPACT)
    axes.set_xlabel("likes + 1 (log scale)")
    axes.set_ylabel("comments + 1 (log scale)")


def _rate_followers(axes: Axes, chart: Chart, style: ChartStyle) -> None:
    frame = chart.frame[(chart.frame["followers"] > 0) & (chart.frame["engagement_rate"] > 0)]
    axes.scatter(frame["followers"], frame["engagement_rate"] * 100, s=5, color=style.accent,
                 alpha=0.25 if len(frame) > 500 else 0.6, linewidths=0, rasterized=True)
    bands = chart.tables.get("bands")
    if bands is not None and len(frame):
        medians = frame.groupby("band").agg(followers=("followers", "median"), rate=("engagement_rate", "median"))
        medians = medians.loc[[b for b in bands["band"] if b in medians.index]].sort_values("followers")
        axes.plot(medians["followers"], medians["rate"] * 100, color=style.bad, marker="o", linewidth=1.8,
                  markersize=4, label="median per tenfold band")
        legend = axes.legend(loc="upper right", fontsize=8, frameon=False)
        for label in legend.get_texts():
            label.set_color(style.foreground)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.xaxis.set_major_formatter(_COMPACT)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}%"))
    axes.set_xlabel("followers (log scale)")
    axes.set_ylabel("(likes + comments) / followers")


def _lift_bars(axes: Axes, chart: Chart, style: ChartStyle) -> None:
    frame = chart.frame
    lift = frame["typical_lift"].fillna(1.0).to_numpy(np.float64)
    solid = frame["posts_with_lift"].to_numpy() >= MIN_GROUP
    colours = [style.good if value >= 1 else style.bad for value in lift]
    colours = [c if ok else style.grid for c, ok in zip(colours, solid, strict=True)]
    positions = np.arange(len(frame))
    axes.bar(positions, lift - 1, bottom=1, color=colours, width=0.7)
    axes.axhline(1, color=style.foreground, linewidth=0.9)
    axes.set_xticks(positions, [_plain(textwrap.fill(label, 12)) for label in frame["label"]],
                    rotation=0 if len(frame) <= 7 else 90, fontsize=8.5 if len(frame) <= 7 else 7.5)
    axes.yaxis.set_major_formatter(_TIMES)
    axes.set_ylabel("× the author's usual")
    axes.grid(False, axis="x")
    if len(frame) <= 7:
        for x, (value, posts) in enumerate(zip(lift, frame["posts"], strict=True)):
            axes.annotate(f"{text.compact(posts)} posts", (x, max(value, 1)), xytext=(0, 3),
                          textcoords="offset points", ha="center", fontsize=7.5, color=style.muted)
    low, high = min(lift.min(), 1.0), max(lift.max(), 1.0)
    pad = max(0.05, (high - low) * 0.15)
    axes.set_ylim(low - pad, high + pad)


def _hashtag_groups(axes: Axes, chart: Chart, style: ChartStyle) -> None:
    frame = chart.frame.head(12).iloc[::-1]
    lift = frame["typical_lift"].fillna(1.0).to_numpy(np.float64)
    positions = np.arange(len(frame))
    colours = [style.community_colour(int(g)) for g in frame["group"]]
    axes.barh(positions, lift - 1, left=1, color=colours, height=0.7)
    axes.axvline(1, color=style.foreground, linewidth=0.9)
    axes.set_yticks(positions, [_plain(textwrap.fill(label, 40)) for label in frame["label"]], fontsize=8)
    axes.xaxis.set_major_formatter(_TIMES)
    axes.set_xlabel("× the author's usual")
    axes.grid(False, axis="y")
    for y, (value, posts) in enumerate(zip(lift, frame["posts"], strict=True)):
        axes.annotate(f"{text.compact(posts)}", (max(value, 1), y), xytext=(3, 0), textcoords="offset points",
                      va="center", fontsize=7.5, color=style.muted)
    low, high = min(lift.min(), 1.0), max(lift.max(), 1.0)
    pad = max(0.05, (high - low) * 0.2)
    axes.set_xlim(low - pad, high + pad)


def _top_posts(axes: Axes, chart: Chart, style: ChartStyle) -> None:
    frame = chart.frame[(chart.frame["top"] > 0) & (chart.frame["rest"] > 0)].iloc[::-1]
    ratio = frame["ratio"].to_numpy(np.float64)
    positions = np.arange(len(frame))
    axes.barh(positions, ratio - 1, left=1, height=0.7,
              color=[style.good if r >= 1 else style.bad for r in ratio])
    axes.axvline(1, color=style.foreground, linewidth=0.9)
    axes.set_yticks(positions, list(frame["label"]), fontsize=8)
    axes.xaxis.set_major_formatter(_TIMES)
    axes.set_xlabel("top 10% against the rest (share of posts, or mean)")
    axes.grid(False, axis="y")
    if len(ratio):
        low, high = min(ratio.min(), 1.0), max(ratio.max(), 1.0)
        pad = max(0.05, (high - low) * 0.1)
        axes.set_xlim(low - pad, high + pad)


DRAWERS = {
    "followers_distribution": _followers, "likes_distribution": _likes, "likes_vs_comments": _likes_comments,
    "engagement_rate_vs_followers": _rate_followers, "engagement_by_media_type": _lift_bars,
    "engagement_by_hashtag_count": _lift_bars, "engagement_by_hour": _lift_bars,
    "engagement_by_weekday": _lift_bars, "hashtag_communities": _hashtag_groups, "top_posts": _top_posts,
}


# --- the network picture ------------------------------------------------------------------------------------


def draw_network(network: EgoNetwork, style: ChartStyle, labels: int = 15) -> Figure:
    """The ego network: edges faded, node size by PageRank, colour by community, the closest accounts named."""
    figure = Figure(figsize=(10, 8), dpi=100, facecolor=style.background, layout="constrained")
    axes = figure.add_subplot()
    axes.set_facecolor(style.background)
    axes.set_axis_off()
    axes.set_aspect("equal")
    nodes = network.nodes
    xy = nodes[["x", "y"]].to_numpy()
    if len(network.backbone):
        drawn = network.edges[network.backbone]
        segments = np.stack([xy[drawn[:, 0]], xy[drawn[:, 1]]], axis=1)
        alpha = float(np.clip(30.0 / np.sqrt(len(segments)), 0.08, 0.5))
        axes.add_collection(LineCollection(list(segments), colors=style.edge, linewidths=0.5, alpha=alpha, zorder=1))
    colours = [style.community_colour(int(c)) for c in nodes["community"]]
    sizes = (2.0 + 9.0 * nodes["size"].to_numpy()) ** 2
    others = ~nodes["is_me"].to_numpy()
    followed = nodes["followed"].to_numpy()
    axes.scatter(xy[others, 0], xy[others, 1], s=sizes[others], c=np.array(colours, dtype=object)[others],
                 linewidths=np.where(followed[others], 0.9, 0.0).tolist(), edgecolors=style.foreground, zorder=2)
    me = np.flatnonzero(~others)
    if len(me):
        axes.scatter(xy[me, 0], xy[me, 1], s=260, marker="*", c=style.foreground, zorder=3)
    for index in labelled_nodes(network, labels):
        row = nodes.iloc[index]
        name = "you" if row.is_me else f"@{row.username}"
        axes.annotate(_plain(name), (row.x, row.y), xytext=(5, 4), textcoords="offset points", fontsize=8,
                      color=style.foreground, zorder=4)
    handles = [Line2D([], [], marker="o", linestyle="", color=style.community_colour(c.index),
                      label=_plain(f"{c.label} · {c.size}")) for c in network.communities[: len(style.palette)]]
    if handles:
        legend = figure.legend(handles=handles, loc="outside right upper", fontsize=8, frameon=False,
                               title="groups (accounts)")
        legend.get_title().set_color(style.foreground)
        for label in legend.get_texts():
            label.set_color(style.foreground)
    axes.set_title(f"Your network: {len(nodes):,} accounts, {len(network.edges):,} follows among them "
                   "(ringed: you follow them)", loc="left", fontsize=11, color=style.foreground)
    return figure


def labelled_nodes(network: EgoNetwork, count: int, width: float = 0.3, height: float = 0.06) -> list[int]:
    """The closest `count` accounts (and the person) whose name would not overlap an already labelled one
    (a name takes about `width` × `height` of the picture, the picture being 2 × 2 around the accounts)."""
    xy = network.nodes[["x", "y"]].to_numpy()
    if len(xy):
        xy = 2 * xy / max(float(np.ptp(xy, axis=0).max()), 1e-9)
    chosen: list[int] = []
    for index in np.argsort(network.nodes["position"].to_numpy(), kind="stable"):
        if len(chosen) > count:
            break
        if all(abs(xy[index, 0] - xy[other, 0]) >= width or abs(xy[index, 1] - xy[other, 1]) >= height
               for other in chosen):
            chosen.append(int(index))
    return chosen
