"""`python -m discovery feed | stats | evaluate-ranking`: the ranked lists and what a world holds."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict
from typing import TYPE_CHECKING

from discovery import paths, text
from discovery.cli import CommandError, chosen_world
from discovery.progress import TerminalProgress

if TYPE_CHECKING:  # the store and the ranking load when a command runs, not for --help
    from discovery.ranking import RankingParams


def register(subparsers, common) -> None:
    feed = subparsers.add_parser("feed", parents=[common], help="print the ranked Feed (or Explore)")
    feed.add_argument("--explore", action="store_true", help="rank Explore instead of the Feed")
    feed.add_argument("--top", type=int, default=20, metavar="N", help="how many posts (default 20)")
    feed.add_argument("--json", action="store_true", help="print JSON objects instead of a table")
    _world_option(feed)
    feed.set_defaults(run=run_feed)

    stats = subparsers.add_parser("stats", parents=[common], help="what the current world holds")
    _world_option(stats)
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(run=run_stats)

    evaluate = subparsers.add_parser(
        "evaluate-ranking", parents=[common], help="precision@20 and NDCG@20 of every ranker, on fresh demo "
        "worlds against their hidden tastes (or, with --world, on your own likes)")
    evaluate.add_argument("--seeds", type=int, default=3, metavar="N", help="demo worlds per regime (default 3)")
    evaluate.add_argument("--regimes", default="default", metavar="LIST",
                          help="taste regimes, comma-separated, or 'all' (default: default)")
    evaluate.add_argument("--size", choices=("small", "medium", "full"), default="full",
                          help="demo world size: small (3,000 accounts; too few strangers for Explore), medium "
                          "(12,000 accounts) or full (24,000, the app's demo world; the default)")
    evaluate.add_argument("--fresh", action="store_true", help="build the demo worlds in a temporary directory "
                          "instead of keeping them for the next evaluation (in the data directory's "
                          "evaluation-worlds)")
    evaluate.add_argument("--world", metavar="NAME", help="instead: hold out the last 30 days of likes of this "
                          "world and measure how high the liked authors and posts rank")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.set_defaults(run=run_evaluate_ranking)


def _world_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--world", metavar="NAME", help="which world (default: the current one, else the demo)")


def ranking_params(args: argparse.Namespace) -> RankingParams:
    from discovery.ranking import RankingParams
    from discovery.settings import Settings

    return RankingParams.from_settings(Settings(paths.settings_path(paths.data_dir(args.data_dir))))


def run_feed(args: argparse.Namespace) -> int:
    if args.top < 1:
        raise CommandError("--top must be at least 1.")
    kind = "explore" if args.explore else "feed"
    kept = _kept_ranking(args, kind)
    if kept is not None:  # ranked before from exactly what the world holds now: no need to rank again
        return _print_feed(args, kept["title"], kept["length"], kept["message"], kept["records"])
    from discovery import snapshot
    from discovery.ranking import Ranker, learned_model_path
    from discovery.settings import Settings

    current = chosen_world(args)
    try:
        ranker = Ranker(current.store, current.now(), model_path=learned_model_path(current.directory))
        params = ranking_params(args)
        ranking = ranker.explore(params) if args.explore else ranker.feed(params)
        learned = params.effective_mode() == "learned"
        model = ranker.current_model
        stamp = snapshot.Stamp.of(ranker.data_version, ranker.model_version if learned else snapshot.FORMULA,
                                  ranker.now)
        if stamp is not None:  # the next `feed` (or the window's first paint) shows it without ranking
            settings = Settings(paths.settings_path(paths.data_dir(args.data_dir))).stored("ranking")
            snapshot.save(current.directory, stamp, settings, asdict(params), ranking, current.title,
                          model.summary() if learned and model else None,
                          list(ranker.interests.index[:snapshot.INTERESTS]))
        return _print_feed(args, current.title, len(ranking), ranking.message, ranking.records(args.top))
    finally:
        current.close()


def _kept_ranking(args: argparse.Namespace, kind: str) -> dict | None:
    """The list as kept by the last ranking, when it holds for the world as it is now (see discovery.snapshot);
    read without opening the store or loading the ranker."""
    from discovery import snapshot
    from discovery.clock import SystemClock, VirtualClock
    from discovery.settings import Settings
    from storage.peek import read_meta

    root = paths.data_dir(args.data_dir)
    name = getattr(args, "world", None)
    if not name:  # as discovery.world.current_name, without loading the store
        marker = root / "current-world"
        name = marker.read_text(encoding="utf-8").strip() if marker.exists() else ""
        if not name or not (paths.world_dir(root, name) / "tessera.db").exists():
            name = "demo"
    directory = paths.world_dir(root, name)
    meta = read_meta(directory / "tessera.db", ("data_version", "clock"))
    if not meta or "data_version" not in meta:
        return None
    clock = VirtualClock(int(meta["clock"])) if meta.get("clock") else SystemClock()  # as World.open
    settings = Settings(paths.settings_path(root)).stored("ranking")
    return snapshot.read_records(directory, kind, meta["data_version"], settings, args.top, clock.now())


def _print_feed(args: argparse.Namespace, title: str, length: int, message: str | None, records: list[dict]) -> int:
    if args.json:
        print(json.dumps(records, indent=2, ensure_ascii=False))
        return 0
    if message:
        print(message)
        return 0
    print(f"{'Explore' if args.explore else 'Feed'} of {title} · {length:,} posts ranked, top {min(args.top, length)}:")
    for record in records:
        print(f"{record['rank']:>3}. {record['score']:.3g}  @{record['author']}  "
              f"{text.compact(record['likes'])} likes, {text.compact(record['comments'])} comments")
        print(f"     {record['why']}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from discovery.ranking import Ranker

    current = chosen_world(args)
    try:
        store = current.store
        counts = store.counts()
        ranker = Ranker(store, current.now())
        states = store.sync_states()
        last_sync = int(states["updated_at"].max()) if len(states) else None
        top = [f"#{tag}" for tag in ranker.interests.index[:5]]
        summary = {
            "world": current.name, "kind": current.kind, "title": current.title, **counts,
            "following": int(ranker.followed.sum()), "schema": store.schema_version(),
            "clock": current.now(), "last_sync": last_sync, "top_hashtags": top,
        }
        if args.json:
            print(json.dumps(summary, indent=2, ensure_ascii=False))
            return 0
        print(f"{current.title} ({current.kind} world, {current.directory})")
        print(f"  {counts['accounts']:,} accounts, {counts['follows']:,} follow edges, {counts['posts']:,} posts")
        print(f"  you follow {summary['following']:,}; {counts['likes']:,} likes; "
              f"{counts['interactions']:,} actions in Tessera")
        print(f"  your hashtags: {', '.join(top) or 'none yet'}")
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(last_sync)) if last_sync else "never"
        print(f"  last synced: {when}")  # the schema version and the clock are in --json
        return 0
    finally:
        current.close()


def run_evaluate_ranking(args: argparse.Namespace) -> int:
    from discovery.demo.taste import REGIMES
    from discovery.evaluation import evaluate_regimes, format_tables

    if args.world:
        return _evaluate_holdout(args)
    if args.seeds < 1:
        raise CommandError("--seeds must be at least 1.")
    regimes = list(REGIMES) if args.regimes == "all" else [r.strip() for r in args.regimes.split(",") if r.strip()]
    unknown = [r for r in regimes if r not in REGIMES]
    if unknown or not regimes:
        raise CommandError(f"unknown regime {', '.join(unknown) or '(none)'}: choose from {', '.join(REGIMES)} "
                           "or 'all'.")
    cache = None if args.fresh else paths.data_dir(args.data_dir) / "evaluation-worlds"
    result = evaluate_regimes(list(range(1, args.seeds + 1)), regimes, args.size, ranking_params(args),
                              TerminalProgress(), cache)
    print(json.dumps(result, indent=2) if args.json else format_tables(result))
    return 0


def _evaluate_holdout(args: argparse.Namespace) -> int:
    from discovery.evaluation import evaluate_holdout, format_holdout

    current = chosen_world(args)
    try:
        result = evaluate_holdout(current, ranking_params(args))
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    finally:
        current.close()
    print(json.dumps(result, indent=2) if args.json else format_holdout(result))
    return 0
