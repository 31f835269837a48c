"""Time `opsplan diff` between two commits of a generated plan against one `opsplan check`.

    python benchmarks/bench_diff.py                    # 10,000 processes, 3 runs each
    python benchmarks/bench_diff.py --processes 40000 --repeat 5

The plan (benchmarks/generate.py) is committed to a temporary git repository, then a second
commit changes budget amounts, a cycle time and a goal target. `opsplan diff` checks both
revisions, read from git objects, and compares them, so about twice one check is the
expectation. Numbers are medians of wall time; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def change_first(path: Path, pattern: str, replacement: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(pattern, replacement, text, count=count), encoding="utf-8")


def timed(command: list[str], cwd: Path, repeat: int) -> tuple[float, int]:
    times, code = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        code = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              check=False).returncode
        times.append(time.perf_counter() - started)
    return statistics.median(times), code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="opsplan-bench-diff-") as folder:
        repo = Path(folder)
        plan = repo / "plan"
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(args.processes), str(plan)],
                       check=True, stdout=subprocess.DEVNULL)
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "base")
        budget_files = sorted((plan / "budgets").rglob("*.yaml"))
        process_files = sorted((plan / "processes").rglob("*.yaml"))
        change_first(budget_files[0], r"amount: ([0-9_]+)", r"amount: \g<1>1", count=50)
        change_first(process_files[0], r"cycle_time: \S+", "cycle_time: 3w")
        change_first(plan / "goals.yaml", r"target: ([0-9.]+)", r"target: \g<1>1", count=5)
        git(repo, "commit", "-q", "-am", "change")

        opsplan = [sys.executable, "-m", "opsplan"]
        check, check_code = timed([*opsplan, "check", "plan"], repo, args.repeat)
        diff, diff_code = timed([*opsplan, "diff", "HEAD~1", "HEAD", "plan"], repo, args.repeat)
        if diff_code != 0:
            print(f"opsplan diff exited {diff_code}", file=sys.stderr)
            return 1
        print(f"| {args.processes:,} processes | seconds (median of {args.repeat}) |")
        print("|---|---:|")
        print(f"| opsplan check (exit {check_code}) | {check:.2f} |")
        print(f"| opsplan diff HEAD~1 HEAD | {diff:.2f} |")
        print(f"| diff / check | {diff / check:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
