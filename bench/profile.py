"""Profiles of the pipeline's processes under load, with py-spy, and their summaries (top functions by share).

`bench.http --profile DIR` records one gunicorn worker, the relay and each consumer during one measurement
(`py-spy record --nonblocking --format raw`: sampled without pausing the process, idle threads left out) and
prints each summary; `python -m bench.profile FILE...` summarizes recorded files again. py-spy reads another
process's memory, so it needs ptrace rights (root, or CAP_SYS_PTRACE).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

RATE = 100  # samples per second
_LINE = re.compile(r" \(([^()]*?):\d+\)$")


def start(pids: Mapping[str, int], seconds: float, directory: Path) -> list[subprocess.Popen[bytes]]:
    """py-spy recording each process (label: pid) for `seconds`, to DIRECTORY/label.txt."""
    directory.mkdir(parents=True, exist_ok=True)
    py_spy = str(Path(sys.executable).with_name("py-spy"))
    return [
        subprocess.Popen(  # noqa: S603 - the pinned dev tool, on our own processes
            [
                py_spy,
                "record",
                *options(seconds),
                "--pid",
                str(pid),
                "-o",
                str(directory / f"{label.replace(' ', '-')}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for label, pid in pids.items()
    ]


def options(seconds: float) -> list[str]:
    return ["--nonblocking", "--format", "raw", "--rate", str(RATE), "--duration", str(max(1, int(seconds)))]


PROJECT = ("gateway", "services", "tenants")


def function(frame: str) -> tuple[str, bool]:
    """`name (path/to/module.py:123)` as `name (module.py)`, one entry per function whatever the line, and
    whether it is the project's own code."""
    found = _LINE.search(frame)
    if found is None:
        return frame, False
    path = found.group(1)
    parts = Path(path).parts  # py-spy names a module under the working directory by its relative path
    ours = "site-packages" not in parts and any(part in PROJECT for part in parts)
    return f"{frame[: found.start()]} ({Path(path).name})", ours


def shares(lines: Sequence[str]) -> tuple[int, Counter[str], Counter[str]]:
    """(samples, samples per function as the running frame, samples per project function on the stack)."""
    total, own, inclusive = 0, Counter[str](), Counter[str]()
    for line in lines:
        stack, _, count_text = line.rstrip().rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count, frames = int(count_text), [function(frame) for frame in stack.split(";")]
        total += count
        own[frames[-1][0]] += count
        for name in {name for name, ours in frames if ours}:
            inclusive[name] += count
    return total, own, inclusive


def summary(path: Path, top: int = 12) -> str:
    total, own, inclusive = shares(path.read_text().splitlines())
    if not total:
        return f"{path.stem}: no samples"
    lines = [f"{path.stem}: {total} samples ({total / RATE:.0f} s of running threads at {RATE}/s)"]
    lines.append("  own time (the running function):")
    lines += [f"    {100 * count / total:5.1f} %  {name}" for name, count in own.most_common(top)]
    lines.append("  inclusive, the project's functions (time in them and in what they call):")
    lines += [f"    {100 * count / total:5.1f} %  {name}" for name, count in inclusive.most_common(top * 2)]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Summarize py-spy raw profiles: top functions by share.")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args(argv)
    for path in args.files:
        print(summary(path, args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
