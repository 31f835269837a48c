"""Time opsplan's commands on generated plans of growing size, against two floors measured in the
same run, and print a Markdown table.

    python benchmarks/run.py                       # 1k, 10k and 40k processes, 3 runs each
    python benchmarks/run.py --sizes 1000 10000 --repeat 5 --out benchmarks/out

Floors: (a) composing the same YAML files with libyaml (`yaml.compose`, `CSafeLoader`), the least
any checker that reports line numbers must do; (b) `check-jsonschema` validating the same files
against our schemas (install it with `pip install -e '.[bench]'`), the usual peer in CI.
Commands this opsplan does not have are skipped. Numbers are medians; memory is the peak RSS of
the command's process. Nothing here asserts a time: the numbers are for people to read.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
COMPOSE_FLOOR = (
    "import sys, pathlib, yaml\n"
    "for path in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
    "    yaml.compose(path.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
)


# `pip install` compiles opsplan's bytecode, so users never pay for compiling its modules; an
# editable checkout run with PYTHONDONTWRITEBYTECODE set would compile every module on every run
# (about 40 ms of start-up). Measure what an installed opsplan does: bytecode compiled once, kept.
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def compile_bytecode() -> None:
    import compileall

    compileall.compile_dir(str(REPO / "opsplan"), quiet=1)


def measure(command: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in KiB, and exit code of one run of ``command``."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=ENVIRONMENT)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, process.returncode


def median_run(command: list[str], repeat: int, cwd: Path | None = None) -> tuple[float, int, int]:
    runs = [measure(command, cwd) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]


def opsplan_has(command: str) -> bool:
    result = subprocess.run([sys.executable, "-m", "opsplan", command, "--help"], capture_output=True, check=False)
    return result.returncode == 0


def prepare(size: int, out: Path) -> Path:
    """A generated plan in a git repository with two commits (the second moves one budget line)."""
    plan = out / f"plan-{size}"
    if not (plan / "opsplan.yaml").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), str(plan), "--force"], check=True)
    if not (plan / ".git").exists():
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
        subprocess.run([*git, "init", "-q"], cwd=plan, check=True)
        subprocess.run([*git, "add", "-A"], cwd=plan, check=True)
        subprocess.run([*git, "commit", "-qm", "base"], cwd=plan, check=True)
        goals = plan / "goals.yaml"
        goals.write_text(goals.read_text(encoding="utf-8").replace("due: 2029-12-31", "due: 2029-09-30", 1),
                         encoding="utf-8")
        subprocess.run([*git, "commit", "-qam", "move a goal"], cwd=plan, check=True)
    return plan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 40000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--no-targets", action="store_true", help="only the table of commands, not the targets")
    from targets import add_arguments, table

    add_arguments(parser)
    compile_bytecode()
    arguments = parser.parse_args()
    arguments.out.mkdir(parents=True, exist_ok=True)
    (arguments.out / "no-actuals").mkdir(exist_ok=True)
    opsplan = [sys.executable, "-m", "opsplan"]
    commands = {
        "check": ["check", "{plan}"],
        # The same without the year of CSV actuals: what the floors, which read YAML only, compare with.
        "check, plan files only": ["check", "{plan}", "--actuals", "{out}/no-actuals"],
        "compile": ["compile", "{plan}", "-o", "{out}/compiled.json"],
        "graph --format dot": ["graph", "{plan}", "--format", "dot", "-o", "{out}/graph.dot"],
        "report --format json": ["report", "{plan}", "--format", "json", "--as-of", "2027-12-31",
                                 "-o", "{out}/report.json"],
        "diff": ["diff", "HEAD~1", "HEAD", "{plan}"],
    }
    available = {name: args for name, args in commands.items() if opsplan_has(args[0])}
    beside = Path(sys.executable).parent / "check-jsonschema"
    check_jsonschema = str(beside) if beside.exists() else shutil.which("check-jsonschema")
    rows: list[str] = []
    for size in arguments.sizes:
        plan = prepare(size, arguments.out)
        files = sorted(str(path) for path in plan.rglob("*.yaml") if ".git" not in path.parts)
        floor_a = median_run([sys.executable, "-c", COMPOSE_FLOOR, str(plan)], arguments.repeat)
        rows.append(f"| {size:,} | floor (a) yaml.compose, CSafeLoader | {floor_a[0]:.2f} | 1.00 | {floor_a[1] / 1024:.0f} |")
        if check_jsonschema:
            root = [f for f in files if f.endswith("/opsplan.yaml")]
            others = [f for f in files if not f.endswith("/opsplan.yaml")]
            schemas = REPO / "schemas"
            started = time.perf_counter()
            peak = 0
            for schema, group in (("opsplan.schema.json", root), ("plan.schema.json", others)):
                _, rss, _ = measure([check_jsonschema, "--schemafile", str(schemas / schema), *group])
                peak = max(peak, rss)
            elapsed = time.perf_counter() - started
            rows.append(f"| {size:,} | floor (b) check-jsonschema | {elapsed:.2f} | {elapsed / floor_a[0]:.2f} | {peak / 1024:.0f} |")
        for name, args in available.items():
            command = [*opsplan, *(a.format(plan=plan, out=arguments.out) for a in args)]
            seconds, rss, code = median_run(command, arguments.repeat, cwd=plan if name == "diff" else None)
            note = "" if code in (0, 1) else f" (exit {code})"
            rows.append(f"| {size:,} | opsplan {name}{note} | {seconds:.2f} | {seconds / floor_a[0]:.2f} | {rss / 1024:.0f} |")
        print(f"measured {size:,} processes", file=sys.stderr)

    acme = REPO / "plans" / "acme"
    startup = median_run([*opsplan, "check", str(acme)], max(arguments.repeat, 5))
    imports = median_run([sys.executable, "-c", "import yaml, jsonschema, click"], max(arguments.repeat, 5))
    skipped = [name for name in commands if name not in available]
    print(f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}\n")
    print("| processes | command | median s | x floor (a) | peak RSS MiB |")
    print("|---:|---|---:|---:|---:|")
    print("\n".join(rows))
    print(f"\nStart-up: `opsplan check plans/acme` {startup[0]:.3f} s against "
          f"`python -c \"import yaml, jsonschema, click\"` {imports[0]:.3f} s: {startup[0] / imports[0]:.2f}x")
    if skipped:
        print(f"\nNot measured (no such command in this opsplan): {', '.join(skipped)}")
    if not check_jsonschema:
        print("\nfloor (b) not measured: install check-jsonschema (`pip install -e '.[bench]'`)")
    if not arguments.no_targets:
        print("\n## Targets\n")
        print(table(arguments.out, arguments.sizes, arguments.repeat, arguments.ledger_rows, arguments.cache_size,
                    arguments.big_ledger_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
