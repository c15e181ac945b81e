"""``rnnlab lm train | generate | eval``: character language models from the command line."""

from __future__ import annotations

import json
import math
from pathlib import Path

from ..data.text import split_text
from ..io.atomic import atomic_write_json, finite_json
from ..io.cli_options import save_options
from ..io.errors import RunDirError
from ..options import add_options, config_from_args
from ..train.cli_args import at_least, threads_count
from .run_report import (bpc_table, eval_table, format_perplexity, perplexity_of_bits,
                         plot_history, unknown_share, write_metrics)

DEFAULT_PREFIXES = ("the time traveller ", "the machine ")
# LMTrainConfig fields whose options rnnlab forecast has too (where they are no config
# fields): written by train/cli_args.py's add_run_args and add_device_args
SHARED_OPTIONS = ("checkpoint_every", "on_nonfinite", "accelerator", "devices", "num_nodes",
                  "strategy", "precision")
MAX_GENERATE = 1_000_000  # lm generate -n: more is refused (minutes of output; see cmd_generate)


def register(sub) -> None:
    from .config import LMConfig, LMTrainConfig

    lm = sub.add_parser("lm", help="character language models: train, generate, eval",
                        description="Character (or word) language models on any UTF-8 text.")
    lsub = lm.add_subparsers(dest="lm_command", metavar="SUBCOMMAND")
    lm.set_defaults(func=lambda a: (lm.print_help(), 2)[1])

    p = lsub.add_parser("train", help="train a language model into a run directory")
    p.add_argument("--corpus", default="time-machine",
                   help="built-in corpus (time-machine, shakespeare), a UTF-8 text file, or a "
                        "folder written by `rnnlab lm prepare` (memory-mapped, any size)")
    # the options that set an LMConfig / LMTrainConfig field are declared on the field
    # (config.py); those rnnlab forecast shares come from add_run_args / add_device_args
    add_options(p, LMConfig)
    add_options(p, LMTrainConfig, skip=SHARED_OPTIONS)
    p.add_argument("--prefix", action="append", default=None,
                   help="prefix for the samples (repeatable; default: the corpus's first words, "
                        "or 'the time traveller ' and 'the machine ' for time-machine)")
    p.add_argument("--threads", type=threads_count, default=None,
                   help="CPU threads for torch (default: torch's; 1 is faster on a busy machine)")
    p.add_argument("--out", default=None, help="run directory to write (required unless "
                                                   "--resume RUN_DIR)")
    from ..train.cli_args import add_device_args, add_run_args

    add_run_args(p)
    add_device_args(p)
    p.set_defaults(func=cmd_train)

    q = lsub.add_parser("prepare", help="encode a large text file for memory-mapped training",
                        description="Encode a UTF-8 text file, read in chunks (3 streaming passes), into a "
                                    "memory-mapped array of token ids plus its vocabulary "
                                    "(character level); train on it with `lm train --corpus DIR`.")
    q.add_argument("corpus", help="UTF-8 text file (.gz accepted) or built-in corpus name")
    q.add_argument("--out", required=True, help="folder to write (tokens.bin, vocab.json, corpus.json)")
    q.add_argument("--val-fraction", type=float, default=LMTrainConfig.val_fraction,
                   help="the last part held out for validation; the vocabulary is built over "
                        "the rest (train with the same --val-fraction)")
    q.add_argument("--overwrite", action="store_true", help="replace an existing prepared folder")
    q.set_defaults(func=cmd_prepare)

    g = lsub.add_parser("generate", help="generate text from a trained model")
    g.add_argument("--run", required=True, help="run directory (or its model/ folder)")
    g.add_argument("--prefix", required=True, help="text that warms the state up")
    g.add_argument("-n", type=at_least(0, "a number of tokens"), default=200,
                   help=f"characters (words at word level) to generate, at most "
                        f"{MAX_GENERATE:,} (default 200); printed as they are drawn")
    g.add_argument("--temperature", type=float, default=0.8, help="0 = greedy")
    g.add_argument("--top-k", type=int, default=None)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--threads", type=threads_count, default=None, help="CPU threads for torch")
    g.set_defaults(func=cmd_generate)

    e = lsub.add_parser("eval", help="perplexity and bits per character of a text")
    e.add_argument("--run", required=True, help="run directory (or its model/ folder)")
    e.add_argument("--text", required=True, help="UTF-8 text file or built-in corpus name")
    e.add_argument("--threads", type=threads_count, default=None, help="CPU threads for torch")
    e.add_argument("--json", action="store_true",
                   help="print one JSON object (for scripts) instead of the table")
    e.set_defaults(func=cmd_eval)


def _model_dir(run: str) -> Path:
    p = Path(run)
    return p / "model" if (p / "model" / "model.json").is_file() else p


def _configs(a):
    from .config import LMConfig, LMTrainConfig

    model = config_from_args(LMConfig, a)
    train = config_from_args(LMTrainConfig, a, sample_prefixes=tuple(a.prefix or DEFAULT_PREFIXES),
                             progress=not a.no_progress)
    return model, train


# options a resumed run may take from the current command line (when given there): how
# it runs, and its budget (--epochs 30 --resume RUN_DIR trains on); the others come from
# the run's cli.json, so the run goes on exactly as it started
RUNTIME_OPTIONS = ("accelerator", "devices", "num_nodes", "strategy", "precision", "threads",
                   "no_progress", "checkpoint_every", "on_nonfinite", "device", "sample_every",
                   "epochs", "minutes", "impl")


def _resume_command(run: Path) -> str:
    """What continues the run: its options are in RUN_DIR/cli.json."""
    import shlex

    return f"rnnlab lm train --resume {shlex.quote(str(run))}"


def _train_defaults():
    import argparse

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser.parse_args(["lm", "train"])


def _resolve_run_dir(a) -> None:
    """--resume RUN_DIR / --out: where the run is, and on resume its saved options."""
    from ..io.cli_options import resolve_run_dir

    a.out = str(resolve_run_dir(a, None, _train_defaults, RUNTIME_OPTIONS, "rnnlab lm train"))


def _load_training_data(corpus: str, val_fraction: float):
    """(data for CharLM.fit, its SHA-256): a text, or a prepared corpus folder (memory-mapped)."""
    from ..data.corpus_mmap import is_prepared, load_prepared
    from ..data.text import load_corpus
    from ..io.rundir import data_hash

    if is_prepared(corpus):
        prepared = load_prepared(corpus, val_fraction)
        return prepared, prepared.meta["source_sha256"]
    text = load_corpus(corpus)
    return text, data_hash(text)


def _training_inputs(a):
    """(model config, train config, data, its SHA-256), with the defaults the corpus sets:
    a prepared corpus's split (unless --val-fraction is typed) and sample prefixes from the
    corpus's own first words (unless --prefix is given; time-machine keeps its own)."""
    import dataclasses

    from ..data.corpus_mmap import is_prepared, load_prepared

    typed = getattr(a, "given_options", None)
    if is_prepared(a.corpus) and typed is not None and "val_fraction" not in typed:
        a.val_fraction = load_prepared(a.corpus).val_fraction
    model_cfg, train_cfg = _configs(a)
    data, sha = _load_training_data(a.corpus, train_cfg.val_fraction)
    if not a.prefix and a.corpus != "time-machine" and isinstance(data, str) and data.strip():
        start = " ".join(data.split()[:3])[:24] + " "
        train_cfg = dataclasses.replace(train_cfg, sample_prefixes=(start,))
    return model_cfg, train_cfg, data, sha


def _check_resumable(run: Path) -> None:
    """A run to resume has a checkpoint (latest.json, or a checkpoint folder: the newest
    complete one is taken, with a note); otherwise say what to do instead."""
    from ..train.checkpoint import has_complete_checkpoint

    if has_complete_checkpoint(run / "checkpoints"):
        return
    if (run / "checkpoints").is_dir() and any((run / "checkpoints").iterdir()):
        raise RunDirError(f"{run}: checkpoints/latest.json (which names the checkpoint to "
                          f"resume) is missing; start the run again with --overwrite (the "
                          f"run is kept aside until the new one finishes)")
    raise RunDirError(f"{run}: nothing to resume (no checkpoints/latest.json): the run "
                      f"stopped before its first checkpoint. Start it again: the same "
                      f"command without --resume (its --out is taken over as it is)")


def cmd_prepare(a) -> int:
    import shutil
    import time

    from ..data.corpus_mmap import is_prepared, prepare_corpus
    from ..data.text import BUILTIN_CORPORA

    out = Path(a.out)
    if out.exists() and any(out.iterdir()):
        if not (a.overwrite and is_prepared(out)):
            raise RunDirError(f"{out}: exists and is not empty; use --overwrite (only replaces "
                              f"a prepared corpus folder) or another --out")
        shutil.rmtree(out)
    src = a.corpus
    if src in BUILTIN_CORPORA:
        src = Path(__file__).resolve().parent.parent / "data" / "builtin" / BUILTIN_CORPORA[src][0]
    t0 = time.perf_counter()
    c = prepare_corpus(src, out, val_fraction=a.val_fraction)
    print(f"prepared {c.meta['tokens']:,} characters ({c.meta['train_tokens']:,} for training), "
          f"vocabulary {len(c.vocab)}, {c.meta['dtype']} ids, in "
          f"{time.perf_counter() - t0:.1f} s -> {out}")
    return 0


def cmd_train(a) -> int:
    """Train into a run directory. With --devices N (> 1) this process starts N workers
    (CharLM.fit) and writes the run directory itself; under torchrun every rank runs this
    function and only global rank 0 touches the run directory."""
    import os

    import torch

    from ..io.rundir import RunLock, finish_run_dir, prepare_run_dir, write_run_info
    from .api import CharLM
    from .config import to_dict

    _resolve_run_dir(a)
    a.resume = bool(a.resume)
    if a.threads:
        torch.set_num_threads(a.threads)
    model_cfg, train_cfg, data, sha = _training_inputs(a)
    main = int(os.environ.get("RANK", "0")) == 0  # torchrun: global rank; else this process
    run = Path(a.out)
    if a.resume:
        _check_resumable(run)
    lm = CharLM(model_cfg)  # on --resume the vocabulary is rebuilt from the same text
    # bad sizes or devices fail before the run directory changes
    unknown = unknown_share(lm.check_fit(data, train_cfg)[1])
    if main and unknown > 0.01:
        import sys

        print(f"rnnlab lm train: warning: {unknown:.1%} of the validation part are "
              f"{model_cfg.level}s the training part never has; each is scored as the one "
              f"unknown token, so the validation bits understate how hard they are",
              file=sys.stderr)
    if main:
        run = prepare_run_dir(a.out, overwrite=a.overwrite, resume=a.resume,
                              inputs=[a.corpus])
    if not main:  # another rank of a torchrun group: train, write nothing
        lm.fit(data, train_cfg, checkpoint_dir=run / "checkpoints", resume=a.resume)
        return 0
    with RunLock(run):
        old = None
        if a.resume and (run / "config.json").exists():
            from ..io.json_file import read_json

            old = read_json(run / "config.json", RunDirError, note_unverified=True)
        if old is not None and old.get("data_sha256") not in (None, sha):
            import sys

            print(f"rnnlab lm train: warning: {run}: the corpus differs from the run's (SHA-256 "
                  f"{str(old['data_sha256'])[:12]}… recorded, {sha[:12]}… now)", file=sys.stderr)
        if old is None:  # a resumed run keeps the record of how it started
            write_run_info(run, {"corpus": a.corpus, "model": to_dict(model_cfg),
                                 "train": to_dict(train_cfg), "threads": a.threads},
                           train_cfg.seed, sha)
        save_options(run, a)
        from ..train.loop import TrainingDiverged, TrainingInterrupted

        try:
            lm.fit(data, train_cfg, checkpoint_dir=run / "checkpoints", resume=a.resume)
        except TrainingInterrupted as e:
            raise e.with_resume_command(_resume_command(run)) from None
        except TrainingDiverged as e:
            raise TrainingDiverged(f"{e}. On the command line: add --on-nonfinite skip "
                                   f"(resume: {_resume_command(run)} --on-nonfinite skip)") from None
        lm.save(run / "model", overwrite=True)  # the run directory's own (a resumed run)
        if isinstance(data, str):
            _, val_text = split_text(data, train_cfg.val_fraction)
            val_bpc = lm.bits_per_char(val_text)
        else:  # a prepared corpus: the memory-mapped validation part, read in chunks
            total, n = lm.nll_ids(data.val_ids)
            val_bpc = total / n / math.log(2)
        write_metrics(run, lm, val_bpc, unknown)
        samples = {p: lm.generate(p, 300, temperature=0.8, top_k=10, seed=train_cfg.seed + i)
                   for i, p in enumerate(train_cfg.sample_prefixes)}
        samples_greedy = {p: lm.generate(p, 200, temperature=0) for p in train_cfg.sample_prefixes}
        atomic_write_json(run / "samples.json", {"temperature_0.8_top_k_10": samples,
                                                 "greedy": samples_greedy})
        plot_history(lm.history, lm.baselines, run / "loss.png")
        finish_run_dir(run)
    unit = "bits per char" if model_cfg.level == "char" else "bits per word"
    print(f"validation {unit}: {val_bpc:.3f} (perplexity "
          f"{format_perplexity(perplexity_of_bits(val_bpc))}) after "
          f"{lm.info['epochs']} epochs, {lm.info['seconds'] / 60:.1f} min "
          f"(best epoch {lm.info['best_epoch']}; stopped by {lm.info['stopped_by']}; "
          f"{lm.info['world_size']} process(es); recurrent path {lm.info['path']})")
    print(bpc_table(val_bpc, lm.baselines, unit))
    for p, s in samples.items():
        print(f"sample: {s!r}")
    print(f"run written to {run}")
    return 0


def _set_threads(n) -> None:
    if n:
        import torch

        torch.set_num_threads(n)


def cmd_generate(a) -> int:
    """The prefix, then each token as it is drawn (flushed: a long run shows progress and
    ``| head`` stops it early)."""
    import sys

    from .api import CharLM
    from .generate import check_prefix, stream, unknown_note

    if a.n > MAX_GENERATE:
        raise ValueError(f"-n {a.n:,} is more than the {MAX_GENERATE:,} tokens one command "
                         f"generates (about a minute of output at CPU speed; {a.n:,} would take "
                         f"days). For more, run it again with --prefix set to the end of the "
                         f"last output and another --seed, or call CharLM.load(RUN).generate(...) "
                         f"(no cap) from Python")
    _set_threads(a.threads)
    lm = CharLM.load(_model_dir(a.run))
    unknown = check_prefix(lm.vocab, a.prefix)
    if unknown:
        print(f"rnnlab lm generate: warning: {unknown_note(lm.vocab, unknown)}", file=sys.stderr)
    pieces = stream(lm.net, lm.vocab, a.prefix, a.n, a.temperature, a.top_k, a.seed)
    sys.stdout.write(a.prefix)
    for piece in pieces:
        sys.stdout.write(piece)
        sys.stdout.flush()
    sys.stdout.write("\n")
    sys.stdout.flush()
    return 0


def cmd_eval(a) -> int:
    from ..data.text import load_corpus
    from .api import CharLM

    _set_threads(a.threads)
    lm = CharLM.load(_model_dir(a.run))
    text = load_corpus(a.text)
    total, n = lm.nll(text)
    bpc = total / n / math.log(2)
    unk = lm.vocab.unknown(text)
    result = {
        "text": a.text, "tokens": n, "perplexity": perplexity_of_bits(bpc), "bpc": bpc,
        "unit": f"bits per {lm.config.level}",  # "bpc" is per token: a word at word level
        "unknown_share": unknown_share(lm.vocab.encode(text)), "unknown_distinct": len(unk),
        "unknown_tokens": unk[:50]}
    if getattr(a, "json", False):
        print(json.dumps(finite_json(result), ensure_ascii=False))
    else:
        print(eval_table(result, lm.baselines))
    return 0
