#!/usr/bin/env python
# Usage: python benchmarks/checkpoint_io.py OLD_SRC NEW_SRC [--saves 40] [--rounds 5] [--dir D]
"""A training checkpoint's save (``CheckpointManager.save``: what ``rnnlab forecast`` and
``rnnlab lm train`` write at every epoch's end) under two rnnlab sources: the time per
save and its fsync calls, in interleaved rounds (each round one process per source, so
the machine's load falls on both alike), and whether the two wrote the same bytes.
The state saved is the default forecaster's (an LSTM of 16 and its head, Adam's state
after one step, an RNG state, a 40-epoch history), built from a fixed seed.

OLD_SRC, NEW_SRC: the ``src/`` folders to import rnnlab from (e.g. ``git archive main
src | tar -x -C /tmp/old`` gives /tmp/old/src). ``--dir``: where the checkpoints go
(default: a temporary folder; fsync's cost is the file system's, so put it where runs go).
Prints the median and fastest per-save times, the ratios new / old, the fsyncs per save,
and ``same files: True`` when every file of the last checkpoint matches: byte for byte,
but for the order of the metadata keys in ``train_state.safetensors``'s header, which
safetensors varies from process to process (and so that file's SHA-256 in ``meta.json``)."""
import json
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from script_help import answer_help  # noqa: E402

CHILD = r"""
import hashlib, json, os, sys, time
from pathlib import Path
import torch
fsyncs = [0]
real = os.fsync
def counted(fd):
    fsyncs[0] += 1
    return real(fd)
os.fsync = counted
from rnnlab.train.checkpoint import CheckpointManager
torch.manual_seed(0)
net, head = torch.nn.LSTM(1, 16, batch_first=True), torch.nn.Linear(16, 12)
params = [*net.parameters(), *head.parameters()]
opt = torch.optim.Adam(params)
(net(torch.randn(4, 12, 1))[0].sum() + head(torch.randn(3, 16)).sum()).backward()
opt.step()
weights = {**{f"body.{k}": v for k, v in net.state_dict().items()},
           **{f"head.{k}": v for k, v in head.state_dict().items()}}
state = {"optimizer": opt.state_dict(), "rng": {"torch": torch.get_rng_state()},
         "history": {"epochs": [{"epoch": i, "val_loss": 1.0 / (i + 1)} for i in range(40)]},
         "epoch": 1, "index": 0, "carry": None}
folder, saves = Path(sys.argv[1]), int(sys.argv[2])
m = CheckpointManager(folder)
m.save(0, weights, state, {"epoch": 0})  # (warm-up: the imports, the folder)
fsyncs[0] = 0
t0 = time.perf_counter()
for i in range(1, saves + 1):
    m.save(i, weights, state, {"epoch": i})
seconds = (time.perf_counter() - t0) / saves
def canonical(path):
    # safetensors writes a header of several metadata keys in an order that changes from
    # process to process (save_tree's two: a run of the same rnnlab differs there too), so
    # its header is compared with sorted keys; meta.json records that file's SHA-256
    data = path.read_bytes()
    if path.suffix == ".safetensors":
        n = int.from_bytes(data[:8], "little")
        data = json.dumps(json.loads(data[8:8 + n]), sort_keys=True).encode() + data[8 + n:]
    elif path.name == "meta.json":
        meta = json.loads(data)
        meta["files"].pop("train_state.safetensors")
        meta.pop("_sha256", None)
        data = json.dumps(meta, sort_keys=True).encode()
    return hashlib.sha256(data).hexdigest()
last = folder / f"ckpt-{saves:08d}"
digests = {p.name: canonical(p) for p in sorted(last.iterdir())}
digests["latest.json"] = canonical(folder / "latest.json")
raw = (last / "model.safetensors").read_bytes()  # (one metadata key: byte for byte)
digests["model.safetensors bytes"] = hashlib.sha256(raw).hexdigest()
print(json.dumps({"seconds": seconds, "fsyncs": fsyncs[0] / saves, "files": digests}))
"""


def one(src: str, folder: str, saves: int) -> dict:
    env = dict(os.environ, PYTHONPATH=os.path.abspath(src))
    out = subprocess.run([sys.executable, "-c", CHILD, folder, str(saves)], env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    answer_help(__doc__)
    from script_help import script_parser  # (no abbreviations)

    ap = script_parser()
    ap.add_argument("old_src")
    ap.add_argument("new_src")
    ap.add_argument("--saves", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--dir", default=None)
    a = ap.parse_args()
    base = tempfile.mkdtemp(prefix="ckpt-bench-", dir=a.dir)
    runs = {"old": [], "new": []}
    for r in range(a.rounds):
        for name, src in (("old", a.old_src), ("new", a.new_src)):
            runs[name].append(one(src, os.path.join(base, f"{name}{r}"), a.saves))
    med = {k: statistics.median(x["seconds"] for x in v) for k, v in runs.items()}
    low = {k: min(x["seconds"] for x in v) for k, v in runs.items()}
    for k in ("old", "new"):
        print(f"{k}: {med[k] * 1e3:.1f} ms per save (median of {a.rounds} rounds of "
              f"{a.saves}), fastest round {low[k] * 1e3:.1f} ms, "
              f"{runs[k][-1]['fsyncs']:.0f} fsyncs per save")
    print(f"ratio new/old: median {med['new'] / med['old']:.2f}, "
          f"fastest {low['new'] / low['old']:.2f}")
    print(f"same files: {runs['old'][-1]['files'] == runs['new'][-1]['files']}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
