"""Files that arrive in a pull request are hostile: links out of the plan are not followed, an
output never replaces a device or an input, a revision that cannot be read is not "no change",
and plans are found, scaffolded and shown the way a user expects."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BASE_PLAN, ROOT_FILE, PlanWriter, check, findings

from opsplan.cli import cli

SECRET = "https://plan-owner:ghp_TOPSECRETTOKEN123@github.com"
SHADOW = "root:$6$saltsalt$HASHEDPASSWORD:19000:0:99999:7:::\n"
FORMATS = ["text", "json", "github", "sarif", "junit"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def secret_outside(tmp_path: Path, name: str, text: str) -> Path:
    outside = tmp_path / "home" / name
    outside.parent.mkdir(parents=True, exist_ok=True)
    outside.write_text(text, encoding="utf-8")
    return outside


# 1. Links out of the plan ------------------------------------------------------------------


@pytest.mark.parametrize("output_format", FORMATS)
def test_an_actuals_link_out_of_the_plan_is_one_finding_that_never_quotes_the_target(
        write_plan: PlanWriter, tmp_path: Path, output_format: str) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN})
    (root / "actuals").mkdir()
    (root / "actuals" / "x.csv").symlink_to(secret_outside(tmp_path, ".git-credentials", SECRET + "\n"))
    code, output = run("check", str(root), "--format", output_format)
    assert code == 1
    assert "TOPSECRET" not in output and str(tmp_path / "home") not in output
    assert findings(check(root)) == ["actuals/x.csv:1:1 OPS008"]


def test_a_plan_file_linked_out_of_the_plan_is_not_read(write_plan: PlanWriter, tmp_path: Path) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN})
    (root / "shadow.yaml").symlink_to(secret_outside(tmp_path, "shadow", SHADOW))
    (root / "extra.yml").symlink_to(secret_outside(
        tmp_path, "extra.yaml", "departments:\n  smuggled: {name: Smuggled, head: Eve}\n"))
    result = check(root)
    assert findings(result) == ["extra.yml:1:1 OPS008", "shadow.yaml:1:1 OPS008"]
    assert result.plan is not None and "smuggled" not in result.plan.departments
    message = result.diagnostics[1].message
    assert message == "`shadow.yaml` is a link to a place outside the plan; it is not read"
    code, output = run("check", str(root))
    assert code == 1 and "HASHED" not in output and "smuggled" not in output.lower()


def test_a_folder_linked_out_of_the_plan_is_one_finding_at_the_link(write_plan: PlanWriter, tmp_path: Path) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN})
    outside = tmp_path / "elsewhere"
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        secret_outside(tmp_path, f"../elsewhere/{name}", "departments:\n  x: {name: X}\n")
    (root / "ops").symlink_to(outside, target_is_directory=True)
    (root / "actuals").symlink_to(outside, target_is_directory=True)
    assert findings(check(root)) == ["actuals:1:1 OPS008", "ops:1:1 OPS008"]


def test_a_root_file_linked_out_of_the_plan_is_the_only_finding(write_plan: PlanWriter, tmp_path: Path) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN}, root_file=None)
    (root / "opsplan.yaml").symlink_to(secret_outside(tmp_path, "opsplan.yaml", ROOT_FILE))
    assert findings(check(root)) == ["opsplan.yaml:1:1 OPS008"]


def test_links_that_stay_inside_the_plan_are_read(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN, "data/packing.txt":
                       "processes:\n  packing: {name: Packing, owner: warehouse, depends_on: [picking], "
                       "kpis: {k: {name: K, better: higher, target: 1}}}\n",
                       "data/kpi.txt": "date,kpi,value\n2027-01-31,shipping.on-time,94\n"})
    (root / "packing.yaml").symlink_to("data/packing.txt")
    (root / "actuals").mkdir()
    (root / "actuals" / "kpi.csv").symlink_to("../data/kpi.txt")
    result = check(root)
    assert findings(result) == []
    assert result.plan is not None and "packing" in result.plan.processes
    assert result.actuals is not None and len(result.actuals.readings) == 1


def test_an_unrecognised_header_is_quoted_short_and_escaped(write_plan: PlanWriter) -> None:
    header = "day\x1b]52;c;aGk=\x07," + "x" * 5000
    root = write_plan({"plan.yaml": BASE_PLAN, "actuals/q1.csv": header + "\n1,2\n"})
    (diagnostic,) = check(root).diagnostics
    assert diagnostic.code == "OPS701"
    assert "\x1b" not in diagnostic.message and "\x07" not in diagnostic.message
    assert "\\x1b" in diagnostic.message
    assert len(diagnostic.message) < 200


# 3. -o never replaces a device, a FIFO or an input ------------------------------------------


def test_output_to_a_fifo_is_written_in_place(write_plan: PlanWriter, tmp_path: Path) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN})
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read)
    reader.start()
    code, _ = run("compile", str(root), "-o", str(fifo))
    reader.join(timeout=10)
    assert code == 0
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(received[0])["organization"]["name"] == "Tiny Co"


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_output_to_a_device_is_written_in_place(write_plan: PlanWriter, tmp_path: Path) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN})
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    code, output = run("compile", str(root), "-o", str(null))
    assert stat.S_ISCHR(null.lstat().st_mode), output  # a device, not a regular file in its place
    assert code in (0, 2)  # 2 where the file system forbids opening devices: never a replaced node


@pytest.mark.parametrize(("command", "target"), [
    (["compile"], "opsplan.yaml"),
    (["check", "--format", "json"], "plan.yaml"),
    (["report", "--as-of", "2027-03-31"], "actuals/kpi.csv"),
    (["graph"], "plan.yaml"),
])
def test_an_output_that_is_an_input_is_refused(write_plan: PlanWriter, command: list[str], target: str) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN,
                       "actuals/kpi.csv": "date,kpi,value\n2027-01-31,shipping.on-time,94\n"})
    before = (root / target).read_bytes()
    code, output = run(*command, str(root), "-o", str(root / target))
    assert code == 2
    assert f"{root / target} is a file this command reads; write the output elsewhere" in output
    assert (root / target).read_bytes() == before


# 4. diff never says "no change" about a plan it could not read ------------------------------


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in {"GIT_AUTHOR_NAME": "Plan Owner", "GIT_AUTHOR_EMAIL": "owner@example.com",
                        "GIT_COMMITTER_NAME": "Plan Owner", "GIT_COMMITTER_EMAIL": "owner@example.com",
                        "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    monkeypatch.chdir(root)
    return root


def commit(repo: Path, tag: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", tag)
    git(repo, "tag", tag)


def test_diff_of_a_plan_unreadable_at_both_revisions_is_exit_two(repo: Path) -> None:
    (repo / "opsplan.yaml").write_text("opsplan: 1\norganization: [unclosed\n", encoding="utf-8")
    (repo / "plan.yaml").write_text(BASE_PLAN, encoding="utf-8")
    commit(repo, "v1")
    (repo / "plan.yaml").write_text(BASE_PLAN.replace("Dana Kim", "Dana Kimura"), encoding="utf-8")
    commit(repo, "v2")
    for extra in ([], ["--exit-code"], ["--format", "markdown"]):
        code, output = run("diff", "v1", "v2", *extra)
        assert code == 2, output
        assert "No changes" not in output
        assert "cannot read the plan at `v1`" in output
        assert "opsplan.yaml:3:1: OPS001" in output


def test_diff_of_a_root_file_committed_as_a_link_out_of_the_plan(repo: Path) -> None:
    (repo / "plan").mkdir()
    (repo / "shared.yaml").write_text(ROOT_FILE, encoding="utf-8")
    (repo / "plan" / "opsplan.yaml").symlink_to("../shared.yaml")
    (repo / "plan" / "plan.yaml").write_text(BASE_PLAN, encoding="utf-8")
    commit(repo, "v1")
    (repo / "plan" / "plan.yaml").write_text(BASE_PLAN.replace("Dana Kim", "Dana Kimura"), encoding="utf-8")
    commit(repo, "v2")
    code, output = run("diff", "v1", "v2", "plan", "--exit-code")
    assert code == 2, output
    assert "plan/opsplan.yaml:1:1: OPS008 `opsplan.yaml` is a link to a place outside the plan" in output


def test_diff_reads_a_link_that_stays_inside_the_plan_at_a_revision(repo: Path) -> None:
    (repo / "config").mkdir()
    (repo / "config" / "root.txt").write_text(ROOT_FILE, encoding="utf-8")
    (repo / "opsplan.yaml").symlink_to("config/root.txt")
    (repo / "plan.yaml").write_text(BASE_PLAN, encoding="utf-8")
    commit(repo, "v1")
    (repo / "plan.yaml").write_text(BASE_PLAN.replace("Dana Kim", "Dana Kimura"), encoding="utf-8")
    commit(repo, "v2")
    code, output = run("diff", "v1", "v2", "--exit-code")
    assert code == 1, output
    assert "Dana Kimura" in output


def test_diff_against_the_working_tree_never_writes_over_a_plan_file(repo: Path) -> None:
    (repo / "opsplan.yaml").write_text(ROOT_FILE, encoding="utf-8")
    (repo / "plan.yaml").write_text(BASE_PLAN, encoding="utf-8")
    commit(repo, "v1")
    code, output = run("diff", "v1", "-o", "plan.yaml")
    assert code == 2
    assert "plan.yaml is a file this command reads" in output
    assert (repo / "plan.yaml").read_text(encoding="utf-8") == BASE_PLAN


def test_a_root_file_with_a_syntax_error_is_not_also_called_empty(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN}, root_file="opsplan: 1\norganization: [unclosed\n")
    assert findings(check(root)) == ["opsplan.yaml:3:1 OPS001"]
# 12. init, unreadable folders, paths as given ------------------------------------------------


@pytest.mark.parametrize("inside", ["sub", "sub/deeper"])
def test_init_inside_a_plan_is_refused(write_plan: PlanWriter, inside: str) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN})
    code, output = run("init", str(root / inside))
    assert code == 2
    assert f"{root / inside} is inside the plan at {root}" in output
    assert not (root / "sub").exists()


def test_init_above_a_plan_is_refused(write_plan: PlanWriter, tmp_path: Path) -> None:
    write_plan({"plan.yaml": BASE_PLAN})
    code, output = run("init", str(tmp_path))
    assert code == 2
    assert f"{tmp_path} holds the plan at {tmp_path / 'plan'}" in output
    assert not (tmp_path / "opsplan.yaml").exists()


def test_a_nested_plan_folder_is_not_part_of_the_outer_plan(write_plan: PlanWriter) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN, "team/opsplan.yaml": ROOT_FILE,
                       "team/ops.yaml": "departments:\n  team: {name: Team}\n"})
    result = check(root)
    assert findings(result) == []
    assert "team/ops.yaml" not in result.files


def test_init_writes_schema_paths_relative_to_each_file(tmp_path: Path) -> None:
    from opsplan.load.schema import schema_dir

    target = tmp_path / "plan"
    code, _ = run("init", str(target))
    assert code == 0
    for name, schema in (("opsplan.yaml", "opsplan.schema.json"), ("org/departments.yaml", "plan.schema.json")):
        first = (target / name).read_text(encoding="utf-8").splitlines()[0]
        written = first.split("$schema=", 1)[1]
        assert not Path(written).is_absolute(), first
        assert ((target / name).parent / written).resolve() == (schema_dir() / schema).resolve()


def test_an_unreadable_folder_is_a_finding(write_plan: PlanWriter, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN, "locked/more.yaml": "departments:\n  x: {name: X}\n",
                       "actuals/locked/kpi.csv": "date,kpi,value\n2027-01-31,shipping.on-time,94\n"})
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = check(root)
    assert findings(result) == ["actuals/locked:1:1 OPS008", "locked:1:1 OPS008"]
    assert result.diagnostics[1].message == "cannot read the folder `locked` (Permission denied); nothing in it is checked"
    assert result.diagnostics[1].hint
def test_a_plan_outside_the_current_folder_is_shown_by_the_path_given(
        write_plan: PlanWriter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_plan({"plan.yaml": BASE_PLAN.replace("    head: Dana Kim\n", "    head: Dana Kim\n    onwer: x\n")})
    elsewhere = tmp_path / "a" / "b"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    code, output = run("check", str(root))
    assert code == 1
    assert output.startswith(f"{root}/plan.yaml:5:5: OPS102"), output
    code, output = run("check", str(root / "plan.yaml"))  # a path inside the plan: its root, as given
    assert output.startswith(f"{root}/plan.yaml:5:5: OPS102"), output
    monkeypatch.chdir(tmp_path)
    code, output = run("check", "plan")
    assert output.startswith("plan/plan.yaml:5:5: OPS102"), output


def test_a_folder_link_out_of_the_plan_committed_to_git_is_reported_like_on_disk(repo: Path) -> None:
    from opsplan.check.pipeline import check_source
    from opsplan.load.gitsource import GitSource
    from opsplan.load.source import DirectorySource

    (repo / "plan").mkdir()
    (repo / "plan" / "opsplan.yaml").write_text(ROOT_FILE, encoding="utf-8")
    (repo / "plan" / "plan.yaml").write_text(BASE_PLAN, encoding="utf-8")
    (repo / "shared").mkdir()
    (repo / "shared" / "more.yaml").write_text("departments:\n  x: {name: X}\n", encoding="utf-8")
    (repo / "plan" / "ops").symlink_to("../shared", target_is_directory=True)
    (repo / "plan" / "README").symlink_to("../shared/more.yaml")  # not a plan file: not read, no finding
    commit(repo, "v1")
    head = subprocess.run(["git", "rev-parse", "v1"], cwd=repo, check=True, capture_output=True, text=True)
    from_git = check_source(GitSource(repo, head.stdout.strip(), "plan"))
    from_disk = check_source(DirectorySource(repo / "plan"))
    assert findings(from_disk) == ["ops:1:1 OPS008"]
    assert findings(from_git) == ["ops:1:1 OPS008"]


def test_hostile_link_targets_in_git_are_findings_not_crashes(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = repo / "plan"
    plan.mkdir()
    (plan / "opsplan.yaml").write_text(ROOT_FILE, encoding="utf-8")
    (plan / "plan.yaml").write_text(BASE_PLAN, encoding="utf-8")
    (plan / "a.yaml").symlink_to(":(glob)*")
    (plan / "b").symlink_to("../x\nnewline")
    (plan / "c.yml").symlink_to("/etc/shadow")
    commit(repo, "v1")
    code, output = run("diff", "v1", "v1", "plan")
    assert code == 0, output
    monkeypatch.chdir(plan)
    code, output = run("check")
    assert code == 1 and "c.yml:1:1: OPS008" in output and "root:" not in output


def test_an_actuals_file_swapped_for_a_link_after_listing_is_not_read(
        write_plan: PlanWriter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from opsplan.load import actuals as actuals_module

    root = write_plan({"plan.yaml": BASE_PLAN, "actuals/kpi.csv": "date,kpi,value\n2027-01-31,shipping.on-time,94\n"})
    listed = actuals_module.actuals_files

    def list_then_swap(folder: Path, boundary: Path, shown_as: str) -> tuple[list[Path], list[object]]:
        found, refused = listed(folder, boundary, shown_as)
        (root / "actuals" / "kpi.csv").unlink()
        (root / "actuals" / "kpi.csv").symlink_to(secret_outside(tmp_path, "token.csv", "date,kpi,value\n" + SECRET))
        return found, refused

    monkeypatch.setattr(actuals_module, "actuals_files", list_then_swap)
    result = check(root)
    assert findings(result) == ["actuals/kpi.csv:1:1 OPS008"]
    assert "TOPSECRET" not in repr(result.diagnostics)


@pytest.mark.parametrize(("size", "read"), [(0, 0), (5, 5), (10, 10), (11, 11), (25, 11)])
def test_a_plan_file_is_read_up_to_one_byte_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          size: int, read: int) -> None:
    """Whole when within the limit; one byte more than the limit shows a file over it, however
    big it is (and read() is never asked for the limit's worth of memory for a small file)."""
    from opsplan.load import source

    monkeypatch.setattr(source, "MAX_FILE_BYTES", 10)
    (tmp_path / "plan.yaml").write_bytes(bytes(range(65, 65 + size)))
    assert source.DirectorySource(tmp_path).read_bytes("plan.yaml") == bytes(range(65, 65 + read))


def test_a_plan_file_that_grows_while_it_is_read_is_read_on_up_to_the_limit(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from opsplan.load import source

    monkeypatch.setattr(source, "MAX_FILE_BYTES", 10)
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"abc")
    real_fstat = os.fstat

    def grown_after_fstat(descriptor: int) -> os.stat_result:
        found = real_fstat(descriptor)
        path.write_bytes(b"abcdefghijklmnop")  # it grows between the look at its size and the read
        return found

    monkeypatch.setattr(source.os, "fstat", grown_after_fstat)
    assert source.DirectorySource(tmp_path).read_bytes("plan.yaml") == b"abcdefghijk"
