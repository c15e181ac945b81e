"""``rnnlab bptt-demo``: plot ||dL/dh_t|| against the distance from the loss, per recurrence.

Usage (also ``python -m rnnlab.reference.demo``):

    rnnlab bptt-demo --out docs/bptt_gradient_norms.png --overwrite

Each configuration is ``kind[:option=value,...]`` (see ``vanishing.parse_config``); the
default set is the five kinds at torch's initialisation, plus an LSTM whose forget gate
starts open (forget_bias=1, 3) and a tanh RNN with its recurrent weights scaled up
(hh_gain=4), to show the exploding side. Prints a Markdown table of the ratios
||dL/dh_{T-k}|| / ||dL/dh_T|| (geometric mean over seeds) and writes the image.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional, Sequence

from ..io.atomic import atomic_write_figure, blocked_above
from ..io.errors import ConfigError, OptionError
from .vanishing import (GradientNorms, gradient_norms_through_time, parse_config,
                        zero_seeds)

DEFAULT_CONFIGS = ("rnn_tanh", "rnn_relu", "gru", "gru_reset_before", "lstm",
                   "lstm:forget_bias=1", "lstm:forget_bias=3", "rnn_tanh:hh_gain=4")
DEFAULT_OUT = "bptt_gradient_norms.png"
DESCRIPTION = __doc__.split("\n\n")[0].replace("``", "")  # (--help is plain text)
DEFAULT_DISTANCES = (0, 1, 2, 5, 10, 20, 50, 100, 200)  # the table's columns, up to T


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default=DEFAULT_OUT,
                   help=f"image file to write: .png, .pdf or .svg (default {DEFAULT_OUT}); an "
                        f"existing file is kept unless --overwrite")
    p.add_argument("--overwrite", action="store_true", help="replace an existing --out file")
    p.add_argument("--configs", nargs="+", default=list(DEFAULT_CONFIGS), metavar="SPEC",
                   help="kind or kind:KEY=VALUE,... (lstm:forget_bias=1,hh_gain=2), the "
                        "keys hh_gain=G, forget_bias=B, input_scale=S and hh_init=identity; "
                        "kinds: rnn_tanh rnn_relu gru gru_reset_before lstm; forget_bias: lstm "
                        "only; hh_init=identity (weight_hh = G x I): rnn_* only "
                        f"(default: {' '.join(DEFAULT_CONFIGS)})")
    p.add_argument("--seq-len", type=int, default=100,
                   help="T, steps back from the loss (default 100)")
    p.add_argument("--hidden-size", type=int, default=32, help="H (default 32)")
    p.add_argument("--input-size", type=int, default=8, help="I (default 8)")
    p.add_argument("--batch", type=int, default=16, help="sequences per seed (default 16)")
    p.add_argument("--seeds", type=int, default=5,
                   help="random draws averaged, seeds 0 .. N-1 (default 5)")
    p.add_argument("--distances", type=int, nargs="+", default=None, metavar="K",
                   help="distances shown in the table (default "
                        + " ".join(map(str, DEFAULT_DISTANCES)) + ", up to T)")


def build_parser() -> argparse.ArgumentParser:
    """``rnnlab bptt-demo``'s options on a parser of their own (its defaults: the page's
    table), spelled in full as the command takes them (:mod:`rnnlab.cli_prefixes`)."""
    from ..cli_prefixes import spell_in_full

    p = argparse.ArgumentParser(prog="rnnlab bptt-demo", description=DESCRIPTION)
    add_arguments(p)
    spell_in_full(p)
    return p


def register(sub) -> None:
    """Hook for ``rnnlab.cli``: adds the ``bptt-demo`` subcommand."""
    p = sub.add_parser("bptt-demo", help="plot the vanishing/exploding gradient through time",
                       description=DESCRIPTION)
    add_arguments(p)
    p.set_defaults(func=run)


def measure(args) -> List[GradientNorms]:
    results = []
    for spec in args.configs:
        cfg = parse_config(spec)
        results.append(gradient_norms_through_time(
            cfg.pop("kind"), seq_len=args.seq_len, hidden_size=args.hidden_size,
            input_size=args.input_size, batch=args.batch, seeds=tuple(range(args.seeds)), **cfg))
    return results


def format_table(results: Sequence[GradientNorms], distances: Sequence[int]) -> str:
    """Markdown table: one row per configuration (and the LSTM cell state), one column per k."""
    head = "| configuration | " + " | ".join(f"k={k}" for k in distances) + " |"
    lines = [head, "|---|" + "---:|" * len(distances)]
    for r in results:
        rows = [(f"`{r.label}`", r.ratio, r.log10_ratio)]
        if r.ratio_c is not None and r.log10_ratio_c is not None:  # (the LSTM's: both set)
            rows.append((f"`{r.label}` (cell c)", r.ratio_c, r.log10_ratio_c))
        for name, ratio, logs in rows:
            zeros = zero_seeds(logs)
            lines.append(f"| {name} | " + " | ".join(
                _ratio_cell(ratio[k], zeros[k], logs.shape[0]) for k in distances) + " |")
    return "\n".join(lines)


def _ratio_cell(v: float, zeros: int = 0, seeds: int = 1) -> str:
    """A ratio; '0' where the gradient vanished exactly (a dead ReLU), with how many seeds
    when not all of them: the log scale floors a 0 at 1e-300, which the table printed as if
    it were measured."""
    if zeros and zeros < seeds:
        return f"0 ({zeros}/{seeds} seeds)"
    return "0" if zeros or v <= 1.01e-300 else f"{v:.1e}"


def plot(results: Sequence[GradientNorms], out: str, title: str,
         record: Optional[str] = None) -> None:
    from ..pyplot_agg import pyplot

    plt = pyplot()

    colors = plt.get_cmap("tab10").colors
    markers = "osD^vP*Xph"
    style = {r.label: (colors[n % 10], markers[n % 10]) for n, r in enumerate(results)}
    base = [r for r in results if r.label == r.kind]
    changed = [r for r in results if r.label != r.kind]
    panels = [(base, "torch's default initialisation"), (changed, "changed initialisation")]
    panels = [p for p in panels if p[0]]
    fig, axes = plt.subplots(1, len(panels), figsize=(6.5 * len(panels), 4.8), sharey=True,
                             squeeze=False)
    every = max(1, len(results[0].distances) // 10)
    for ax, (group, subtitle) in zip(axes[0], panels):
        for r in group:
            color, marker = style[r.label]
            ax.semilogy(r.distances, _positive(r.ratio), color=color, marker=marker,
                        markevery=every, ms=4, label=f"{r.label}  (h)")
            if r.ratio_c is not None:
                ax.semilogy(r.distances, _positive(r.ratio_c), ls="--", color=color,
                            label=f"{r.label}  (cell c)")
        ax.axhline(1.0, color="grey", lw=0.8)
        ax.set_title(subtitle)
        ax.set_xlabel("distance k from the loss (steps back)")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=8)
    axes[0][0].set_ylabel(r"$\|\partial L/\partial h_{T-k}\|\ /\ \|\partial L/\partial h_T\|$"
                          "  (geometric mean)")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    key = "Subject" if out.lower().endswith(".pdf") else "Description"  # (keys each format allows)
    try:  # a stopped run leaves no half-written image
        atomic_write_figure(out, fig, dpi=120, metadata={key: record} if record else None)
    finally:
        plt.close(fig)


def _positive(ratio):
    """Exact zeros left out of a log plot (else drawn as a fall to the axis' bottom)."""
    import numpy as np

    return np.where(ratio > 0, ratio, np.nan)


def run_record(args) -> str:
    """The image's run record (in its metadata: PNG text, SVG description, PDF subject):
    the options, the seeds and the versions, as JSON; the same options give the same bytes."""
    import json

    from ..io.versions import versions

    options = {k: v for k, v in sorted(vars(args).items()) if k not in ("func", "overwrite", "out")
               and not k.startswith("_") and isinstance(v, (str, int, float, list, type(None)))}
    return json.dumps({"command": "bptt-demo", "config": options,
                       "seeds": list(range(args.seeds)), "versions": versions()},
                      sort_keys=True)


IMAGE_SUFFIXES = (".png", ".pdf", ".svg")


def check_out(out: str, overwrite: bool) -> None:
    """Refuse an --out that cannot be written, before minutes of measuring: a folder, a
    name without an image suffix, or an existing file (kept unless ``overwrite``)."""
    if os.path.isdir(out):
        raise ConfigError(f"--out {out} is a folder; expected an image file name, "
                          f"e.g. --out {os.path.join(out, DEFAULT_OUT)}")
    suffix = os.path.splitext(out)[1].lower()
    if suffix not in IMAGE_SUFFIXES:
        raise OptionError(f"--out {out} must end in {', '.join(IMAGE_SUFFIXES)}, "
                          f"got {suffix or 'no suffix'}; e.g. --out {os.path.splitext(out)[0]}.png")
    blocked = blocked_above(out)
    if blocked and blocked[1] == "not a folder":
        raise ConfigError(f"--out {out} cannot be written: {blocked[0]} is a file, not a "
                          f"folder; choose an --out whose folders are folders (missing ones are "
                          f"made)")
    if blocked:
        raise ConfigError(f"--out {out} cannot be written: {blocked[0]} is not writable; "
                          f"choose an --out in a folder you can write")
    if os.path.lexists(out) and not overwrite:
        raise ConfigError(f"--out {out} exists and is kept; pass --overwrite to "
                          f"replace it, or choose another --out")


def run(args) -> int:
    small = [f"--{n.replace('_', '-')} {getattr(args, n)}" for n in
             ("seq_len", "seeds", "hidden_size", "batch", "input_size") if getattr(args, n) < 1]
    if small:
        raise OptionError(f"--seq-len, --seeds, --hidden-size, --batch and --input-size "
                          f"must be >= 1, got {', '.join(small)}; give each a whole number >= 1")
    for spec in args.configs:  # every spec read before the first is measured
        try:
            parse_config(spec)
        except ValueError as e:
            raise OptionError(f"--configs: {e}") from e
    check_out(args.out, getattr(args, "overwrite", False))
    distances = sorted(set(args.distances or [k for k in DEFAULT_DISTANCES
                                              if k <= args.seq_len]))
    bad = [k for k in distances if not 0 <= k <= args.seq_len]
    if bad:  # (before the measurement, which can take minutes, not after it)
        raise OptionError(f"distances {bad} outside 0..{args.seq_len} (--seq-len); "
                          f"give --distances from 0 to {args.seq_len}, or a longer --seq-len")
    results = measure(args)
    title = (f"Loss on the last step only: T={args.seq_len}, H={args.hidden_size}, "
             f"I={args.input_size}, B={args.batch}, {args.seeds} seeds, x ~ "
             + ("N(0, 1)" if all(r.options["input_scale"] == 1.0 for r in results)
                else "N(0, input_scale^2)"))
    print(title)
    print(format_table(results, distances))
    plot(results, args.out, title, run_record(args))
    print(f"wrote {args.out}")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point: ``main(["--out", "plot.png"])``; returns the exit status. Runs through
    ``rnnlab.cli.main``, so that ``python -m rnnlab.reference.demo`` reports a path it
    cannot use, a size beyond memory or Ctrl-C as ``rnnlab bptt-demo`` does (a message and
    exit status 1 or 130, not a traceback)."""
    from ..cli import main as cli_main

    return cli_main(["bptt-demo", *(sys.argv[1:] if argv is None else list(argv))])


if __name__ == "__main__":
    sys.exit(main())
