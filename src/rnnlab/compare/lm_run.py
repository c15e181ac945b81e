"""One language model, one seed: fit with :class:`~rnnlab.lm.CharLM` on the text without
its held-out end, score that end once, and return a plain record for the comparison.

Split (chronological, as the text reads): [ train | validation | test ]. Validation picks
the best epoch (and early stopping); the test part is scored only at the end, so the
reported bits per character are held out (E3 reported training perplexity).
"""

from __future__ import annotations

import math
import time
from typing import Dict, Optional, Tuple

from ..data.text import Vocab, load_corpus, split_text
from ..data.text_sampling import TextSampler
from ..idle_settings import impl_given_to_all
from ..lm import CharLM, baseline_bits
from ..lm.model import perplexity_of_bits
from ..train.grad_norms import NORM_FIELDS
from .config import CompareConfig
from .cpu_time import cpu_fields
from .curves import curve_record
from .matching import lm_model_config, lm_train_config

LN2 = math.log(2)
# the one sample each model and seed writes (results.json; the report shows the first seed's)
SAMPLE_PREFIX, SAMPLE_LENGTH, SAMPLE_TEMPERATURE, SAMPLE_TOP_K = "the time ", 80, 0.8, 10


def corpus_parts(cfg: CompareConfig) -> Tuple[str, str, str]:
    """(train, validation, test) texts, identical for every model and seed."""
    text = load_corpus(cfg.data)
    if cfg.max_chars:
        text = text[: cfg.max_chars]
    fit_text, test = split_text(text, cfg.test_fraction)
    train, val = split_text(fit_text, cfg.val_fraction)
    return train, val, test


def vocab_size(cfg: CompareConfig) -> int:
    return len(Vocab.build(corpus_parts(cfg)[0], "char"))


def lm_baselines(cfg: CompareConfig) -> dict:
    """Bits per character on the test part: uniform over the vocabulary (log2 V, the
    floor every model must beat) and the n-grams trained on the training part."""
    train, _, test = corpus_parts(cfg)
    v = Vocab.build(train, "char")
    bits = {"uniform": math.log2(len(v)),
            **baseline_bits(v.encode(train), v.encode(test), len(v))}
    # perplexity too, as the models' rows have it (the baselines' column was empty)
    return {name: {"metrics": {"test_bpc": b, "test_ppl": perplexity_of_bits(b)}}
            for name, b in bits.items()}


def run_lm(cfg: CompareConfig, model: str, hidden: int, params: int, seed: int,
           device_settings: Optional[dict] = None, progress=False) -> dict:
    train, val, test = corpus_parts(cfg)
    tc = lm_train_config(cfg, seed, progress, **(device_settings or {}))
    t0 = time.perf_counter()
    lm = CharLM(lm_model_config(cfg, model, hidden))
    with impl_given_to_all():  # (a fused model's idle --impl: the comparison's own)
        lm.fit(train + val, tc)
    test_bpc = lm.bits_per_char(test)
    wall = time.perf_counter() - t0
    hist = lm.history
    seconds = hist[-1]["seconds"] if hist else float("nan")
    cpu = lm.info.get("train_cpu_seconds")  # (the loop's, to its end: rank 0's own)
    ids = lm._need_model()[1].encode(train)  # (the fitted vocabulary)
    import torch

    sampler = TextSampler(torch.tensor(ids), tc.batch_size, tc.seq_len, tc.sampling, seed)
    tokens = sum(sampler.num_batches(e) for e in range(len(hist))) * tc.batch_size * tc.seq_len
    in_bits = [{"epoch": r["epoch"], "train_loss": r["train_loss"] / LN2,
                "val_loss": None if r.get("val_loss") is None else r["val_loss"] / LN2,
                **{k: r.get(k) for k in NORM_FIELDS},  # (of the loss in nats, as trained)
                "cpu_seconds": r.get("cpu_seconds")}  # (the run's so far, as the forecast's)
               for r in hist]
    return {
        "model": model, "seed": seed, "hidden_size": hidden, "num_layers": lm.config.num_layers,
        "params": params, "path": lm.info.get("path", ""),
        "precision": lm.info.get("precision"),  # {layers: precision} as they trained
        "metrics": {"test_bpc": test_bpc, "test_ppl": perplexity_of_bits(test_bpc)},
        "train_seconds": seconds, "wall_seconds": wall,
        "steps_per_second": tokens / seconds if seconds else float("nan"),
        **cpu_fields(cpu, tokens),
        "best_epoch": lm.info.get("best_epoch"), "epochs_run": len(hist),
        "stop_reason": lm.info.get("stopped_by"), **curve_record(in_bits),
        "sample": _sample(lm, seed),
    }


def _sample(lm: CharLM, seed: int) -> str:
    """SAMPLE_LENGTH characters after SAMPLE_PREFIX; a model whose scores overflowed (it
    diverged, its loss still finite) has none, and the comparison goes on (it stopped there)."""
    from ..io.errors import RnnlabError

    try:
        return lm.generate(SAMPLE_PREFIX, SAMPLE_LENGTH, temperature=SAMPLE_TEMPERATURE,
                           top_k=SAMPLE_TOP_K, seed=seed)
    except RnnlabError as e:
        return f"(no sample: {e})"


def sample_notes(records) -> list:
    """One report line per language model: its first seed's sample, with how it was drawn
    (results.json held every seed's, and the report none)."""
    import json

    first: Dict[str, dict] = {}  # {model: its first seed's record}
    for r in sorted((r for r in records if "sample" in r), key=lambda r: r["seed"]):
        first.setdefault(r["model"], r)
    return [f"Sample of **{m}** (seed {r['seed']}; {SAMPLE_LENGTH} characters after "
            f"{SAMPLE_PREFIX!r}, each drawn at temperature {SAMPLE_TEMPERATURE} from the "
            f"{SAMPLE_TOP_K} likeliest): {json.dumps(r['sample'], ensure_ascii=False)}"
            for m, r in first.items()]
