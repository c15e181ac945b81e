"""Throughput (tokens/s) and data-parallel scaling of language-model training on CPU.

    python benchmarks/scaling_lm.py [--steps 60] [--repeats 3] [--out results.json]

For each configuration the real training loop (rnnlab.train.fit with LMTask/TextSampler
on tiny Shakespeare, as CharLM.fit runs it, DDP over gloo when 2 processes) trains STEPS
optimizer steps; each process uses torch.set_num_threads(1). The time is rank 0's wall
clock from a barrier after setup to the end of the last step (process start-up, data
encoding and validation excluded; validation is switched off). tokens/s = global batch x
seq_len x steps / time. Strong scaling keeps the global batch (32 rows) fixed; weak
scaling keeps 32 rows per process. Efficiency = tokens/s(2) / (2 x tokens/s(1)).
"""

from __future__ import annotations

import json
import os
import time


class _NoVal:
    def __init__(self, task):
        self.task = task

    def __getattr__(self, name):
        return getattr(self.task, name)

    def validate(self, model):
        return None


def worker(ctx, batch, seq_len, steps, hidden, result_path):
    import torch
    import torch.distributed as dist

    from rnnlab.data.text import Vocab, load_corpus
    from rnnlab.data.text_sampling import TextSampler
    from rnnlab.lm import LMConfig, LMNet
    from rnnlab.lm.task import LMTask
    from rnnlab.train import TrainConfig, fit

    torch.set_num_threads(1)
    text = load_corpus("shakespeare")
    vocab = Vocab.build(text)
    ids = torch.tensor(vocab.encode(text))
    torch.manual_seed(0)
    net = LMNet(LMConfig(model="lstm", hidden_size=hidden, num_layers=1, embedding=64,
                         dropout=0.0), len(vocab))
    sampler = TextSampler(ids, batch, seq_len, "sequential", seed=0)

    class Limited(_NoVal):
        def num_batches(self, epoch):
            return steps

    task = Limited(LMTask(net, sampler, ids[:1000], 1, ctx.device))
    if ctx.active:
        dist.barrier()
    t0 = time.perf_counter()
    hist = fit(net, task, TrainConfig(epochs=1, lr=2e-3, progress=False),
               dist=ctx if ctx.active else None, device=ctx.device)
    secs = time.perf_counter() - t0
    if ctx.is_main:
        with open(result_path, "w") as f:
            json.dump({"seconds": secs, "steps": hist.steps,
                       "train_loss": hist.epochs[0]["train_loss"]}, f)
    if ctx.active:
        dist.barrier()


def measure(procs, batch, seq_len, steps, hidden, tmp):
    from rnnlab.train.distributed import DeviceConfig, launch

    from rnnlab.io.errors import RnnlabError

    path = os.path.join(tmp, f"r{procs}-{batch}.json")
    for attempt in range(3):  # a shared machine: another job may take the rendezvous port
        try:
            launch(worker, (batch, seq_len, steps, hidden, path),
                   DeviceConfig(accelerator="cpu", devices=procs))
            break
        except RnnlabError as e:
            print(f"retrying after: {str(e).splitlines()[0]}", flush=True)
    else:
        raise RuntimeError("3 failed attempts")
    with open(path) as f:
        r = json.load(f)
    r["tokens_per_s"] = batch * seq_len * r["steps"] / r["seconds"]
    return r


def main():
    import tempfile

    from script_help import script_parser  # (no abbreviations)

    ap = script_parser()
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seq-len", type=int, default=100)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    load = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, procs, batch in [("1 process", 1, 32), ("2 processes, strong (global 32)", 2, 32),
                                   ("2 processes, weak (global 64)", 2, 64)]:
            runs = [measure(procs, batch, a.seq_len, a.steps, a.hidden, tmp)["tokens_per_s"]
                    for _ in range(a.repeats)]
            rows.append({"config": name, "processes": procs, "global_batch": batch,
                         "tokens_per_s_runs": [round(r) for r in runs],
                         "tokens_per_s_best": round(max(runs))})
            print(json.dumps(rows[-1]), flush=True)
    base = rows[0]["tokens_per_s_best"]
    for r in rows[1:]:
        r["efficiency"] = round(r["tokens_per_s_best"] / (r["processes"] * base), 3)
    out = {"loadavg_before": load, "loadavg_after": os.getloadavg(), "cpus": os.cpu_count(),
           "steps": a.steps, "seq_len": a.seq_len, "hidden": a.hidden, "rows": rows}
    print(json.dumps(out, indent=1))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
