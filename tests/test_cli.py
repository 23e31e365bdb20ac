"""The command line: its table of commands matches what the modules register, and --help loads nothing heavy."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from discovery import cli

HEAVY = ("numpy", "pandas", "scipy", "sqlalchemy", "sklearn", "matplotlib", "instagrapi", "PIL", "networkx")


def test_the_command_table_matches_what_the_modules_register():
    registered = {}
    for module in cli.COMMAND_MODULES:
        subparsers = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(module).register(subparsers, argparse.ArgumentParser(add_help=False))
        registered.update({action.dest: (module, action.help) for action in subparsers._choices_actions})
    assert list(registered.items()) == list(cli.COMMANDS.items())


def test_a_command_line_registers_only_its_own_module():
    parser = cli.build_parser(["stats", "--json"])
    args = parser.parse_args(["stats", "--json"])
    assert args.json and args.run.__module__ == "discovery.cli.feed"
    with pytest.raises(SystemExit):
        cli.build_parser(["no-such-command"]).parse_args(["no-such-command"])


def loaded_after(arguments: list[str]) -> set[str]:
    code = ("import sys\nfrom discovery.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sys.modules), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True, text=True, timeout=120)
    assert "usage:" in done.stdout
    return {name.partition(".")[0] for name in done.stderr.split()}


@pytest.mark.parametrize("command", [[], *([name] for name in cli.COMMANDS)])
def test_help_loads_no_heavy_library(command):
    assert not loaded_after([*command, "--help"]) & set(HEAVY)


def test_a_setting_is_found_before_its_module_is_imported():
    script = ("import sys; from discovery.settings import Settings; "
              "assert 'discovery.insights.network' not in sys.modules; "
              "print(Settings().get('insights.max_nodes'))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "300"


def test_a_missing_world_is_named_with_the_worlds_there_but_not_those_being_built(tmp_path, capsys):
    from storage import Store

    worlds = tmp_path / "worlds"
    Store.open(worlds / "alice" / "tessera.db").close()
    Store.open(worlds / ".building-1-x" / "tessera.db").close()  # another import's world, not yet in place
    assert cli.main(["stats", "--data-dir", str(tmp_path), "--world", "nobody"]) != 0
    err = capsys.readouterr().err
    assert "no world named 'nobody'" in err and "(worlds: alice)" in err and ".building" not in err
