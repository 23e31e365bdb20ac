"""`python -m discovery demo`: build (or rebuild) the demo world and print what it holds."""

from __future__ import annotations

import argparse

from discovery import paths
from discovery.cli import CommandError
from discovery.demo.regimes import REGIMES
from discovery.progress import TerminalProgress


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "demo", parents=[common],
        help="build the demo world (the default world when no account is connected)",
        description="Generate the demo world: about 24,000 fictional accounts, 230,000 follow edges, 56,000 "
                    "posts and a year of your likes. The same seed always gives the same world.")
    parser.add_argument("--seed", type=int, metavar="N", help="which demo world to generate (default 1)")
    parser.add_argument("--small", action="store_true",
                        help="a small world of a few thousand accounts and posts (for trying things quickly)")
    parser.add_argument("--regime", choices=sorted(REGIMES), default="default",
                        help="the person's hidden taste: " + "; ".join(f"{k}: {r.description}"
                                                                     for k, r in REGIMES.items()))
    parser.add_argument("--force", action="store_true",
                        help="rebuild the demo world even if it exists (your actions in it are lost)")
    parser.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from discovery import world
    from discovery.demo.generator import DemoConfig, summarize
    from discovery.demo.install import build_demo_directory

    seed = 1 if args.seed is None else args.seed
    if seed < 0:
        raise CommandError("--seed must be a whole number from 0 up.")
    try:
        config = DemoConfig.small(seed, args.regime) if args.small else DemoConfig(seed=seed, regime=args.regime)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    root = paths.data_dir(args.data_dir)
    directory = paths.world_dir(root, world.DEMO)
    if world.exists(root, world.DEMO) and not args.force:
        existing = world.World.open(root, world.DEMO)
        try:
            summary, built_with = summarize(existing.store), existing.store.meta("demo.config")
        finally:
            existing.close()
        if (args.seed is not None or args.small or args.regime != "default") and built_with != config.to_json():
            raise CommandError(f"the demo world in {directory} was built with other settings (seed "
                               f"{summary.seed}); add --force to replace it.")
        print("\n".join(summary.lines()))
        print(f"Already built, in {directory} (--force rebuilds it).")
        return 0
    try:
        built = build_demo_directory(root, config, TerminalProgress(), replace=args.force)
    except OSError as exc:
        raise CommandError(f"could not build the demo world: {exc}.") from None
    if built is None:
        raise CommandError("another Tessera built the demo world at the same time; it was kept.")
    print("\n".join(built.lines()))
    print(f"Saved in {directory}")
    return 0
