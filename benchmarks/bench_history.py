"""Time `opsplan history` over a long history of a generated plan: is the cost per commit flat?

    python benchmarks/bench_history.py                          # 2,000 commits, 1,000 processes
    python benchmarks/bench_history.py --commits 500 --processes 1000

The plan (benchmarks/generate.py, with its actuals) is the first commit; every further commit
changes one followed value in one file, in turn a goal's target in goals.yaml, a KPI's target
in a processes file and a department's cap in a budget file, so that a quarter of the commits
ease a goal. Commits are written with one `git fast-import`, so generating the history takes
seconds. The run is timed over the whole history and over its first half: with a linear walk the
time per commit of both is the same. Numbers are medians of wall time; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FOLLOWED = re.compile(r"(target|cap): (\d+(?:\.\d+)?)")


def generate(folder: Path, processes: int) -> dict[str, str]:
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(processes), str(folder), "--force"],
                   check=True, capture_output=True)
    return {path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _blob(text: str) -> bytes:
    data = text.encode("utf-8")
    return b"data %d\n" % len(data) + data + b"\n"


def history_stream(files: dict[str, str], commits: int) -> bytes:
    """A fast-import stream: the plan, then ``commits`` commits changing one followed value each."""
    chunks: list[bytes] = []
    when = 1_798_761_600  # 2027-01-01

    kinds = [path for path in files if path == "goals.yaml"] + \
            [next(path for path in files if path.startswith("processes/"))] + \
            [next(path for path in files if path.startswith("budgets/"))]
    state = dict(files)
    chunks.append(b"commit refs/heads/main\nmark :1\n")
    chunks.append(b"committer Plan Owner <owner@example.com> %d +0000\n" % when)
    chunks.append(_blob("The plan"))
    for path, text in files.items():
        chunks.append(f"M 100644 inline plan/{path}\n".encode())
        chunks.append(_blob(text))
    for number in range(1, commits + 1):
        path = kinds[number % len(kinds)]
        matches = list(FOLLOWED.finditer(state[path]))
        match = matches[(number // len(kinds) * 7) % len(matches)]
        value = float(match.group(2))
        step = 1 if number % 2 else -1
        new = f"{match.group(1)}: {int(value) + step}"
        state[path] = state[path][:match.start()] + new + state[path][match.end():]
        chunks.append(b"commit refs/heads/main\nmark :%d\n" % (number + 1))
        chunks.append(b"committer Plan Owner <owner@example.com> %d +0000\n" % (when + number * 3600))
        chunks.append(_blob(f"Change {number}"))
        chunks.append(b"from :%d\n" % number)
        chunks.append(f"M 100644 inline plan/{path}\n".encode())
        chunks.append(_blob(state[path]))
    return b"".join(chunks)


def timed(command: list[str], cwd: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="opsplan-bench-history-") as folder:
        top = Path(folder)
        repo = top / "repo"
        repo.mkdir()
        started = time.perf_counter()
        files = generate(top / "plan", options.processes)
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
        subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, check=True,
                       input=history_stream(files, options.commits))
        subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=repo, check=True)
        print(f"history of {options.commits:,} commits on a {options.processes:,}-process plan "
              f"written in {time.perf_counter() - started:.1f} s")
        opsplan = [sys.executable, "-m", "opsplan", "history", "plan", "--format", "json"]
        half = options.commits // 2
        whole = timed(opsplan, repo, options.repeat)
        second = timed([*opsplan, "--since", f"main~{half}"], repo, options.repeat)
        print(f"whole history ({options.commits + 1:,} commits): {whole:.2f} s, "
              f"{whole / (options.commits + 1) * 1000:.2f} ms per commit")
        print(f"last {half:,} commits (--since main~{half}, which parses the plan once): {second:.2f} s, "
              f"{second / half * 1000:.2f} ms per commit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
