"""``rnnlab lm train | prepare | generate | eval``: character language models, command line.

This module holds the parser and ``lm generate``; ``lm train`` itself is
:mod:`rnnlab.lm.train_command`, ``lm prepare`` :mod:`rnnlab.lm.prepare_command`, ``lm eval``
:mod:`rnnlab.lm.eval_command`.
"""

from __future__ import annotations

import sys

from ..io.encoded_input import add_encoding_option
from ..config_option import add_config_option
from ..io.errors import OptionError
from ..options import add_options
from ..train.cli_args import at_least, positive_number, seed_number, threads_count
from .eval_command import _prepared_ids, cmd_eval  # noqa: F401  (_prepared_ids: kept here)
from ..warning_lines import print_warning
from .prepare_command import cmd_prepare
from .run_model import model_dir, set_threads
from .train_command import (DEFAULT_PREFIXES, RUNTIME_OPTIONS, _configs,  # noqa: F401
                            cmd_train)

# LMTrainConfig fields whose options rnnlab forecast has too (where they are no config
# fields): written by train/cli_args.py's add_run_args and add_device_args
SHARED_OPTIONS = ("checkpoint_every", "on_nonfinite", "accelerator", "devices", "num_nodes",
                  "strategy", "precision")
MAX_GENERATE = 1_000_000  # lm generate -n: more is refused (minutes of output; see cmd_generate)


def register(sub) -> None:
    lm = sub.add_parser("lm", help="character or word language models: train, prepare, "
                                   "generate, eval",
                        description="Character (or word) language models on any UTF-8 text.")
    lsub = lm.add_subparsers(dest="lm_command", metavar="SUBCOMMAND")
    lm.set_defaults(func=lambda a: (lm.print_help(sys.stderr), 2)[1])  # (no subcommand)
    for add in (_add_train, _add_prepare, _add_generate, _add_eval):
        add(lsub)


def _add_train(lsub) -> None:
    from .config import LMConfig, LMTrainConfig

    p = lsub.add_parser("train", help="train a language model into a run directory",
                        description="Train a language model on a text into a run directory "
                                    "(--out): model/, metrics.json, samples.json, loss.png, "
                                    "config.json (options, seed, versions) and checkpoints/ "
                                    "(--resume continues them). Example: rnnlab lm train "
                                    "--corpus time-machine --minutes 5 --out runs/lm")
    p.add_argument("--corpus", default="time-machine",
                   help="built-in corpus (time-machine, shakespeare alias tiny-shakespeare: "
                        "`rnnlab datasets`), a UTF-8 text file (.gz, .bz2, .xz, .zip too; - reads standard "
                        "input), or a "
                        "folder written by `rnnlab lm prepare` (memory-mapped, any size) "
                        "(default time-machine)")
    # the options that set an LMConfig / LMTrainConfig field are declared on the field
    # (config.py); those rnnlab forecast shares come from add_run_args / add_device_args
    add_options(p, LMConfig)
    add_options(p, LMTrainConfig, skip=SHARED_OPTIONS)
    p.add_argument("--val-text", default=None, metavar="FILE_OR_NAME",
                   help="validate on this text (a corpus's own validation file: "
                        "ptb.char.valid.txt; a UTF-8 file, - for standard input, or a "
                        "built-in corpus) while all of --corpus trains, instead of holding "
                        "--val-fraction of it out; "
                        "not with --val-fraction or a prepared corpus")
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
    add_config_option(p)  # (--config FILE)
    add_encoding_option(p)  # (--encoding cp1252: its input files)
    p.set_defaults(func=cmd_train)


def _add_prepare(lsub) -> None:
    from .config import LMTrainConfig

    q = lsub.add_parser("prepare", help="encode a large text file for memory-mapped training",
                        description="Encode a UTF-8 text file, read in chunks (3 streaming passes), into a "
                                    "memory-mapped array of token ids plus its vocabulary "
                                    "(character level); train on it with `lm train --corpus DIR`.")
    q.add_argument("corpus", help="UTF-8 text file (.gz, .bz2, .xz, .zip accepted; - reads "
                                   "standard input) "
                                   "or built-in corpus name")
    q.add_argument("--out", required=True, help="folder to write (tokens.bin, vocab.json, corpus.json)")
    q.add_argument("--val-fraction", type=float, default=LMTrainConfig.val_fraction,
                   help="the last part held out for validation, in (0, 1) (default 0.1); the "
                        "vocabulary is built over the rest (`lm train --corpus DIR` takes "
                        "this split)")
    q.add_argument("--overwrite", action="store_true", help="replace an existing prepared folder")
    add_encoding_option(q)  # (--encoding cp1252: its input file)
    q.set_defaults(func=cmd_prepare)


def _add_generate(lsub) -> None:
    # (`sample`: char-rnn's name for it, and the one people type)
    g = lsub.add_parser("generate", aliases=["sample"], help="generate text from a trained model",
                        description="Print text drawn from a trained model, after --prefix "
                                    "(printed first), or without it after a newline (not "
                                    "printed). Example: rnnlab lm generate --run runs/lm "
                                    "--prefix 'the time ' -n 300")
    g.add_argument("--run", required=True, help="run directory (or its model/ folder)")
    g.add_argument("--prefix", default=None,
                   help="text that warms the state up, printed before the text drawn; - reads "
                        "it from standard input, as piped (echo's last newline included) "
                        "(default: start after a newline, or a space or the most frequent "
                        "token where the model has none; said on standard error)")
    g.add_argument("-n", type=at_least(0, "a number of tokens"), default=200,
                   help=f"characters (at word level tokens: words, punctuation marks and "
                        f"runs of whitespace) to generate, at most "
                        f"{MAX_GENERATE:,} (default 200); printed as they are drawn")
    g.add_argument("--temperature", type=positive_number("a temperature", zero=True), default=0.8,
                   help="divides the scores before sampling: lower is safer, 0 = greedy "
                        "(default 0.8; CharLM.generate's default is 1.0)")
    g.add_argument("--top-k", type=at_least(1, "a number of tokens"), default=None,
                   help="draw only from the K most likely tokens (default: from all)")
    g.add_argument("--seed", type=seed_number, default=0,
                   help="the same seed (and model, prefix and options) gives the same text "
                        "(default 0)")
    g.add_argument("--threads", type=threads_count, default=None,
                   help="CPU threads for torch (default: torch's)")
    add_config_option(g)  # (--config FILE: a sampling setup kept in a file)
    g.set_defaults(func=cmd_generate)


def _add_eval(lsub) -> None:
    e = lsub.add_parser("eval", help="perplexity and bits per character of a text",
                        description="Score a trained model on a text: perplexity and bits "
                                    "per character (per token at word level); without --text, "
                                    "on the text the run held out for validation. Example: "
                                    "rnnlab lm eval --run runs/lm --text shakespeare")
    e.add_argument("--run", required=True, help="run directory (or its model/ folder)")
    e.add_argument("--text", default=None,
                   help="UTF-8 text file, built-in corpus name, or a folder of `rnnlab lm "
                        "prepare` (prepared with the model's vocabulary); - reads "
                        "standard input (default: the run's held-out text, read again as "
                        "its config.json and cli.json record it: the last --val-fraction of "
                        "its corpus, or its --val-text; refused if that file is gone or "
                        "changed)")
    e.add_argument("--streams", type=at_least(1, "a number of parts"), default=None,
                   help="cut the text into N contiguous parts scored side by side, each from "
                        "a fresh state (default: the model's, 16; fewer where a part would be "
                        "under 64 tokens); 1 carries one state through the whole text")
    e.add_argument("--threads", type=threads_count, default=None,
                   help="CPU threads for torch (default: torch's)")
    e.add_argument("--json", action="store_true",
                   help="print one JSON object (for scripts) instead of the table")
    add_config_option(e)  # (--config FILE)
    add_encoding_option(e)  # (--encoding cp1252: its input files)
    e.set_defaults(func=cmd_eval)


def cmd_generate(a) -> int:
    """The prefix, then each token as it is drawn (flushed: a long run shows progress and
    ``| head`` stops it early)."""
    import sys

    from ..io.utf8_text import data_stdout
    from .api import CharLM
    from .generate import check_prefix, stream, unknown_note
    from .normal_forms import form_note, in_model_form
    from .prefix_input import prefix_text
    from .start_token import start_note, start_token

    if a.n > MAX_GENERATE:
        raise OptionError(f"-n {a.n:,} is more than the {MAX_GENERATE:,} tokens one command "
                          f"generates (about a minute of output at CPU speed; {a.n:,} would take "
                          f"days). For more, run it again with --prefix set to the end of the "
                          f"last output and another --seed, or call CharLM.load(RUN).generate(...) "
                          f"(no cap) from Python")
    set_threads(a.threads)
    net, vocab = CharLM.load(model_dir(a.run, "rnnlab lm generate"))._need_model()  # (loaded: both set)
    if a.prefix is None:  # (the start token warms the state up; it is not printed)
        prefix, read = "", start_token(vocab)
        print(f"rnnlab lm generate: note: {start_note(read)}", file=sys.stderr)
    else:
        prefix = prefix_text(a.prefix)  # (`--prefix -`: standard input's text)
        read, form = in_model_form(vocab, prefix)  # (an "é" typed composed, the text's not)
        if form is not None:
            print(f"rnnlab lm generate: note: {form_note(form)}", file=sys.stderr)
    unknown = check_prefix(vocab, read)
    if unknown:
        print_warning(f"rnnlab lm generate: warning: {unknown_note(vocab, unknown)}")
    pieces = stream(net, vocab, read, a.n, a.temperature, a.top_k, a.seed)
    out = data_stdout()  # (UTF-8 when redirected; a console lacking a character: escapes)
    out.write(prefix)
    for piece in pieces:
        out.write(piece)
        out.flush()
    out.write("\n")
    out.flush()
    return 0
