"""`python -m discovery`: every feature of Tessera without a window.

Each command module registers its subcommands with `register(subparsers, common)`; a command returns an
exit code, and raises CommandError (or a StoreError) with one sentence for a person to read.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sqlite3
import sys

from sqlalchemy.exc import DBAPIError

from storage import StoreError

# Modules that register subcommands, in the order they appear in --help.
COMMAND_MODULES = [
    "discovery.demo.commands",
    "discovery.commands",
    "discovery.export.commands",
    "discovery.predict.commands",
    "discovery.live.commands",
    "discovery.insights.commands",
]


class CommandError(Exception):
    """A failure a person can act on: the message is printed as is, the exit code is non-zero."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="PATH", help="where Tessera keeps its worlds (default: the "
                        "platform's user data directory)")
    parser = argparse.ArgumentParser(prog="python -m discovery", description="Tessera, without a window.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except CommandError as exc:
        print(f"tessera: {exc}", file=sys.stderr)
        return exc.exit_code
    except StoreError as exc:
        print(f"tessera: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # one sentence, never a traceback
        if exc.filename:
            print(f"tessera: could not use {exc.filename} ({exc.strerror or exc}); nothing half-written was "
                  "kept. Check that it exists and that you may write there, or choose another data folder "
                  "(--data-dir).", file=sys.stderr)
        else:
            print(f"tessera: {exc.strerror or exc}; nothing half-written was kept.", file=sys.stderr)
        return 1
    except (sqlite3.Error, DBAPIError) as exc:
        print(f"tessera: the database could not be read or written ({getattr(exc, 'orig', None) or exc}); "
              "nothing half-written was kept.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tessera: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
