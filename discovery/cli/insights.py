"""`python -m discovery insights --out DIR`: every chart as PNG, the numbers behind it as CSV, and the network."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from discovery import paths
from discovery.cli import CommandError, chosen_world
from discovery.settings import Settings


def register(subparsers, common) -> None:
    p = subparsers.add_parser(
        "insights", parents=[common], help="write the network picture and the engagement charts as PNG and CSV",
        description="Writes network.png (with network_nodes.csv, network_edges.csv, network_groups.csv) and, per "
                    "chart, NAME.png and NAME.csv (plus NAME_*.csv for further tables), and readings.txt with "
                    "the one-line reading of each chart.")
    p.add_argument("--out", required=True, metavar="DIR", help="where to write (created if missing)")
    p.add_argument("--world", metavar="NAME", help="which world (default: the current one, else the demo)")
    p.add_argument("--max-nodes", type=int, metavar="N",
                   help="accounts in the network picture (default: the setting insights.max_nodes, 300)")
    p.add_argument("--dark", action="store_true", help="draw on a dark background")
    p.add_argument("--tz", metavar="ZONE", help="time zone for hours and weekdays, e.g. Europe/Paris "
                   "(default: this computer's)")
    p.set_defaults(run=run_insights)


def run_insights(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfoNotFoundError

    from discovery.insights import ChartStyle, compute_insights, draw_chart, draw_network, save_png

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CommandError(f"{out} is a file; --out needs a directory.")
    settings = Settings(paths.settings_path(paths.data_dir(args.data_dir)))
    max_nodes = args.max_nodes if args.max_nodes is not None else settings.insights.max_nodes
    if not 2 <= max_nodes <= 20_000:
        raise CommandError("--max-nodes must be from 2 to 20000.")
    current = chosen_world(args)
    try:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"cannot create {out}: {exc.strerror}.") from None
        started = time.perf_counter()
        try:
            insights = compute_insights(current, max_nodes=max_nodes, tz=args.tz)
        except ZoneInfoNotFoundError:
            raise CommandError(f"unknown time zone {args.tz!r}; use a name such as Europe/Paris.") from None
        style = ChartStyle.dark() if args.dark else ChartStyle.light()
        readings = []
        if insights.network is not None:
            network = insights.network
            save_png(draw_network(network, style), out / "network.png")
            network.nodes.to_csv(out / "network_nodes.csv", index=False)
            edges = network.nodes["username"].to_numpy()[network.edges]
            import pandas as pd

            pd.DataFrame({"source": edges[:, 0], "target": edges[:, 1], "weight": network.edge_weights}).to_csv(
                out / "network_edges.csv", index=False)
            pd.DataFrame([{"group": c.index + 1, "accounts": c.size, "top_accounts": " ".join(c.top_accounts),
                           "top_hashtags": " ".join(f"#{t}" for t in c.top_hashtags)} for c in network.communities]
                         ).to_csv(out / "network_groups.csv", index=False)
            cached = "cached layout" if network.from_cache else f"laid out in {network.layout_seconds:.1f} s"
            print(f"network: {len(network):,} accounts, {len(network.communities)} groups ({cached})")
        else:
            print(insights.network_message)
        for chart in insights.charts:
            save_png(draw_chart(chart, style, with_reading=True), out / f"{chart.key}.png")
            chart.frame.to_csv(out / f"{chart.key}.csv", index=False)
            for name, table in chart.tables.items():
                table.to_csv(out / f"{chart.key}_{name}.csv", index=False)
            readings.append(f"{chart.key}: {chart.reading}")
            print(f"{chart.key}: {chart.reading}")
        if not insights.charts:
            print(insights.charts_message)
        (out / "readings.txt").write_text("\n".join(readings) + ("\n" if readings else ""), encoding="utf-8")
        print(f"wrote {len(insights.charts) + (insights.network is not None)} pictures to {out} "
              f"in {time.perf_counter() - started:.1f} s")
        return 0
    finally:
        current.close()
