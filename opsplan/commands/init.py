"""`opsplan init`: scaffold a plan that checks clean, with one commented example of every kind."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import click

from opsplan.commands.common import fail

DEFAULT_NAME = "My Organisation"
DEFAULT_CURRENCY = "USD"
_CURRENCY = re.compile(r"[A-Z]{3}")
# template path (inside opsplan/templates/plan) -> file written (inside DIR)
RENAMED = {"pre-commit-config.yaml": ".pre-commit-config.yaml"}


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _templates() -> list[tuple[str, str]]:
    """(path written, template text) for every scaffolded file, in a stable order."""
    from importlib import resources

    base = resources.files("opsplan.templates").joinpath("plan")
    found: list[tuple[str, str]] = []

    def walk(folder: object, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda item: item.name):  # type: ignore[attr-defined]
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith((".yaml", ".csv")):
                name = f"{prefix}{entry.name}"
                found.append((RENAMED.get(name, name), entry.read_text(encoding="utf-8")))

    walk(base, "")
    return found


def _repository_folder(folder: Path) -> str:
    """The plan's folder as the pre-commit hook names it: relative to the git top folder."""
    resolved = folder.resolve()
    for candidate in (resolved, *resolved.parents):
        if (candidate / ".git").exists():
            relative = resolved.relative_to(candidate).as_posix()
            return relative or "."
    return "."


def _yaml_text(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


@click.command(epilog="""\b
Examples:
  opsplan init                         # here; asks for the name and currency on a terminal
  opsplan init plans/acme --name "Acme Logistics" --currency EUR
\b
Never overwrites a file: on an existing plan it stops and changes nothing (exit 2).""")
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", default=None, help=f"The organisation's name (default: {DEFAULT_NAME}).")
@click.option("--currency", default=None, help=f"The plan's ISO 4217 currency code (default: {DEFAULT_CURRENCY}).")
def init(directory: Path, name: str | None, currency: str | None) -> None:
    """Scaffold a new plan in DIRECTORY (default: the current folder): opsplan.yaml, one
    commented example of every kind, actuals/ with header-only CSV files and a
    .pre-commit-config.yaml. Every YAML file starts with the line that lets editors complete
    and validate it against the shipped JSON Schema."""
    from opsplan import __version__
    from opsplan.schema import schema_dir
    from opsplan.source import ROOT_FILE, find_root

    if directory.exists() and not directory.is_dir():
        fail(f"{directory} exists and is not a folder")
    existing_plan = find_root(directory) if directory.exists() else None
    if existing_plan is not None:
        fail(f"there is already a plan at {existing_plan} (it has an {ROOT_FILE}); nothing was changed")
    templates = _templates()
    clashes = [path for path, _ in templates if (directory / path).exists()]
    if clashes:
        fail(f"{', '.join(clashes)} already exist{'s' if len(clashes) == 1 else ''} in {directory}; "
             "opsplan init never overwrites a file, so nothing was changed")

    if stdin_is_terminal():
        name = name or click.prompt("Organisation name", default=DEFAULT_NAME)
        currency = currency or click.prompt("Currency (ISO 4217 code)", default=DEFAULT_CURRENCY)
    name = (name or DEFAULT_NAME).strip() or DEFAULT_NAME
    currency = (currency or DEFAULT_CURRENCY).strip().upper()
    if not _CURRENCY.fullmatch(currency):
        fail(f"`{currency}` is not an ISO 4217 currency code (three letters, like USD or EUR)")

    year = date.today().year
    values = {
        "name": _yaml_text(name),
        "currency": currency,
        "year": str(year),
        "horizon_start": f"{year}-01-01",
        "horizon_end": f"{year + 2}-12-31",
        "schema_plan": (schema_dir() / "plan.schema.json").as_posix(),
        "schema_root": (schema_dir() / "opsplan.schema.json").as_posix(),
        "version": __version__,
        "plan_folder": _repository_folder(directory) if directory.exists() else ".",
    }
    written: list[str] = []
    for path, template in templates:
        text = template
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", value)
        target = directory / path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "x", encoding="utf-8") as stream:  # "x": never replace a file
                stream.write(text)
        except FileExistsError:
            fail(f"{target} appeared while scaffolding; it was left as it is")
        except OSError as error:
            done = f"; written so far: {', '.join(written)}" if written else ""
            fail(f"cannot write {target}: {error.strerror or error}{done}")
        written.append(path)
    click.echo(f"Scaffolded a plan for {name} ({currency}) in {directory}:")
    for path in written:
        click.echo(f"  {path}")
    click.echo(f"Next: edit the files, then run `opsplan check {directory}`.")
