"""The `opsplan` command: a click group whose commands are imported only when run, so that
`opsplan check` never pays for graph, report or diff code."""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import os
import sys
from typing import Any, NamedTuple, NoReturn

import click

from opsplan import __version__


class Entry(NamedTuple):
    """A command's row: where its click command lives (``"package.module:function"``, imported only
    when the command runs) and the line `opsplan --help` shows for it without importing it."""

    target: str
    summary: str

    @property
    def module(self) -> str:
        return self.target.partition(":")[0]

    def load(self) -> click.Command:
        module, _, attribute = self.target.partition(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


# Adding a command is a module in opsplan/commands/ and a row here, in the order --help lists them.
COMMANDS: dict[str, Entry] = {
    "check": Entry("opsplan.commands.check:check", "Check a plan: shape, references and every rule."),
    "compile": Entry("opsplan.commands.compile:compile_command", "Write the resolved plan as one JSON document."),
    "explain": Entry("opsplan.commands.explain:explain", "Explain a rule code, with a bad and a good example."),
    "schema": Entry("opsplan.commands.schema:schema", "Print a JSON Schema (for editors and other tools)."),
    "graph": Entry("opsplan.commands.graph:graph", "Draw or analyse the plan's dependency graphs."),
    "report": Entry("opsplan.commands.report:report", "Gap report: plan against actuals, with recommendations."),
    "diff": Entry("opsplan.commands.diff:diff", "Semantic diff of the plan between two git revisions."),
    "init": Entry("opsplan.commands.init:init", "Scaffold a new plan."),
    "codeowners": Entry("opsplan.commands.codeowners:codeowners",
                        "Route each plan file's review to its departments' reviewers."),
    "history": Entry("opsplan.commands.history:history", "How goals, budgets and KPI targets moved in git history."),
    "ls": Entry("opsplan.commands.ls:ls", "List the plan's entities that a selector chooses, with key figures."),
    "export": Entry("opsplan.commands.export:export", "Export the plan (and the report) as spreadsheet tables."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _available(name)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or not _available(cmd_name):
            return None
        return COMMANDS[cmd_name].load()

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
        rows = [(name, COMMANDS[name].summary) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(name: str) -> bool:
    # A trimmed install may leave a command's module out; it is then neither listed nor offered.
    return importlib.util.find_spec(COMMANDS[name].module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="opsplan")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress bars on standard error (they are drawn only on a terminal anyway).")
def cli(quiet: bool) -> None:
    """opsplan: plan-as-code for operations management.

    Departments, processes with KPIs, budgets, goals and programs live in YAML files in git;
    opsplan checks them, compiles them, draws them and reports gaps against actuals.

    \b
    Examples:
      opsplan check plans/acme
      opsplan explain OPS302
    """
    from opsplan.progress import set_quiet

    # Set on every run, quiet or not: a library caller may run several in one process.
    set_quiet(quiet)


def main(argv: list[str] | None = None) -> Any:
    # A run builds millions of small objects that live until it ends (marked YAML nodes, the
    # model, actuals, the report) and next to no garbage cycles (a few hundred objects, however
    # big the plan: tests/test_garbage.py). The cyclic collector would only rescan live objects,
    # even at mypy's thresholds (200,000, 30, 30): 0.28 s of the 4.5 s report of the
    # 2,000,000-row ledger plan, 1.6 s of the 12 s check of the 40,000-process plan. Reference
    # counting still frees everything else. Library callers keep their collector.
    gc.disable()
    return cli.main(args=argv, prog_name="opsplan")


def run() -> NoReturn:
    """The console script and `python -m opsplan`: ``main``, then the end of the process without
    freeing what the run built, object by object (as mypy ends its runs): once the output is
    written and flushed, there is nothing left to do with it. A crash still ends as Python
    ends, with its traceback."""
    from opsplan.lifetime import end_without_freeing

    end_without_freeing()
    try:
        main()
        code = 0
    except SystemExit as exit_:
        code = _exit_status(exit_.code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that went away, a stream closed
            stream.flush()
    os._exit(code)


def _exit_status(code: object) -> int:
    """The status Python gives an exit with ``code``: 0 for none, the number, else 1 after
    printing it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
