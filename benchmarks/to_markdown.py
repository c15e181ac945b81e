"""Turn ``rnnlab bench --json`` files into the tables of BENCHMARKS.md.

Usage: python benchmarks/to_markdown.py benchmarks/results/cpu-*.json
"""

import sys

sys.path.insert(0, __import__('os').path.dirname(__file__))
from script_help import answer_help  # noqa: E402

answer_help(__doc__)

from rnnlab.bench.cli import format_row, header
from rnnlab.bench.record import load_results

for path in sys.argv[1:]:
    try:  # checked: a file that is not one says so, not a KeyError
        data, rows = load_results(path)
    except ValueError as e:
        sys.exit(f"to_markdown.py: {e}")
    load = data.get("load_average")
    load = "n/a" if load is None else " ".join(f"{x:.2f}" for x in load)
    reps = {r.config for r in rows}
    print(f"`{path}`: {', '.join(sorted(reps))}; torch {data.get('torch')}, "
          f"{data.get('device')} ({data.get('where')}), {data.get('dtype')}, "
          f"{data.get('threads')} threads; "
          f"load average at the start (1, 5, 15 min): {load}"
          + ("; interrupted: the run did not finish, its rows are those measured before"
             if data.get("interrupted") is True else "") + "\n")
    counted = all(r.steps is not None for r in rows)  # (older files: T*B, rows say so)
    print(header(data.get("lengths", "full") if counted else "full"))
    for row in rows:
        print(format_row(row))
    print()
