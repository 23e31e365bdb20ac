"""Like prediction from the command line: evaluate-likes, train-likes, predict-likes, best-time."""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from discovery import text
from discovery.cli import CommandError, chosen_world
from discovery.predict import MAX_CANDIDATES
from discovery.progress import TerminalProgress

if TYPE_CHECKING:  # the model, the store and their libraries load when a command runs, not for --help
    from discovery.world import World

NO_MODEL = 3  # predict-likes' exit code while the world has no like model yet
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def register(subparsers, common) -> None:
    p = subparsers.add_parser(
        "evaluate-likes", parents=[common], help="measure like prediction honestly against a baseline",
        description="For each author the last 3 posts are the test set and only earlier posts feed any "
                    "feature; prints baseline and model side by side.")
    p.add_argument("--dataset", metavar="CSV", help="a CSV with the gvsi posts.csv columns (alias, date, "
                   "numberLikes required); default: the current world's store")
    p.add_argument("--hashtag-prior", metavar="FILE",
                   help="a whitespace-separated hashtag list, most popular first, for hashtag popularity "
                        "(default: counted on the training posts)")
    p.add_argument("--authors", type=int, metavar="N", help="evaluate on N authors drawn with --seed")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--pick-trials", type=int, default=200, metavar="N",
                   help="demo world only: choices of 1 picture among 4 to measure the model's pick "
                        "(default 200)")
    p.add_argument("--predictions", metavar="FILE",
                   help="write one CSV row per test post: author, date, age at the count, likes, baseline, "
                        "age-aware baseline, model and its 10th / 90th percentiles")
    p.add_argument("--demo-pick", action="store_true",
                   help="build fresh demo worlds (seeds 1..--seeds) in a temporary folder, train on each and "
                        "measure the model's pick of the best of 4 pictures against a random pick")
    p.add_argument("--seeds", type=int, default=3, metavar="N", help="demo worlds for --demo-pick (default 3)")
    p.add_argument("--small", action="store_true", help="--demo-pick on small demo worlds (a quick check)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run_evaluate)

    p = subparsers.add_parser("train-likes", parents=[common],
                              help="train and save the current world's like model")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print the model's summary and its exact test metrics "
                   "(mape, mdape, pairwise, coverage80 …) as JSON")
    p.set_defaults(run=run_train)

    p = subparsers.add_parser("predict-likes", parents=[common], help="predict likes for candidate pictures")
    p.add_argument("images", nargs="+", metavar="IMAGE", help=f"1 to {MAX_CANDIDATES} picture files")
    p.add_argument("--account", help="username or pk (default: me)")
    p.add_argument("--caption", default="", help="the caption, hashtags included")
    p.add_argument("--when", help="posting time, ISO 8601 (default: now)")
    p.add_argument("--horizon", type=float, help="days after posting (default: the setting, 7)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run_predict)

    p = subparsers.add_parser("best-time", parents=[common], help="when an account's posts draw most likes")
    p.add_argument("--account", help="username or pk (default: me)")
    p.add_argument("--timezone", help="a zone name such as Europe/Paris (default: this computer's)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run_best_time)


# --- helpers -----------------------------------------------------------------------------------------------


def resolve_account(world: World, account: str | None) -> str:
    if not account:
        me = world.store.me()
        if me is None:
            raise CommandError("This world has no 'me' account: choose one with --account.")
        return me
    wanted = account.lstrip("@").lower()
    frame = world.store.accounts_frame()
    hit = frame[(frame["pk"] == account) | (frame["username"].str.lower() == wanted)]
    if hit.empty:
        raise CommandError(f"There is no account '{account}' in this world.")
    return str(hit["pk"].iloc[0])


def _clean(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _dump(data) -> None:
    json.dump(_clean(data), sys.stdout, indent=2, ensure_ascii=False)
    print()


# --- evaluate-likes ----------------------------------------------------------------------------------------


def write_predictions(predictions, path: str) -> None:
    """The per-post predictions of an evaluation as CSV (dates in UTC)."""
    out = predictions.copy()
    out.insert(1, "date", [dt.datetime.fromtimestamp(int(t), dt.UTC).strftime("%Y-%m-%d %H:%M")
                           for t in out.pop("taken_at")])
    out = out.rename(columns={"low": "model_p10", "high": "model_p90", "predicted": "model"})
    columns = ["author", "date", "age_days", "likes", "baseline", "age_baseline", "model", "model_p10",
               "model_p90"]
    try:
        out[columns].to_csv(path, index=False, float_format="%.6g")
    except OSError as exc:
        raise CommandError(f"The predictions cannot be written to {path} ({exc.strerror or exc}).") from None


def run_demo_pick(args, progress) -> dict:
    """--demo-pick: fresh demo worlds in a temporary folder, each trained and measured; the pooled pick."""
    import tempfile
    import time

    import numpy as np

    from discovery.demo import DemoConfig, ensure_demo_world
    from discovery.predict.evaluate import pick_summary
    from discovery.predict.predictor import demo_pick_trials, train_world

    if args.seeds < 1:
        raise CommandError("--seeds must be at least 1.")
    found, worlds_seen = [], []
    for seed in range(1, args.seeds + 1):
        with tempfile.TemporaryDirectory(prefix="tessera-pick-") as directory:
            config = DemoConfig.small(seed) if args.small else DemoConfig(seed=seed)
            world = ensure_demo_world(Path(directory), progress, config=config)
            try:
                started, cpu = time.perf_counter(), time.process_time()
                model = train_world(world, progress, seed=args.seed)
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
                trials = demo_pick_trials(world, model, args.pick_trials, args.seed, progress)
            finally:
                world.close()
        found.append(trials)
        worlds_seen.append({"seed": seed, "train_seconds": round(seconds, 2), "train_cpu_seconds": round(cpu, 2),
                            "posts": model.n_posts,
                            "pictured_posts": int(model.evaluation.get("pictured", 0)) if model.evaluation
                            else 0})
    picked, best, hits = (np.concatenate([f[k] for f in found]) for k in ("picked", "best", "hits"))
    report = pick_summary(picked, best, hits, args.seeds, 4, seed=args.seed)
    report["worlds"] = worlds_seen
    return report


def run_evaluate(args) -> int:
    from discovery.predict.evaluate import evaluate_table, format_table, sample_authors
    from discovery.predict.features import HashtagPopularity
    from discovery.predict.model import ModelError
    from discovery.predict.predictor import demo_pick_gain, world_table
    from discovery.predict.table import DatasetError, like_series, read_csv
    from discovery.world import WorldKind

    progress = TerminalProgress()
    if args.demo_pick:
        report = run_demo_pick(args, progress)
        if args.json:
            _dump(report)
        else:
            print(format_table(report))
        return 0
    popularity = None
    if args.hashtag_prior:
        try:
            popularity = HashtagPopularity.from_ranked_file(args.hashtag_prior)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"The hashtag list {args.hashtag_prior} cannot be read ({exc}).") from None
    world = None
    vectors = None
    series = None
    try:
        if args.dataset:
            try:
                table, note = read_csv(args.dataset)
            except DatasetError as exc:
                raise CommandError(str(exc)) from None
            source = {"dataset": str(Path(args.dataset)), **note}
        else:
            world = chosen_world(args, build_demo=False)
            table, vectors = world_table(world, progress)
            series = like_series(world.store, table)
            source = {"world": world.name, "kind": world.kind}
        if args.authors:
            table, vectors = sample_authors(table, vectors, args.authors, args.seed)
        try:
            report, model, predictions = evaluate_table(
                table, popularity, vectors, seed=args.seed, progress=progress, series=series,
                read_up_to_days_earlier=source.get("read_up_to_days_earlier", 0.0))
        except ModelError as exc:
            raise CommandError(str(exc)) from None
        report["source"] = source
        if world is not None and world.kind is WorldKind.DEMO:
            report.update(demo_pick_gain(world, model, args.pick_trials, args.seed, progress))
    finally:
        if world is not None:
            world.close()
    if args.predictions:
        write_predictions(predictions, args.predictions)
    if args.json:
        _dump(report)
    else:
        print(format_table(report))
    return 0


# --- train-likes -------------------------------------------------------------------------------------------


def run_train(args) -> int:
    from discovery.predict.evaluate import in_words
    from discovery.predict.model import ModelError
    from discovery.predict.predictor import model_file, train_world

    world = chosen_world(args, build_demo=False)
    try:
        model = train_world(world, TerminalProgress(), seed=args.seed)
    except ModelError as exc:
        raise CommandError(str(exc)) from None
    finally:
        world.close()
    summary = model.summary()
    if args.json:
        _dump(summary)
    else:
        print(f"Trained on {summary['posts']:,} posts of {summary['authors']:,} accounts, "
              f"{len(summary['features'])} features; saved to {model_file(world)}")
        print()
        if model.evaluation:
            print("\n".join(in_words(model.evaluation)))
            print("The exact metrics: train-likes --json.")
        else:
            print("Too few posts to test it on posts it had not seen.")
    return 0


# --- predict-likes -----------------------------------------------------------------------------------------


def _parse_when(value: str | None) -> int | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--when {value!r} is not a date and time like 2026-11-23T19:30.") from None
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return int(moment.timestamp())


def run_predict(args) -> int:
    from discovery.predict.hashtags import HashtagIndex
    from discovery.predict.predictor import PredictError, Predictor

    when = _parse_when(args.when)
    world = chosen_world(args, build_demo=False)
    try:
        account = resolve_account(world, args.account)
        predictor = Predictor.for_world(world)
        try:
            report = predictor.predict(account, args.images, args.caption, when or world.now(), args.horizon)
        except PredictError as exc:
            raise CommandError(str(exc)) from None
        index = HashtagIndex.build(world.store, world.images, predictor.pixel_cache)
        pictures = [c.pixels for c in report.candidates if c.pixels is not None]
        suggestions = index.suggest(args.caption, pictures)
    finally:
        world.close()
    usable = any(not c.error for c in report.candidates)
    if not usable:
        print("tessera: none of the pictures could be used (each one's reason is above).", file=sys.stderr)
    code = (0 if report.has_model else NO_MODEL) if usable else 1
    usual = None if report.usual is None else dict(zip(("likes", "low", "high"), report.usual, strict=True))
    if args.json:
        _dump(_report_json(report, usual, suggestions))
    elif not report.has_model:
        _print_without_model(report, usual, predictor.model_note)
    else:
        _print_report(report, suggestions)
    return code


def _report_json(report, usual: dict | None, suggestions) -> dict:
    return {"account": report.account, "when": report.when, "horizon_days": report.horizon_days,
            "model": None if not report.has_model else {"trained_at": report.model_trained_at,
                                                        "settled_share": report.settled_share},
            "usual": usual,
            "baseline_likes": report.baseline_likes, "history_posts": report.history_posts,
            "warnings": list(report.warnings), "attribution": report.attribution,
            "candidates": [{"name": c.name, "rank": c.rank, "likes": c.likes, "low": c.low, "high": c.high,
                            "error": c.error, "pixels": c.pixels.as_dict() if c.pixels else None,
                            "contributions": [{"feature": x.feature, "label": x.label, "value": x.value,
                                               "usual": x.reference, "percent": x.percent}
                                              for x in c.contributions]} for c in report.ranked()],
            "hashtags": [{"tag": s.tag, "posts": s.posts, "typical_likes": s.typical_likes,
                          "source": s.source} for s in suggestions]}


def _print_without_model(report, usual: dict | None, model_note: str | None) -> None:
    if model_note:
        print(model_note)
    print("No like model yet for this world: train it with `python -m discovery train-likes` (or open the "
          "Predict tab). Until then no picture gets a prediction of its own.")
    if usual:
        print(f"This account's posts usually get about {text.compact(usual['likes'])} likes (80% between "
              f"{text.compact(usual['low'])} and {text.compact(usual['high'])}, from "
              f"{report.history_posts} earlier posts).")
    else:
        print("This account has no earlier posts with like counts.")
    for c in report.candidates:
        print(f"  –  {c.name}: {c.error or 'no prediction yet'}")


def _print_report(report, suggestions) -> None:
    settled = "likes once settled" if report.settled_share >= 0.95 else \
        f"{report.settled_share:.0%} of the settled likes"
    print(f"usual likes {text.compact(report.baseline_likes)} from {report.history_posts} earlier posts; "
          f"predicted: {settled}, {report.horizon_days:g} days after posting:")
    for warning in report.warnings:
        print(f"  ! {warning}")
    for c in report.ranked():
        if c.error:
            print(f"  –  {c.name}: {c.error}")
            continue
        why = ", ".join(f"{x.label} {x.percent:+.0f}%" for x in c.contributions[:3])
        print(f"  {c.rank}. {c.name}: {text.compact(c.likes)} likes (80%: {text.compact(c.low)}–"
              f"{text.compact(c.high)})" + (f"  [{why}]" if why else ""))
    if suggestions:
        print("Hashtags to try, with how many posts in this world carry each and their usual likes:")
        width = max(len(s.tag) for s in suggestions) + 1
        counts = [text.plural(s.posts, "post") for s in suggestions]
        for s, count in zip(suggestions, counts, strict=True):
            likes = "no like counts" if s.typical_likes != s.typical_likes else \
                f"usually {text.compact(s.typical_likes)} likes"
            print(f"  #{s.tag:<{width}} on {count:>{max(map(len, counts))}}, {likes}")

# --- best-time ---------------------------------------------------------------------------------------------


def run_best_time(args) -> int:
    from discovery.predict.hashtags import best_time_heatmap

    if args.timezone:
        try:
            ZoneInfo(args.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise CommandError(f"{args.timezone!r} is not a time zone name (try Europe/Paris).") from None
    world = chosen_world(args, build_demo=False)
    try:
        account = resolve_account(world, args.account)
        times = best_time_heatmap(world.store, account, args.timezone)
    finally:
        world.close()
    if args.json:
        _dump({"timezone": times.timezone, "lift": times.lift.round(4).tolist(),
               "own_posts": times.own_posts.tolist(), "all_posts": times.all_posts,
               "best": [{"weekday": w, "hour": h, "lift": v} for w, h, v in times.best]})
        return 0
    for line in best_time_lines(times):
        print(line)
    return 0


HOUR_BLOCK = 3  # hours per column of best-time's table


def best_time_lines(times) -> list[str]:
    """The weekday x hour grid as a table a person can read: weekdays down, the day in blocks of three hours
    across, each cell the likes against the account's usual; then the best hours in words."""
    own = int(times.own_posts.sum())
    lines = [f"How many more (+) or fewer (-) likes than the account's usual post draws, by weekday and time "
             f"of day ({times.timezone}):", ""]
    blocks = range(0, 24, HOUR_BLOCK)
    lines.append("     " + "".join(f"  {h:02d}-{h + HOUR_BLOCK:02d}" for h in blocks))
    for w in range(7):
        cells = (f"{(times.lift[w, h:h + HOUR_BLOCK].mean() - 1) * 100:+.0f}%" for h in blocks)
        lines.append(f"{WEEKDAYS[w]:<5}" + "".join(f"{c:>7}" for c in cells))
    lines.append("")
    lines.append("Best hours to post:")
    lines += [f"  {DAYS[w]:<9} {h:02d}:00  {_against_usual(v)}" for w, h, v in times.best]
    source = (f"{text.plural(own, 'post')} of this account" if own else "no posts of this account")
    lines.append(f"From {source} and {text.plural(times.all_posts, 'post')} in all, counted once settled; "
                 "the hour-by-hour figures: best-time --json.")
    return lines


def _against_usual(lift: float) -> str:
    percent = round((lift - 1) * 100)
    if percent == 0:
        return "as many likes as usual"
    return f"{abs(percent)}% {'more' if percent > 0 else 'fewer'} likes than usual"
