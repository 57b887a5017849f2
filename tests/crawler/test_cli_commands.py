"""Each command of the contract is parsed into the function that runs it (argparse's
`set_defaults(handler=...)`), and only `demo` runs without reading the configuration."""

from __future__ import annotations

import pytest

from crawler import commands, status_command, story_commands, tester_commands
from crawler.cli import build_parser, main
from crawler.probe.report import cmd_probe

# The commands the README lists, each with its required arguments.
COMMANDS = {
    "crawl": ([], commands.cmd_crawl),
    "run": ([], commands.cmd_run),
    "search": (["حموشي"], commands.cmd_search),
    "export": ([], commands.cmd_export),
    "alerts": ([], commands.cmd_alerts),
    "stats": ([], commands.cmd_stats),
    "match": ([], tester_commands.cmd_match),
    "extract": (["page.html"], tester_commands.cmd_extract),
    "stories": ([], story_commands.cmd_stories),
    "story": (["8a630e90e279f080"], story_commands.cmd_story),
    "status": ([], status_command.cmd_status),
    "probe": ([], cmd_probe),
    "test-alert": ([], commands.cmd_test_alert),
    "demo": ([], commands.cmd_demo),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_is_parsed_into_its_handler(name):
    arguments, handler = COMMANDS[name]
    args = build_parser().parse_args([name, *arguments])
    assert args.handler is handler
    assert args.configured is (name != "demo")


def test_the_parser_knows_no_command_beyond_the_table():
    parser = build_parser()
    [subcommands] = [action for action in parser._actions if action.dest == "command"]
    assert set(subcommands.choices) == set(COMMANDS)


def test_a_command_reads_the_configuration_it_is_given(tmp_path, capsys):
    broken = tmp_path / "marsad.toml"
    broken.write_text("database = [\n", encoding="utf-8")
    assert main(["--config", str(broken), "stats"]) == 2
    assert capsys.readouterr().err.startswith(f"marsad: {broken}: ")
