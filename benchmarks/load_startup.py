#!/usr/bin/env python
# Usage: python benchmarks/load_startup.py OLD_SRC NEW_SRC [--rounds 5]
"""What a process that only loads a saved model costs under two rnnlab sources: a fresh
Python that imports rnnlab, loads a saved ``Forecaster`` and forecasts (what ``rnnlab
forecast --run DIR`` does), and one that loads a saved ``CharLM`` and generates 200
characters (``rnnlab lm generate``). Interleaved rounds (old, new, old, new...), so the
machine's load falls on both alike; the child's CPU time (user + system, less sensitive to
the load than its wall time) and wall time, medians and ratios new / old; whether the
child imported ``torch._dynamo``; and whether both sources gave the same forecast and
text. The two models are fitted once, small, with NEW_SRC, into a temporary folder."""
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from script_help import answer_help  # noqa: E402

FIT = r"""
import sys
from rnnlab import CharLM, Forecaster, load_corpus
Forecaster("lstm", epochs=3, ensemble=2, progress=False).fit("airline").save(sys.argv[1] + "/f")
CharLM(hidden_size=32, num_layers=2).fit(load_corpus("time-machine")[:20000], epochs=1,
                                         seq_len=50, progress=False).save(sys.argv[1] + "/l")
"""

LOAD = {"forecaster": r"""
import json, sys
from rnnlab import Forecaster
out = Forecaster.load(sys.argv[1] + "/f").predict().tolist()
print(json.dumps({"dynamo": "torch._dynamo" in sys.modules, "out": out}))
""", "charlm": r"""
import json, sys
from rnnlab import CharLM
out = CharLM.load(sys.argv[1] + "/l").generate("the time ", 200, temperature=0.8, seed=1)
print(json.dumps({"dynamo": "torch._dynamo" in sys.modules, "out": out}))
"""}


def child(src: str, code: str, folder: str) -> dict:
    env = dict(os.environ, PYTHONPATH=os.path.abspath(src))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, folder], env=env, check=True,
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]), cpu=cpu, wall=wall)


def main() -> None:
    answer_help(__doc__)
    from script_help import script_parser  # (no abbreviations)

    ap = script_parser()
    ap.add_argument("old_src")
    ap.add_argument("new_src")
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    folder = tempfile.mkdtemp(prefix="load-bench-")
    env = dict(os.environ, PYTHONPATH=os.path.abspath(a.new_src))
    subprocess.run([sys.executable, "-c", FIT, folder], env=env, check=True,
                   capture_output=True)
    for what, code in LOAD.items():
        runs = {"old": [], "new": []}
        for _ in range(a.rounds):
            for name, src in (("old", a.old_src), ("new", a.new_src)):
                runs[name].append(child(src, code, folder))
        med = {k: {m: statistics.median(r[m] for r in v) for m in ("cpu", "wall")}
               for k, v in runs.items()}
        for k in ("old", "new"):
            print(f"{what} {k}: CPU {med[k]['cpu']:.2f} s, wall {med[k]['wall']:.2f} s "
                  f"(medians of {a.rounds}), torch._dynamo imported: {runs[k][-1]['dynamo']}")
        print(f"{what} ratio new/old: CPU {med['new']['cpu'] / med['old']['cpu']:.2f}, "
              f"wall {med['new']['wall'] / med['old']['wall']:.2f}; same output: "
              f"{all(r['out'] == runs['old'][0]['out'] for v in runs.values() for r in v)}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
