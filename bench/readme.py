"""Every figure README quotes, from a fresh run.

Reruns the evaluations and benchmarks whose figures README shows and rewrites the tables between README's
`<!-- figures:NAME -->` and `<!-- /figures:NAME -->` markers, each with the machine, the date and the seeds
it was measured with. Nothing in those tables is typed by hand.

    python -m bench.readme [--only NAME ...] [--dry-run]

Sections: ranking, likes (needs the public gvsi data beside the repository; kept as it was without it),
pick, speed. The whole run takes a while (tens of minutes on two cores): it is not part of the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import machine

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
GVSI = REPO.parent / "shared" / "data" / "gvsi-like-predictor" / "posts.csv"
RANKING_SEEDS = 5
PICK_SEEDS = 3

# (module, arguments) of each benchmark in the speed section, in README's order.
BENCHMARKS = [
    ("bench.bench_pagerank", ["--skip-demo"]),
    ("bench.bench_store", []),
    ("bench.bench_ranking", []),
    ("bench.bench_demo", []),
    ("bench.bench_predict", ["--skip-gvsi"]),
    ("bench.bench_ui", []),
    ("bench.bench_sync_requests", []),
    ("bench.bench_import", []),
    ("bench.bench_start", []),
]


def run_json(arguments: list[str]) -> list[dict]:
    """Run `python ARGUMENTS` from the repository and return every JSON document it printed."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    print("running: python " + " ".join(arguments), file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, *arguments], cwd=REPO, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"python {' '.join(arguments)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return parse_documents(done.stdout)


def parse_documents(text: str) -> list[dict]:
    decoder, documents, at = json.JSONDecoder(), [], 0
    while True:
        start = text.find("{", at)
        if start < 0:
            return documents
        document, at = decoder.raw_decode(text, start)
        documents.append(document)


# --- rendering -----------------------------------------------------------------------------------------------


def number(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or float(value).is_integer() and abs(value) >= 100:
        return f"{int(value):,}"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def table(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(number(cell) if not isinstance(cell, str) else cell for cell in row) + " |"
              for row in rows]
    return "\n".join(lines)


def spread(measure: dict | None) -> str:
    return "–" if not measure else f"{measure['mean']:.2f} ± {measure['sd']:.2f}"


def stamp(extra: str = "") -> str:
    info = machine()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    return (f"*Measured {when} by `python -m bench.readme` on {info['cpu']}, {info['cores']} cores, "
            f"{info['memory_gib']} GiB, Python {info['python']}{'; ' + extra if extra else ''}.*")


def ranking_section() -> str:
    [result] = run_json(["-m", "discovery", "evaluate-ranking", "--seeds", str(RANKING_SEEDS), "--regimes", "all",
                         "--fresh", "--json"])
    parts = [stamp(f"mean ± sd over demo worlds of seeds 1–{RANKING_SEEDS}, precision@20 and NDCG@20 against "
                   "each world's hidden taste")]
    for regime, found in result["regimes"].items():
        rankers = found["rankers"]
        factors = [name for name in rankers if name.startswith("factor:")]
        best = {kind: max(factors, key=lambda n, k=kind: rankers[n][k]["p20"]["mean"]) for kind in ("feed", "explore")}
        chosen = ["tessera", "seed_formula", *dict.fromkeys(best.values()), "chronological", "random"]
        rows = []
        for name in chosen:
            lists = " and ".join(kind.title() for kind in ("feed", "explore") if best[kind] == name)
            label = f"`{name}`" + (f" (best single factor on {lists})" if lists else "")
            cells = [spread(rankers[name].get(kind, {}).get(measure)) for kind in ("feed", "explore")
                     for measure in ("p20", "ndcg20")]
            rows.append([label, *cells])
        parts += ["", f"**Taste regime `{regime}`**", "",
                  table(["ranker", "Feed P@20", "Feed NDCG@20", "Explore P@20", "Explore NDCG@20"], rows), ""]
    return "\n".join(parts).rstrip()


LIKE_MEASURES = [("mape", "MAPE"), ("mdape", "median APE"), ("log_mae", "log-MAE"), ("spearman", "Spearman"),
                 ("pairwise", "pairwise order within an author"), ("coverage80", "80% interval coverage")]
PERCENT = {"mape", "mdape", "pairwise", "coverage80"}
LIKE_ROWS = [("baseline", "author's trailing median"), ("age_baseline", "age-aware baseline"),
             ("model", "Tessera")]


def likes_table(found: dict) -> str:
    measures = [(key, label) for key, label in LIKE_MEASURES if any(key in found.get(r, {}) for r, _ in LIKE_ROWS)]
    def cell(measure: str, value: Any) -> str:
        return f"{value:.1%}" if measure in PERCENT and value is not None else number(value)

    rows = [[label, *(cell(m, found[key].get(m)) for m, _ in measures)] for key, label in LIKE_ROWS if key in found]
    return table(["", *(label for _, label in measures)], rows)


def likes_section() -> str | None:
    if not GVSI.exists():
        print(f"likes: {GVSI} is not here; README's like-prediction table is kept as it was", file=sys.stderr)
        return None
    [result] = run_json(["-m", "discovery", "evaluate-likes", "--dataset", str(GVSI), "--json"])
    parts = [stamp("the public gvsi dataset: for each author the last 3 posts are the test set"), "",
             f"All {number(result.get('n', result.get('test_posts')))} test posts:", "", likes_table(result)]
    if "settled" in result:
        parts += ["", f"The {number(result['settled'].get('n'))} posts counted 3 or more days after posting:", "",
                  likes_table(result["settled"])]
    return "\n".join(parts)


def pick_section() -> str:
    [result] = run_json(["-m", "discovery", "evaluate-likes", "--demo-pick", "--seeds", str(PICK_SEEDS), "--json"])
    pick = result["pick"]
    gain = pick["gain"]
    rows = [["pick-best-of-" + str(pick["candidates"]), f"{gain['mean']:+.1%}",
             f"{gain['low']:+.1%} to {gain['high']:+.1%}", f"{pick['best_rate']:.0%}", f"{pick['ceiling']:+.1%}"]]
    return "\n".join([stamp(f"{pick['seeds']} freshly built demo worlds"), "",
                      table(["", "gain over a random pick", "95% interval", "best picture picked",
                             "perfect-pick ceiling"], rows)])


def speed_section() -> str:
    parts = [stamp("each benchmark's peer was measured in the same run")]
    for module, arguments in BENCHMARKS:
        for report in run_json(["-m", module, *arguments, "--json"]):
            rows = report.get("rows", [])
            if not rows:
                continue
            headers = list(rows[0])
            parts += ["", f"**{report.get('benchmark', module)}** (`python -m {module}`)", "",
                      table(headers, [[row.get(h) for h in headers] for row in rows])]
    return "\n".join(parts)


SECTIONS: dict[str, Callable[[], str | None]] = {
    "ranking": ranking_section, "likes": likes_section, "pick": pick_section, "speed": speed_section,
}


def replace_section(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- figures:{name} -->\n).*?(<!-- /figures:{name} -->)", re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"README has no <!-- figures:{name} --> … <!-- /figures:{name} --> markers")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(SECTIONS), help="refresh only these sections")
    parser.add_argument("--dry-run", action="store_true", help="print the sections instead of writing README")
    args = parser.parse_args(argv)
    for name in args.only or SECTIONS:
        body = SECTIONS[name]()
        if body is None:
            continue
        if args.dry_run:
            print(f"<!-- figures:{name} -->\n{body}\n<!-- /figures:{name} -->\n")
        else:  # section by section: a later failure keeps the earlier ones
            text = replace_section(README.read_text(encoding="utf-8"), name, body)
            README.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
