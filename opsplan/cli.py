"""The `opsplan` command: a click group whose commands are imported only when run, so that
`opsplan check` never pays for graph, report or diff code."""

from __future__ import annotations

import gc
import importlib
import importlib.util
from typing import Any

import click

from opsplan import __version__

# name -> (module, function, one-line help); the help shows in `opsplan --help` without importing.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": ("opsplan.commands.check", "check", "Check a plan: shape, references and every rule."),
    "compile": ("opsplan.commands.compile", "compile_command", "Write the resolved plan as one JSON document."),
    "explain": ("opsplan.commands.explain", "explain", "Explain a rule code, with a bad and a good example."),
    "schema": ("opsplan.commands.schema", "schema", "Print a JSON Schema (for editors and other tools)."),
    "graph": ("opsplan.commands.graph", "graph", "Draw or analyse the plan's dependency graphs."),
    "report": ("opsplan.commands.report", "report", "Gap report: plan against actuals, with recommendations."),
    "diff": ("opsplan.commands.diff", "diff", "Semantic diff of the plan between two git revisions."),
    "init": ("opsplan.commands.init", "init", "Scaffold a new plan."),
    "export": ("opsplan.commands.export", "export", "Export the plan (and the report) as spreadsheet tables."),
    "ls": ("opsplan.commands.ls", "ls", "List the plan's entities that a selector chooses, with key figures."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _available(name)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or not _available(cmd_name):
            return None
        module_name, attribute, _ = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str],
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            from opsplan.diagnostics import did_you_mean

            hint = did_you_mean(name, self.list_commands(ctx))
            ctx.fail(f"No such command '{name}'" + (f"; {hint}" if hint else "."))
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(name: str) -> bool:
    return importlib.util.find_spec(COMMANDS[name][0]) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="opsplan")
def cli() -> None:
    """opsplan: plan-as-code for operations management.

    Departments, processes with KPIs, budgets, goals and programs live in YAML files in git;
    opsplan checks them, compiles them, draws them and reports gaps against actuals.

    \b
    Examples:
      opsplan check plans/acme
      opsplan explain OPS302
    """


# A run builds millions of small objects that live until it ends (marked YAML nodes, the model,
# actuals rows) and almost no garbage cycles; with the default thresholds the collector rescans
# them over and over, which cost a quarter of `opsplan check` on a 10,000-process plan.
GC_THRESHOLDS = (200_000, 30, 30)


def main(argv: list[str] | None = None) -> Any:
    gc.set_threshold(*GC_THRESHOLDS)
    return cli.main(args=argv, prog_name="opsplan")
