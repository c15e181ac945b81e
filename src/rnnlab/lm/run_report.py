"""What ``rnnlab lm train`` writes and prints about a trained model: the bits-per-token
table beside the n-gram baselines, metrics.csv / metrics.json, and the loss plot
(torch-free: ``rnnlab lm``'s parser imports it)."""

from __future__ import annotations

import math
from pathlib import Path

from ..io.atomic import atomic_write_json, atomic_write_text
from ..warning_lines import print_warning


def perplexity_of_bits(bits: float) -> float:
    """2 ** bits per token: the perplexity; inf where it passes the float range (a model
    that diverged but stayed finite), never an OverflowError."""
    return 2.0 ** bits if bits < 1000 else math.inf


def format_perplexity(ppl: float) -> str:
    return f"{ppl:.2f}" if ppl < 1e6 else f"{ppl:.3g}"


# at word level every token is counted: words, but also each punctuation mark and each run
# of whitespace (the tokenizer keeps them, so that the text can be written back)
WORD_TOKENS_NOTE = ("(word level: a token is a word, a punctuation mark or a run of whitespace, "
                    "and each counts: the perplexity is per token, not per word)")


def bits_unit(level: str) -> str:
    """The unit the bits are in: per character, or at word level per token (not per word:
    see WORD_TOKENS_NOTE)."""
    return "bits per char" if level == "char" else "bits per token"


def bpc_table(model_bpc: float, baselines: dict, unit: str = "bits per char") -> str:
    rows = [("model", model_bpc)] + [(k, v) for k, v in baselines.items()]
    lines = [f"{'':<10} {unit:>14} {'perplexity':>11}"]
    lines += [f"{name:<10} {b:>14.3f} {format_perplexity(perplexity_of_bits(b)):>11}"
              for name, b in rows]
    return "\n".join(lines)


def behind_note(model_bpc: float, baselines: dict) -> str:
    """Why a model behind a baseline is (a few seconds of training: the table showed the
    model below the unigram's letter counts without a word); "" when it beats them all."""
    if not baselines or round(model_bpc, 3) <= round(min(baselines.values()), 3):
        return ""  # (at the table's 3 decimals: a tie there is no "behind")
    best = min(baselines, key=lambda name: baselines[name])
    return (f"the model is behind the {best} baseline (counts of the training part): it has "
            f"learnt little yet; train it longer (--minutes, --epochs) or larger (--hidden-size)")


def eval_table(result: dict, baselines: dict, note: str = "") -> str:
    """What ``rnnlab lm eval`` prints: the text scored, the model's bits per token and
    perplexity (with the training corpus's n-gram baselines beside it, as ``lm train``
    prints them), and the unknown tokens (``note``: a line more on them)."""
    unit = result["unit"]
    level = unit.rsplit(" ", 1)[-1]
    n, parts = result["tokens"], result.get("streams", 1)
    lines = [f"{result.get('scored', result['text'])}: {n:,} {level}{'s' * (n != 1)} scored " + (
        f"(in {parts} parts side by side, each from a fresh state; --streams 1: one state "
        f"throughout)" if parts > 1 else "(one state throughout)")]
    lines.append(bpc_table(result["bpc"], {}, unit))
    if level == "token":
        lines.append(WORD_TOKENS_NOTE)
    if baselines:
        lines.append(f"(baselines on the model's own validation part: "
                     f"{', '.join(f'{k} {v:.3f}' for k, v in baselines.items())})")
    if result["unknown_distinct"] or result["unknown_share"]:
        from ..data.text import token_repr

        shown = (f"{result['unknown_distinct']} distinct: "
                 + ", ".join(token_repr(t) for t in result["unknown_tokens"][:10])
                 if result["unknown_distinct"] else "which: a prepared corpus keeps only ids")
        lines.append(f"unknown: {result['unknown_share']:.2%} of the {level}s ({shown}), "
                     f"each scored as the unknown token; " + (
                         f"on the {result['tokens_known']:,} known {level}"
                         f"{'s' * (result['tokens_known'] != 1)} alone: "
                         f"{result['bpc_known']:.3f} {unit}" if result["tokens_known"]
                         else f"none of the {level}s scored is known"))
    if note:
        lines.append(f"note: {note}")
    lines.append("(--json prints these numbers as JSON)")
    return "\n".join(lines)


def unknown_share(ids) -> float:
    """The share of ``ids`` that are the unknown token (id 0); a memory-mapped array (a
    prepared corpus) is read in chunks, so memory does not grow with it."""
    import numpy as np

    flat, step = np.asarray(ids).reshape(-1), 1 << 24  # (asarray keeps a memmap a view)
    unknown = sum(int(np.count_nonzero(flat[i:i + step] == 0)) for i in range(0, flat.size, step))
    return unknown / max(1, flat.size)


def write_metrics(run: Path, lm, val_bpc: float, val_unknown: float = 0.0,
                  val_bpc_known=None) -> None:
    """metrics.csv (one row per epoch) and metrics.json (the run's numbers;
    ``val_bpc_known``: the bits on the validation part's known tokens alone, None
    without unknown ones)."""
    from .metrics_rows import metrics_csv

    try:
        atomic_write_text(run / "metrics.csv", metrics_csv(lm.history))  # (as written per epoch)
    except PermissionError:
        import sys

        if sys.platform != "win32":
            raise
        # Windows: open in another program (Excel), it cannot be replaced; the command failed
        # here, after the whole training, with no metrics.json (the run was left unfinished)
        print(f"rnnlab: note: {run / 'metrics.csv'} is open in another program (Excel?), and "
              f"Windows does not let it be replaced: it may lack the rows of the epochs that "
              f"ended while it was open; metrics.json has every epoch's (epochs_detail)",
              file=sys.stderr)
    atomic_write_json(run / "metrics.json", {
        "val_bpc": val_bpc, "val_perplexity": perplexity_of_bits(val_bpc),
        "unit": bits_unit(lm.config.level),  # (val_bpc and the baselines': per token at word level)
        "val_unknown_share": val_unknown,
        "val_bpc_known": val_bpc if val_bpc_known is None else val_bpc_known,
        "baselines_bpc": lm.baselines,
        **lm.info, "epochs_detail": [{k: v for k, v in dict(
            r, cpu_seconds=r.get("cpu_seconds")).items() if k != "samples"}
            for r in lm.history],  # (cpu_seconds None: unknown, resumed from an earlier rnnlab)
        "samples_during_training": {r["epoch"]: r["samples"] for r in lm.history if "samples" in r},
    })


def vocab_cut(lm):
    """The model's ``max_vocab`` when its vocabulary is that size (the training part's
    rarer tokens left out: read as the unknown token, which the model then learns to
    predict), else None."""
    cap = lm.config.max_vocab
    return cap if cap is not None and lm.vocab is not None and len(lm.vocab) >= cap else None


def print_summary(run: Path, lm, level: str, bits: tuple, samples: dict,
                  unknown: float) -> None:
    """What ``rnnlab lm train`` prints at its end: the validation bits (``bits``: all, and
    on the known tokens alone or None) beside the baselines, the samples, the run."""
    from ..data.text import token_noun

    unit = bits_unit(level)
    val_bpc, known = bits
    print(f"validation {unit}: {val_bpc:.3f} (perplexity "
          f"{format_perplexity(perplexity_of_bits(val_bpc))}) after "
          f"{lm.info['epochs']} epoch{'' if lm.info['epochs'] == 1 else 's'}, {lm.info['train_seconds'] / 60:.1f} min "
          f"(best epoch {lm.info['best_epoch']}; stopped by {lm.info['stopped_by']}; "
          f"{lm.info['world_size']} process(es); recurrent path {lm.info['path']})")
    print(bpc_table(val_bpc, lm.baselines, unit))
    behind = behind_note(val_bpc, lm.baselines or {})
    if behind:
        print(f"note: {behind}")
    if known is not None:  # (below the warning's 1% too: one unknown weighs many bits)
        noun = token_noun(level)
        cut = vocab_cut(lm)
        why = "the training part never has them" if cut is None else \
            f"outside the vocabulary --max-vocab {cut} kept"
        print(f"unknown: {unknown:.2%} of the validation {noun}s ({why}), each scored as the "
              f"unknown token; on the known {noun}s alone: "
              + (f"{known:.3f} {unit}" if known == known else "none scored"))
    if level == "word":
        print(WORD_TOKENS_NOTE)
    if not lm.baselines:  # (CharLM.fit: their count tables would hold the whole corpus)
        print("(no n-gram baselines for a prepared corpus; `rnnlab lm train --corpus` on the "
              "text file prints them)")
    for p, s in samples.items():
        print(f"sample: {s!r}")
    print(f"run written to {run}")


def plot_history(history: list, baselines: dict, path: Path) -> None:
    from ..pyplot_agg import pyplot

    plt = pyplot()

    if not history:
        return
    ep = [r["epoch"] for r in history]
    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    ax[0].plot(ep, [r["train_loss"] / math.log(2) for r in history], label="train")
    ax[0].plot(ep, [r["val_bpc"] for r in history], label="validation")
    for name, b in baselines.items():
        ax[0].axhline(b, ls="--", lw=0.8, color="gray")
        ax[0].text(ep[0], b, f" {name}", va="bottom", fontsize=8, color="gray")
    ax[0].set_xlabel("epoch")
    ax[0].set_ylabel("bits per token")
    ax[0].legend()
    ax[1].plot(ep, [r["val_ppl"] for r in history], color="C1")
    ax[1].set_xlabel("epoch")
    ax[1].set_ylabel("validation perplexity")
    fig.tight_layout()
    from ..io.atomic import atomic_write_figure

    try:
        atomic_write_figure(path, fig, dpi=100)
    finally:
        plt.close(fig)


def warn_unknown_share(unknown: float, lm) -> None:
    import sys

    from ..data.text import token_noun

    noun, cut = token_noun(lm.config.level), vocab_cut(lm)
    if cut is not None:  # (the rarer tokens trained as the unknown token: no surprise)
        print(f"rnnlab lm train: note: {unknown:.1%} of the validation part are {noun}s "
              f"outside the {cut} --max-vocab keeps; each is read as the one unknown token, "
              f"as the training part's rarer {noun}s are (so the model learns to predict "
              f"it): the bits are over that smaller vocabulary, comparable only with "
              f"models of the same one", file=sys.stderr)
        return
    print_warning(f"rnnlab lm train: warning: {unknown:.1%} of the validation part are "
                  f"{noun}s the training part never has; each is scored as the one unknown "
                  f"token (which training never predicts: many bits each), so the "
                  f"validation bits measure the vocabulary as much as the model (`rnnlab lm "
                  f"eval` prints the bits on the known {noun}s alone)")
