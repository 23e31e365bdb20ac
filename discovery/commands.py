"""Core subcommands: placeholder registration replaced as the engine lands."""


def register(subparsers, common) -> None:
    pass
