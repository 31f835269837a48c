"""Files that arrive in a pull request are hostile: links out of the plan are not followed, an
output never replaces a device or an input, a revision that cannot be read is not "no change",
and plans are found, scaffolded and shown the way a user expects."""

from __future__ import annotations

import json
import os
import stat
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
