"""``python benchmarks/SCRIPT.py --help`` prints the script's docstring (its usage) and exits,
for the scripts that read their few arguments by position (they started a run, or failed
on ``float('--help')``)."""

import sys


def answer_help(doc: str) -> None:
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        print((doc or "").strip())
        raise SystemExit(0)
