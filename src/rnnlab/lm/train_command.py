"""``rnnlab lm train``: the command that trains a language model into a run directory.

Where the run goes (``--out``, or ``--resume RUN_DIR`` with its saved options), what it
trains on (a text or a prepared, memory-mapped corpus, and the defaults the corpus sets),
whether it can be resumed, and the training itself with what it writes (model, metrics,
samples, loss plot). The parser is :func:`rnnlab.lm.cli.register`.
"""

from __future__ import annotations

import math
from pathlib import Path

from ..data.text import split_text
from ..io.atomic import atomic_write_json
from ..io.cli_options import save_options
from ..io.errors import RunDirError
from ..options import config_from_args
from ..warning_lines import print_warning
from .run_report import (plot_history, print_summary, unknown_share, warn_unknown_share,
                         write_metrics)
from .val_text import load_val_text, text_ids
from .sample_prefix import first_words, prefix_option as _prefix_option  # noqa: F401

DEFAULT_PREFIXES = ("the time traveller ", "the machine ")


def _configs(a):
    from .config import LMConfig, LMTrainConfig

    model = config_from_args(LMConfig, a)
    train = config_from_args(LMTrainConfig, a, sample_prefixes=tuple(a.prefix or DEFAULT_PREFIXES))
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

    from .cli import register  # (the parser's module imports this one)

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser.parse_args(["lm", "train"])


def _train_actions():
    import argparse

    from ..io.saved_option_check import command_actions
    from .cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return command_actions(parser, ["lm", "train"])


def _resolve_run_dir(a) -> None:
    """--resume RUN_DIR / --out: where the run is, and on resume its saved options."""
    from ..io.cli_options import resolve_run_dir

    a.out = str(resolve_run_dir(a, None, _train_defaults, RUNTIME_OPTIONS, "rnnlab lm train",
                                _train_actions))


def _load_training_data(corpus: str, val_fraction: float):
    """(data for CharLM.fit, its SHA-256): a text, or a prepared corpus folder (memory-mapped)."""
    from ..data.corpus_mmap import is_prepared, load_prepared
    from ..data.text import load_corpus
    from .fit_notes import data_identity

    data = load_prepared(corpus, val_fraction) if is_prepared(corpus) else load_corpus(corpus)
    return data, data_identity(data)  # (the identity CharLM.fit records, by one rule)


def _training_inputs(a):
    """(model config, train config, data, its SHA-256), with the defaults the corpus sets:
    a prepared corpus's split (unless --val-fraction is typed) and sample prefixes from the
    corpus's own first words (unless --prefix is given; time-machine keeps its own)."""
    import dataclasses

    from ..data.corpus_mmap import is_prepared, load_prepared

    typed = getattr(a, "given_options", None)
    if is_prepared(a.corpus) and typed is not None and "val_fraction" not in typed:
        a.val_fraction = load_prepared(a.corpus, verify=False).val_fraction
    model_cfg, train_cfg = _configs(a)
    data, sha = _load_training_data(a.corpus, train_cfg.val_fraction)
    start = first_words(data, model_cfg.level)
    from ..data.text import builtin_name

    if not a.prefix and builtin_name(a.corpus) != "time-machine" and start:
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


def cmd_train(a) -> int:
    """Train into a run directory. With --devices N (> 1) this process starts N workers
    (CharLM.fit) and writes the run directory itself; under torchrun every rank runs this
    function and only global rank 0 touches the run directory."""
    from ..io.previous_run import restoring_previous
    from ..io.resumed_marks import resumed_marks
    from ..io.rundir import RunLock, finish_run_dir, prepare_run_dir
    from ..train.launch_checks import is_main_process
    from .api import CharLM

    model_cfg, train_cfg, data, sha = _start(a)
    val = load_val_text(a)  # (the validation text given, its SHA-256; or None, None)
    main = is_main_process()  # torchrun: global rank 0; else this process
    run = Path(a.out)
    if a.resume:
        from .metrics_rows import EpochRows

        _check_resumable(run)
        EpochRows(str(run)).check()  # (a pipe or a folder for metrics.csv: refused now)
    lm = CharLM(model_cfg)
    # bad sizes, devices or prefixes (the samples drawn after training) fail before the run
    # directory changes; resumed, the checkpoint's vocabulary (not one of a changed corpus)
    unknown = _checked_unknown_share(lm, data, train_cfg, run, a, val[0])
    if main and unknown > 0.01:
        warn_unknown_share(unknown, lm)
    if main:
        inputs = [a.corpus] + ([a.val_text] if val[0] is not None else [])
        run = prepare_run_dir(a.out, overwrite=a.overwrite, resume=a.resume, inputs=inputs)
    if not main:  # another rank of a torchrun group: train, write nothing
        lm.fit(data, train_cfg, checkpoint_dir=run / "checkpoints", resume=a.resume,
               val_text=val[0])
        return 0
    # (Ctrl-C or an error before any result: the run --overwrite replaced comes back)
    with restoring_previous(run, when=not a.resume), RunLock(run):
        with resumed_marks(run, a.resume) as added:  # (resumed: unfinished, by this command,
            _record_run(run, a, model_cfg, train_cfg, sha, val[1])  # until it ends; the
            _fit(lm, data, train_cfg, run, a.resume, val[0])  # user's files: not its record)
        bits, samples = _write_results(run, lm, data, train_cfg, model_cfg.level, unknown, val[0])
        finish_run_dir(run, not_written=added)
    print_summary(run, lm, model_cfg.level, bits, samples, unknown)
    return 0


def _start(a):
    """(model config, train config, data, its SHA-256) of the run --out or --resume names,
    after the options that apply before them (--impl refused when unread, --threads)."""
    import torch

    from ..train.cli_args import refuse_unread_impl

    _resolve_run_dir(a)
    if a.resume:  # (a budget given anew: one the run trains on to exactly, as forecast's)
        from ..io.resume_budget import check_resume_budget

        check_resume_budget(a, Path(a.out))
    refuse_unread_impl(a)  # (resumed: the run's --model, with this command's --impl)
    a.resume = bool(a.resume)
    if a.threads:
        torch.set_num_threads(a.threads)
    return _training_inputs(a)


def _checked_unknown_share(lm, data, train_cfg, run: Path, a, val_text=None) -> float:
    """CharLM.check_fit before anything is written: the share of the validation part's
    tokens scored (all but its first, which only sets the context: as ``lm eval``'s) that
    the training part never has."""
    import warnings

    from ..train.launch_checks import OneProcessNote

    with warnings.catch_warnings():  # (a note fit gives again: said once, there)
        warnings.simplefilter("ignore", OneProcessNote)
        val_ids = lm.check_fit(data, train_cfg, run / "checkpoints", a.resume,
                               prefix_option=_prefix_option(a), samples_after=True,
                               val_text=val_text)[1]
        return unknown_share(val_ids[1:])


def _record_run(run: Path, a, model_cfg, train_cfg, sha: str, val_sha=None) -> None:
    """config.json (a resumed run's: the config it goes on with, the command that started
    it and each resume's; a changed corpus is warned of) and the command's options
    (cli.json)."""
    from ..io.rundir import record_resume, write_run_info
    from .config import to_dict

    old = None
    if a.resume and (run / "config.json").exists():
        from ..io.json_file import read_json

        old = read_json(run / "config.json", RunDirError, note_unverified=True)
    if old is not None and old.get("data_sha256") not in (None, sha):
        print_warning(f"rnnlab lm train: warning: {run}: the corpus differs from the run's "
                      f"(SHA-256 {str(old['data_sha256'])[:12]}… recorded, {sha[:12]}… now, "
                      f"read from {a.corpus})")  # (a record from elsewhere may name any file)
    config = {"corpus": a.corpus, "model": to_dict(model_cfg), "train": to_dict(train_cfg),
              "threads": a.threads, **({"val_text": a.val_text} if val_sha else {})}
    from ..train.device import record_device

    device = record_device(train_cfg.accelerator, train_cfg.device,  # (its GPU named: the
                           train_cfg.devices * train_cfg.num_nodes)  # record is written first)
    if old is None:
        write_run_info(run, config, train_cfg.seed, sha, val_data_sha256=val_sha, device=device)
    else:  # (the command that started it kept; this resume's listed, and its corpus)
        record_resume(run, config, data_sha256=sha, device=device)
    save_options(run, a)


def _fit(lm, data, train_cfg, run: Path, resume: bool, val_text=None) -> None:
    """CharLM.fit, its stops saying the command line that goes on."""
    import warnings

    from ..train.stops import TrainingDiverged, TrainingInterrupted
    from .inputs import FitInputNote
    from .metrics_rows import EpochRows

    try:
        with warnings.catch_warnings():  # (said by the checks before the run started)
            warnings.simplefilter("ignore", FitInputNote)
            lm.fit(data, train_cfg, checkpoint_dir=run / "checkpoints", resume=resume,
                   val_text=val_text, on_epoch=EpochRows(str(run)))  # (metrics.csv grows)
    except TrainingInterrupted as e:
        raise e.with_resume_command(_resume_command(run)) from None
    except TrainingDiverged as e:
        said = TrainingDiverged(f"{e}. On the command line: add --on-nonfinite skip "
                                f"(resume: {_resume_command(run)} --on-nonfinite skip)")
        said.history = e.history
        raise said from None


def _write_results(run: Path, lm, data, train_cfg, level: str, unknown: float,
                   val_text=None):
    """((validation bits per token, on its known tokens alone), the samples drawn) after
    writing the model, metrics, samples and loss plot (the caller then marks the run
    finished)."""
    lm.save(run / "model", overwrite=True)  # the run directory's own (a resumed run)
    bits = _validation_bits(lm, data, train_cfg, level, unknown, val_text)
    samples = {p: lm.generate(p, 300, temperature=0.8, top_k=10, seed=train_cfg.seed + i)
               for i, p in enumerate(train_cfg.sample_prefixes)}
    import warnings

    with warnings.catch_warnings():  # (the same prefixes: their warnings were given just above)
        warnings.simplefilter("ignore", UserWarning)
        samples_greedy = {p: lm.generate(p, 200, temperature=0)
                          for p in train_cfg.sample_prefixes}
    atomic_write_json(run / "samples.json", {"temperature_0.8_top_k_10": samples,
                                             "greedy": samples_greedy})
    plot_history(lm.history, lm.baselines, run / "loss.png")
    # last: metrics.json says the run finished (`rnnlab runs`); a full disk or a kill
    # before it leaves a run that says it is not
    write_metrics(run, lm, bits[0], unknown, bits[1])
    return bits, samples


def _validation_bits(lm, data, train_cfg, level: str, unknown: float, val_text=None) -> tuple:
    """Bits per token of the validation part (of a text: its unknown characters included,
    as the warning says; of a prepared corpus: the memory-mapped part, read in chunks),
    and with ``unknown`` tokens in it, on its known tokens alone (as ``lm eval``'s
    ``bpc_known``; NaN where every one scored is unknown), else None."""
    from ..io.errors import DataError

    if val_text is not None or isinstance(data, str):  # (the text given, or the part carved)
        ids = text_ids(val_text if val_text is not None else
                       split_text(data, train_cfg.val_fraction, level)[1], lm.vocab)
    else:
        ids = data.val_ids
    total, n = lm.nll_ids(ids)
    known = None
    if unknown:  # (each scored as the unknown token: many bits, however rare they are)
        try:
            k_total, k_n = lm.nll_ids(ids, skip_unknown=True)
            known = k_total / k_n / math.log(2)
        except DataError:  # every token scored is unknown
            known = math.nan
    return total / n / math.log(2), known
