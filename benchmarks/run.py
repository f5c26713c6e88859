"""Run every benchmark in this folder and print its figures.

Benchmarks measure; they never fail because the machine is slow (targets are printed next to
the figures, not asserted). A benchmark that crashes is a bug and does fail.
Usage: .venv/bin/python benchmarks/run.py [NAME ...]   (NAME = bench_<NAME>.py)
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    sys.path.insert(0, str(HERE.parent))
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    for script in scripts:
        print(f"\n## {script.stem}", flush=True)
        spec = importlib.util.spec_from_file_location(script.stem, script)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
