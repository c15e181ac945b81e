"""Turn ``rnnlab bench --json`` files into the tables of BENCHMARKS.md.

Usage: python benchmarks/to_markdown.py benchmarks/results/cpu-*.json
"""

import json
import sys

from rnnlab.bench.cli import HEADER, format_row
from rnnlab.bench.suite import Result

for path in sys.argv[1:]:
    with open(path) as f:
        data = json.load(f)
    load = data.get("load_average")
    load = "n/a" if load is None else " ".join(f"{x:.2f}" for x in load)
    reps = {r["config"] for r in data["rows"]}
    print(f"`{path}`: {', '.join(sorted(reps))}; torch {data['torch']}, {data['device']} "
          f"({data['where']}), {data['dtype']}, {data['threads']} threads; "
          f"load average at the start (1, 5, 15 min): {load}\n")
    print(HEADER)
    for row in data["rows"]:
        print(format_row(Result(**row)))
    print()
