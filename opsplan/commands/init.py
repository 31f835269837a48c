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


def _ignore_cache(directory: Path) -> str | None:
    """Keep `opsplan check --cache`'s folder out of git: a .gitignore naming it, written when the
    plan's folder has none; an existing one is never changed, only pointed out when it lacks it."""
    from opsplan.load.cache import CACHE_FOLDER

    target = directory / ".gitignore"
    try:
        with open(target, "x", encoding="utf-8") as stream:
            stream.write(f"# opsplan check --cache keeps parsed plan files here\n/{CACHE_FOLDER}/\n")
        return ".gitignore"
    except FileExistsError:
        try:
            known = target.read_text(encoding="utf-8", errors="replace")
        except OSError:
            known = ""
        if CACHE_FOLDER not in known:
            click.echo(f"note: add `/{CACHE_FOLDER}/` to {target}: `opsplan check --cache` keeps its cache there",
                       err=True)
    except OSError as error:
        click.echo(f"note: cannot write {target} ({error.strerror or error}); add `/{CACHE_FOLDER}/` to "
                   "your .gitignore", err=True)
    return None


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


def _nearest_existing(folder: Path) -> Path:
    """``folder``, or its closest ancestor that exists (init creates the missing ones)."""
    here = folder.resolve()
    while not here.exists():
        here = here.parent
    return here


def _plan_below(folder: Path) -> Path | None:
    """The first plan found below ``folder`` (hidden folders skipped), as ``folder`` / its path."""
    import os

    from opsplan.load.source import ROOT_FILE

    if not folder.is_dir():
        return None
    for current, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        if ROOT_FILE in files:
            return Path(current)
    return None


def _relative(target: Path, start: Path) -> str:
    """``target`` as a POSIX path relative to folder ``start`` (absolute only across drives)."""
    import os

    try:
        return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return target.as_posix()


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
    from opsplan.load.schema import schema_dir
    from opsplan.load.source import ROOT_FILE, find_root

    if directory.exists() and not directory.is_dir():
        fail(f"{directory} exists and is not a folder")
    # Plans do not nest: the outer plan leaves a folder with its own opsplan.yaml out, which is
    # rarely what someone starting a plan there means, so both directions are refused.
    existing_plan = find_root(_nearest_existing(directory))
    if existing_plan is not None:
        if existing_plan == directory.resolve():
            fail(f"there is already a plan at {existing_plan} (it has an {ROOT_FILE}); nothing was changed")
        fail(f"{directory} is inside the plan at {existing_plan}; a plan cannot hold another plan, so "
             "nothing was changed: add to that plan, or start the new one outside it")
    inner_plan = _plan_below(directory)
    if inner_plan is not None:
        fail(f"{directory} holds the plan at {inner_plan}; a plan cannot hold another plan, so nothing "
             "was changed: start the new plan beside it")
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
        "version": __version__,
        "plan_folder": _repository_folder(directory) if directory.exists() else ".",
    }
    written: list[str] = []
    for path, template in templates:
        target = directory / path
        text = template
        # Files go into git: schema paths are relative to each file, never this machine's paths.
        schemas = {"schema_plan": "plan.schema.json", "schema_root": "opsplan.schema.json"}
        for key, value in [*values.items(), *((key, _relative(schema_dir() / name, target.parent))
                                              for key, name in schemas.items())]:
            text = text.replace("{{" + key + "}}", value)
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
    ignored = _ignore_cache(directory)
    if ignored is not None:
        written.append(ignored)
    click.echo(f"Scaffolded a plan for {name} ({currency}) in {directory}:")
    for path in written:
        click.echo(f"  {path}")
    click.echo(f"Next: edit the files, then run `opsplan check {directory}`.")
