"""`python -m discovery import PATH`: import Instagram's data export from the command line."""

from __future__ import annotations

import argparse

from discovery import paths
from discovery.cli import CommandError
from discovery.progress import TerminalProgress


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "import", parents=[common], help="import Instagram's data export (the .zip, or the unpacked folder)",
        description="Import the JSON export from Instagram's Download your information into a world, "
                    "by default one named after the account, which becomes the current world.")
    parser.add_argument("path", metavar="PATH", help="the .zip Instagram sent, or its unpacked folder")
    parser.add_argument("--world", metavar="NAME", help="import into this world (default: the account's)")
    parser.add_argument("--username", metavar="NAME",
                        help="the account's username, for an export that does not say whose it is")
    parser.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    from discovery.export.errors import ExportError
    from discovery.export.importer import import_into_data_dir

    root = paths.data_dir(args.data_dir)
    try:
        summary = import_into_data_dir(args.path, root, args.world, TerminalProgress(),
                                       username=args.username)
    except ExportError as exc:
        raise CommandError(str(exc)) from None
    print(f"@{summary.username} ({summary.layout} export): {summary.sentence}")
    print(f"World {summary.world!r} is now the current world.")
    return 0
