"""`opsplan schema`: print a shipped JSON Schema, for editors and other tools."""

from __future__ import annotations

import json

import click

SCHEMAS = {"plan": "plan.schema.json", "root": "opsplan.schema.json",
           "compiled": "compiled.schema.json", "report": "report.schema.json"}


@click.command(epilog="""\b
Examples:
  opsplan schema > plan.schema.json         # any plan file
  opsplan schema root                       # opsplan.yaml
  opsplan schema --path                     # the installed plan schema's file
\b
Editors: add this first line to a plan file for completion and validation with the YAML
language server (VS Code's YAML extension, Neovim, Helix...):
  # yaml-language-server: $schema=<the file `opsplan schema --path` prints>
and to opsplan.yaml the one `opsplan schema --path root` prints.""")
@click.argument("which", type=click.Choice(list(SCHEMAS)), default="plan", required=False)
@click.option("--path", "show_path", is_flag=True, help="Print the schema file's path instead of its content.")
def schema(which: str, show_path: bool) -> None:
    """Print the JSON Schema of WHICH: a plan file (default), the root file opsplan.yaml, the
    compiled plan, or the report."""
    from opsplan.load.schema import load_schema, schema_dir

    if show_path:
        click.echo((schema_dir() / SCHEMAS[which]).as_posix())
        return
    click.echo(json.dumps(load_schema(SCHEMAS[which]), indent=2))
