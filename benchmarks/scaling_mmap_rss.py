"""Peak memory of `lm prepare` and of memory-mapped training vs corpus size.

    python benchmarks/scaling_mmap_rss.py gen SIZE_MB OUT.txt     # shuffled tiny-Shakespeare lines
    python benchmarks/scaling_mmap_rss.py prepare OUT.txt DIR     # = rnnlab lm prepare, + peak RSS
    python benchmarks/scaling_mmap_rss.py train DIR SAMPLING STEPS

``train`` runs the real training loop (rnnlab.train.fit on LMTask/TextSampler over the
memmap, as CharLM.fit does) for STEPS optimizer steps whose batch indices are spread
evenly over the whole epoch (step k trains batch k * num_batches // STEPS), so with
sequential sampling the B streams read windows across the entire file; validation is on
the first 100,000 tokens of the held-out part (a full pass over 10% of 2 GB is hours on
CPU). Each command prints one JSON line with its peak RSS (ru_maxrss).
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def gen(size_mb: float, out: str) -> None:
    from rnnlab.data.text import load_corpus

    lines = load_corpus("shakespeare").splitlines(keepends=True)
    rng = random.Random(0)
    target, written = int(size_mb * 2**20), 0
    with open(out, "w", encoding="utf-8") as f:
        while written < target:
            block = rng.sample(lines, len(lines))
            s = "".join(block)
            f.write(s)
            written += len(s.encode("utf-8"))
    print(json.dumps({"cmd": "gen", "bytes": written}))


def prepare(src: str, out: str) -> None:
    from rnnlab.data.corpus_mmap import prepare_corpus

    t0 = time.perf_counter()
    c = prepare_corpus(src, out)
    print(json.dumps({"cmd": "prepare", "tokens": c.meta["tokens"], "seconds": round(time.perf_counter() - t0, 1),
                      "peak_rss_mb": round(peak_rss_mb(), 1)}))


class SpreadTask:
    """An LMTask limited to ``steps`` batches spread evenly over the epoch."""

    def __init__(self, task, steps: int):
        self.task, self.steps = task, steps

    def num_batches(self, epoch):
        return min(self.steps, self.task.num_batches(epoch))

    def get_batch(self, epoch, index):
        return self.task.get_batch(epoch, index * self.task.num_batches(epoch) // self.steps)

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        return self.task.train_loss(model, batch, carry)

    def validate(self, model):
        return self.task.validate(model)


def train(folder: str, sampling: str, steps: int) -> None:
    import torch

    from rnnlab.data.corpus_mmap import load_prepared
    from rnnlab.data.text_sampling import TextSampler
    from rnnlab.lm import LMConfig, LMNet
    from rnnlab.lm.task import LMTask
    from rnnlab.train import TrainConfig, fit

    torch.set_num_threads(1)
    c = load_prepared(folder)
    rss0 = peak_rss_mb()
    torch.manual_seed(0)
    net = LMNet(LMConfig(hidden_size=128, num_layers=1, embedding=32, dropout=0.0), len(c.vocab))
    sampler = TextSampler(c.train_ids, 32, 100, sampling, seed=0)
    task = SpreadTask(LMTask(net, sampler, c.val_ids[:100_000], 16, torch.device("cpu")), steps)
    t0 = time.perf_counter()
    hist = fit(net, task, TrainConfig(epochs=1, lr=2e-3, progress=False))
    print(json.dumps({"cmd": "train", "sampling": sampling, "tokens": c.meta["tokens"],
                      "num_batches_in_epoch": sampler.num_batches(0), "steps": hist.steps,
                      "train_loss": round(hist.epochs[0]["train_loss"], 3),
                      "seconds": round(time.perf_counter() - t0, 1),
                      "rss_after_open_mb": round(rss0, 1), "peak_rss_mb": round(peak_rss_mb(), 1)}))


if __name__ == "__main__":
    from script_help import answer_help

    answer_help(__doc__)
    cmd, *rest = sys.argv[1:]
    if cmd == "gen":
        gen(float(rest[0]), rest[1])
    elif cmd == "prepare":
        prepare(rest[0], rest[1])
    elif cmd == "train":
        train(rest[0], rest[1], int(rest[2]))
    else:
        raise SystemExit(__doc__)
