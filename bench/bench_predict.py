"""Like prediction: the Predict tab's calls on the small demo world, picture measurement against Pillow's
own full decode (the peer), and the honest evaluation on the gvsi dataset and the demo world.

    python -m bench.bench_predict [--json] [--skip-gvsi] [--skip-full] [--trials N] [--max-pictures N]

The small demo world is built in a temporary directory and its model trained there first (drawing and
measuring --max-pictures pictures of training posts); then the full demo world is built and its training
timed, wall and CPU seconds (the target is under 20 s).
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from bench.common import arguments, report, timed
from discovery.demo import DemoConfig, candidate_images, ensure_demo_world
from discovery.predict import pixels
from discovery.predict.evaluate import evaluate_table, format_table
from discovery.predict.hashtags import HashtagIndex, best_time_heatmap
from discovery.predict.predictor import MAX_PICTURES, Predictor, demo_pick_gain, train_world, world_table
from discovery.predict.table import read_csv

GVSI = Path(__file__).resolve().parents[2] / "shared" / "data" / "gvsi-like-predictor" / "posts.csv"
CANDIDATES = 8


def phone_photo(seed: int, size=(4032, 3024)) -> bytes:
    """A 12-megapixel JPEG with real detail (smoothed noise over a gradient), as a phone would send."""
    rng = np.random.default_rng(seed)
    small = Image.fromarray(rng.integers(0, 256, (size[1] // 8, size[0] // 8, 3), dtype=np.uint8))
    image = small.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def median_time(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(task: str, n: int, seconds: float, note: str = "") -> dict:
    return {"task": task, "n": n, "seconds": round(seconds, 3),
            "ms each": round(1000 * seconds / max(n, 1), 1), "note": note}


def picture_rows(photos: list[bytes], demo: list[bytes]) -> list[dict]:
    def full_decode(images):
        for data in images:
            with Image.open(io.BytesIO(data)) as image:
                image.convert("RGB").load()

    return [
        row("peer: Pillow full decode, 12 MP JPEGs", len(photos),
            median_time(lambda: full_decode(photos), 3)),
        row("measure pictures, 12 MP JPEGs", len(photos), median_time(lambda: pixels.measure_many(photos), 3),
            "reduced-scale JPEG decode"),
        row("peer: Pillow full decode, demo 640 px", len(demo), median_time(lambda: full_decode(demo))),
        row("measure pictures, demo 640 px", len(demo), median_time(lambda: pixels.measure_many(demo))),
    ]


def demo_rows(trials: int, max_pictures: int) -> tuple[list[dict], dict]:
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        seconds, world = timed(lambda: ensure_demo_world(Path(directory), config=DemoConfig.small()))
        rows.append(row("build the small demo world", 1, seconds))
        try:
            seconds, model = timed(lambda: train_world(world, max_pictures=max_pictures))
            rows.append(row("train the demo world's model", model.n_posts, seconds,
                            f"one fit, evaluated on held-out posts; {max_pictures or MAX_PICTURES.default} "
                            "pictures drawn for training posts"))
            me = world.store.me()
            demo = [c.jpeg for c in candidate_images(world, me, CANDIDATES, seed=1)]
            photos = [phone_photo(i) for i in range(CANDIDATES)]
            rows += picture_rows(photos, demo)
            predictor = Predictor.for_world(world)
            caption = "Sunday light #travel #sunset"
            first = timed(lambda: predictor.predict(me, demo, caption, world.now()))[0]
            rows.append(row("predict 8 candidates, first call", CANDIDATES, first,
                            "demo pictures, contributions"))
            rows.append(row("predict 8 candidates, demo pictures", CANDIDATES,
                            median_time(lambda: predictor.predict(me, demo, caption, world.now()))))
            rows.append(row("predict 8 candidates, 12 MP photos", CANDIDATES,
                            median_time(lambda: predictor.predict(me, photos, caption, world.now()), 3)))
            seconds, index = timed(
                lambda: HashtagIndex.build(world.store, world.images, predictor.pixel_cache))
            rows.append(row("hashtag index build", len(index.post_tags), seconds))
            shown = [p for p in pixels.measure_many(demo) if isinstance(p, pixels.PixelFeatures)]
            rows.append(row("suggest 10 hashtags", 1, median_time(lambda: index.suggest(caption, shown))))
            rows.append(row("best-time heatmap", 1,
                            median_time(lambda: best_time_heatmap(world.store, me, "UTC"))))
            table, vectors = world_table(world, max_pictures=max_pictures)
            start = time.perf_counter()
            evaluation, eval_model, _ = evaluate_table(table, None, vectors)
            evaluation.update(demo_pick_gain(world, eval_model, trials))
            gain = evaluation.get("pick", {}).get("gain", {})
            rows.append(row("evaluate-likes on the demo world", evaluation["n_test"],
                            time.perf_counter() - start,
                            f"{_scores(evaluation)}; pick of 4 {gain.get('mean', float('nan')) * 100:+.1f}% "
                            f"({trials} trials)"))
        finally:
            world.close()
    return rows, evaluation


def full_training_row(max_pictures: int | None) -> dict:
    """Training on the demo world as shipped (built first in a temporary folder): wall and CPU seconds."""
    with tempfile.TemporaryDirectory() as directory:
        world = ensure_demo_world(Path(directory), config=DemoConfig())
        try:
            started, cpu = time.perf_counter(), time.process_time()
            model = train_world(world, max_pictures=max_pictures)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        finally:
            world.close()
    return row("train on the demo world as shipped", model.n_posts, seconds,
               f"{cpu:.1f} s of CPU; target under 20 s")


def _scores(evaluation: dict) -> str:
    base, model = evaluation["age_baseline"], evaluation["model"]
    return (f"MAPE {base['mape'] * 100:.0f}% -> {model['mape'] * 100:.0f}%, log-MAE {base['log_mae']:.3f} -> "
            f"{model['log_mae']:.3f} (against the age-aware baseline), coverage {model['coverage80'] * 100:.0f}%")


def main() -> None:
    parser = arguments("Like prediction: features, model, the Predict tab's calls, honest evaluation.")
    parser.add_argument("--skip-gvsi", action="store_true", help="do not evaluate on the gvsi dataset")
    parser.add_argument("--trials", type=int, default=200, help="demo pick trials (default 200)")
    parser.add_argument("--max-pictures", type=int, help="pictures added for training (default: the setting)")
    parser.add_argument("--skip-full", action="store_true", help="do not time training on the full demo world")
    args = parser.parse_args()
    rows, demo = demo_rows(args.trials, args.max_pictures)
    if not args.skip_full:
        rows.append(full_training_row(args.max_pictures))
    evaluations = {"demo (small)": demo}
    if not args.skip_gvsi:
        table, _ = read_csv(GVSI)
        seconds, (gvsi, _, _) = timed(lambda: evaluate_table(table))
        rows.append(row("evaluate-likes on gvsi", gvsi["n_test"], seconds, _scores(gvsi)))
        evaluations["gvsi"] = gvsi
    report("Like prediction", rows, args.json)
    if not args.json:
        for name, evaluation in evaluations.items():
            print(f"\n### {name}\n")
            print(format_table(evaluation))


if __name__ == "__main__":
    main()
