"""What the bench scripts share: their command line and where their figures go."""

from __future__ import annotations

import argparse
import json
import os
import platform
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def run(name: str, doc: str, measure: Callable[[int], dict], table: Callable[[dict], str]) -> None:
    """Parse `--runs`, measure, write the figures to `bench/results/NAME.json` and print the table."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each contender (default 5)")
    result = measure(parser.parse_args().runs)
    save(name, result)
    print(table(result))


def save(name: str, result: dict) -> None:
    """Write a benchmark's figures to `bench/results/NAME.json`."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))


def machine(**versions: str) -> dict:
    """CPUs, load (the machine may be shared: a loaded one slows everything) and versions, to read figures by."""
    return {"cpus": os.cpu_count(), "load_average": os.getloadavg(), "python": platform.python_version(), **versions}
