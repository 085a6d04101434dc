"""How long the command line takes to start: `accord --help` and `accord verify FILE` (a
small record, from `accord demo`), each run N times as a fresh process.

    python benchmarks/startup.py [--runs 15] [--baseline DIR]

`--baseline DIR` also times the `src/` of another checkout (e.g. a `git worktree` of an
earlier commit), interleaving the runs so both see the same load; the table gives the
median, the fastest run and the ratio. Each is timed twice: with the project's bytecode
cached (as after `pip install`; kept under a temporary PYTHONPYCACHEPREFIX), and compiling
the project's sources at every start (PYTHONDONTWRITEBYTECODE=1, as in a checkout run
that way). Results in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(src: Path, args: list[str], cache: Path | None) -> float:
    env = dict(os.environ, PYTHONPATH=str(src))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env["PYTHONPYCACHEPREFIX"] = str(cache)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "accord", *args], env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"accord {' '.join(args)} failed ({done.returncode}) with {src}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    options = parser.parse_args()
    trees = {"this tree": ROOT / "src"}
    if options.baseline is not None:
        trees = {"baseline": options.baseline / "src", **trees}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "accord", "demo", "--out", tmp], check=True,
            env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), stdout=subprocess.DEVNULL,
        )  # fmt: skip
        record = next(Path(tmp).glob("*[0-9].accord.jsonl"))
        commands = {"accord --help": ["--help"], "accord verify FILE": ["verify", str(record)]}
        modes = {"bytecode cached": True, "no bytecode": False}
        caches = {label: Path(tmp) / f"pycache-{k}" for k, label in enumerate(trees)}
        times: dict[tuple[str, str, str], list[float]] = {}
        for label, src in trees.items():  # warm the file cache and the bytecode
            for args in commands.values():
                _run(src, args, caches[label])
        for _ in range(options.runs):
            for mode, cached in modes.items():
                for name, args in commands.items():
                    for label, src in trees.items():
                        elapsed = _run(src, args, caches[label] if cached else None)
                        times.setdefault((mode, name, label), []).append(elapsed)
    print(f"{options.runs} runs each, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print("| command | project bytecode | tree | median (s) | fastest (s) | vs baseline |")
    print("|---|---|---|---:|---:|---:|")
    for mode in modes:
        for name in commands:
            base = statistics.median(times[(mode, name, "baseline")]) if options.baseline else 0
            for label in trees:
                runs = times[(mode, name, label)]
                median = statistics.median(runs)
                ratio = f"{median / base:.2f}x" if base else "-"
                print(f"| `{name}` | {mode} | {label} | {median:.3f} | {min(runs):.3f} | {ratio} |")


if __name__ == "__main__":
    main()
