"""``rnnlab bench``: time every architecture's paths against torch.nn on the issue-6 workloads."""

from __future__ import annotations

import json
import os
import platform
import sys
from typing import TYPE_CHECKING, List

from ..io.atomic import atomic_write_json, finite_json
from ..io.errors import ConfigError, OptionError
from ..train.cli_args import at_least, threads_count

from . import outcome
from .configs import CONFIGS, QUICK_CONFIGS
from .intro import print_intro
from .names import (BIDIRECTIONAL, DEFAULT_MODELS, DEPTH, DTYPE_NAMES, FAST_IMPLS, LENGTHS,
                    MODELS, OPT_IN, check_read)

if TYPE_CHECKING:  # torch: imported by run (--help needs none of it)
    from .suite import Result

QUICK_MODELS = ("lstm", "gru-cho", "dt-rnn")


def _csv(value: str, known, what: str) -> List[str]:
    items = list(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))  # once each
    bad = [v for v in items if v not in known]
    if bad:
        raise OptionError(f"unknown {what} {bad}; choose from {', '.join(known)}")
    if not items:
        raise OptionError(f"no {what} in {value!r}; give one or more of {', '.join(known)}, "
                          f"separated by commas")
    return items


def register(sub) -> None:
    p = sub.add_parser(
        "bench", help="time forward and forward+backward of each architecture and path",
        description="Median forward (no_grad) and forward+backward time after warm-up, time "
                    "steps per second, and the ratio to an anchor measured in the same run: "
                    "torch.nn for standard cells, torch.nn.LSTM at the same size and the "
                    "reference loop for custom cells. Workloads: "
                    + "; ".join(f"{c.name}: T={c.T} B={c.B} I={c.I} H={c.H} layers={c.layers}"
                                + (f" vocab={c.vocab}" if c.vocab else "")
                                for c in CONFIGS.values())
                    + f". Exit status 0 when every row was measured (a row over "
                      f"--row-seconds is left out, not failed), {outcome.FAILED} when a row "
                      f"failed (the others are kept and --json written), 2 for options that "
                      f"cannot run (a model --depth cannot build; Triton --paths alone with "
                      f"--no-reference where Triton cannot run), 130 on Ctrl-C (the rows "
                      f"measured so far are kept in --json).")
    p.add_argument("--configs", default=None,
                   help=f"comma-separated workloads (default all: {','.join(CONFIGS)})")
    p.add_argument("--models", default=None,
                   help=f"comma-separated models (default: {','.join(DEFAULT_MODELS)}; also "
                        f"{','.join(BIDIRECTIONAL)}: the bidirectional standard models, and "
                        f"{','.join(OPT_IN)})")
    p.add_argument("--quick", action="store_true",
                   help=f"about a minute on 2 CPU cores: {','.join(QUICK_CONFIGS)} x "
                        f"{','.join(QUICK_MODELS)}, 2 repeats (explicit options override)")
    p.add_argument("--repeats", type=at_least(1), default=None,
                   help="timed runs per row (default 5; quick 2)")
    p.add_argument("--warmup", type=at_least(0), default=1, help="untimed runs first (default 1)")
    p.add_argument("--depth", type=at_least(1), default=None,
                   help=f"transition depth of the deep-transition models (default {DEPTH}: the "
                        f"equal-FLOP pair with an LSTM)")
    p.add_argument("--no-reference", action="store_true",
                   help="skip the custom cells' reference loop (slow on big workloads)")
    p.add_argument("--paths", default=None,
                   help=f"comma-separated fast paths to time for custom cells, where they run "
                        f"(default all: {','.join(FAST_IMPLS)}; the Triton ones need CUDA)")
    p.add_argument("--no-graphs", action="store_true",
                   help="on CUDA, skip the CUDA-graph rows (each fast path and torch.nn "
                        "captured into one graph and replayed)")
    p.add_argument("--tf32", action="store_true",
                   help="on CUDA, let fp32 products use TF32 tensor cores (cuDNN and cuBLAS "
                        "alike; default off, as PERF_NOTES measured)")
    p.add_argument("--lengths", default="full", choices=LENGTHS,
                   help="full (default): every sequence T steps; variable: a padded batch "
                        "of lengths in [T/2, T] (torch.nn packed, rnnlab with lengths=)")
    p.add_argument("--device", default="cpu", help="cpu or cuda (default cpu)")
    p.add_argument("--dtype", default="float32", choices=sorted(DTYPE_NAMES))
    p.add_argument("--threads", type=threads_count, default=None,
                   help="CPU threads for torch (default or 0: torch's)")
    p.add_argument("--row-seconds", type=float, default=None,
                   help="time cap per row: a row whose one run takes longer is reported "
                        "and not timed; slower rows get fewer repeats (default: no cap)")
    p.add_argument("--isolate", action="store_true",
                   help="run each (workload, model) in its own process, so that a CUDA "
                        "error (which poisons its process) costs only its own rows")
    p.add_argument("--process-seconds", type=float, default=None,
                   help="with --isolate: stop a process after this long and report its rows "
                        "failed (default: no limit)")
    p.add_argument("--json", default=None, help="also write the rows to this JSON file (an "
                   "existing one is kept unless --overwrite); -: print the JSON on stdout "
                   "at the end, the table then on stderr")
    p.add_argument("--overwrite", action="store_true",
                   help="replace the --json file of an earlier rnnlab bench")
    from ..config_option import add_config_option

    add_config_option(p)  # (--config FILE: a CI benchmark's workloads kept in a file)
    p.set_defaults(func=run)


def format_row(r: Result) -> str:
    if r.error is not None or r.fwd_bwd_ms is None:
        return (f"| {r.config} | {r.model} | {r.path} | {r.layers} | "
                f"{r.error or 'failed'} | - | - | - | - | - | - | - |")
    ratio = "-" if r.ratio is None else f"{r.ratio:.2f}x {r.anchor}"
    ratio_min = "-" if r.ratio_min is None else f"{r.ratio_min:.2f}x"
    ratio_fwd = "-" if r.ratio_fwd is None else f"{r.ratio_fwd:.2f}x"
    ref = "" if r.ratio_ref is None else f"{r.ratio_ref:.2f}x"
    rate = "-" if r.steps_per_s is None else f"{r.steps_per_s:,.0f}"
    if r.lengths == "variable" and r.steps is None:  # a file from before the padding was
        rate += " (padded T*B)"  # left out: its rate counts steps the batch does not hold
    # (a row read back from a file without one of them: "-", not a TypeError from format)
    fwd, fwd_bwd_min = (("-" if v is None else f"{v:.1f}") for v in (r.fwd_ms, r.fwd_bwd_min_ms))
    return (f"| {r.config} | {r.model} | {r.path} | {r.layers} | {fwd} | "
            f"{r.fwd_bwd_ms:.1f} | {fwd_bwd_min} | {rate} | {ratio} | "
            f"{ratio_min} | {ratio_fwd} | {ref} |")


HEADER = ("| config | model | path | layers | fwd ms | fwd+bwd ms | min fwd+bwd ms | steps/s | "
          "fwd+bwd vs anchor | min vs anchor's min | fwd vs anchor | fast vs reference |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|")


def header(lengths: str = "full") -> str:
    """The table's header; with variable lengths its rate column is named for what it
    counts, the real time steps (the sum of the lengths), not the padded T*B."""
    return HEADER if lengths != "variable" else \
        HEADER.replace("| steps/s |", "| real steps/s (sum of lengths) |", 1)


def run(args) -> int:
    import torch

    configs = _csv(args.configs, CONFIGS, "config") if args.configs else (
        list(QUICK_CONFIGS) if args.quick else list(CONFIGS))
    models = _csv(args.models, MODELS, "model") if args.models else (
        list(QUICK_MODELS) if args.quick else list(DEFAULT_MODELS))
    impls = _csv(args.paths, FAST_IMPLS, "path") if args.paths else list(FAST_IMPLS)
    repeats = args.repeats if args.repeats is not None else (2 if args.quick else 5)
    try:
        device = torch.device(args.device)
    except RuntimeError:
        raise OptionError(f"unknown --device {args.device!r}; use cpu or cuda "
                          f"(cuda:N for one GPU of several)") from None
    if device.type not in ("cpu", "cuda"):
        raise OptionError(f"--device {args.device!r} is not timed here; use cpu or cuda")
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ConfigError("--device cuda asked for, but CUDA is not available; "
                          "use --device cpu")
    if args.json and args.json != "-":
        from .record import check_json_target

        check_json_target(args.json, getattr(args, "overwrite", False))
    for opt in ("row_seconds", "process_seconds"):  # (nan > 0 is False: refused too)
        if getattr(args, opt) is not None and not getattr(args, opt) > 0:
            raise OptionError(f"--{opt.replace('_', '-')} must be > 0, "
                              f"got {getattr(args, opt)}")
    check_read({"--paths": args.paths, "--depth": args.depth}, models)
    args.depth = DEPTH if args.depth is None else args.depth
    from .models import check_buildable, check_paths_run

    check_buildable(models, [CONFIGS[c] for c in configs], args.depth)
    check_paths_run(models, impls, not args.no_reference, device, getattr(torch, args.dtype))
    if args.process_seconds is not None and not args.isolate:  # (it was ignored)
        raise OptionError(f"--process-seconds {args.process_seconds:g} limits the "
                          f"processes of --isolate, and this run has none; add --isolate, or "
                          f"use --row-seconds to cap each row in this process")
    before = (torch.get_num_threads(), torch.backends.cuda.matmul.allow_tf32,
              torch.backends.cudnn.allow_tf32)
    if args.threads:
        torch.set_num_threads(args.threads)
    try:
        if args.json != "-":
            return _run(args, torch, device, configs, models, impls, repeats)
        from contextlib import redirect_stdout

        args.json = sys.stdout  # (`--json -`: stdout carries the JSON alone, once, at the end)
        with redirect_stdout(sys.stderr):
            return _run(args, torch, device, configs, models, impls, repeats)
    finally:  # a caller in the same process (a test, a notebook) gets its settings back
        torch.set_num_threads(before[0])
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = before[1:]


def _run(args, torch, device, configs, models, impls, repeats) -> int:
    from .run_record import RunRecord

    tf32 = _set_tf32(args, torch, device)
    where = (torch.cuda.get_device_name(device) if device.type == "cuda"
             else f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print_intro(args, torch, device, where, tf32, load, repeats)
    print(header(args.lengths), flush=True)
    done: List[Result] = []
    record = RunRecord(args, torch, device, where, tf32, load, configs, models, impls, repeats)

    def write(rows, interrupted: bool) -> None:  # (interrupted: the run has not ended)
        if isinstance(args.json, str):
            atomic_write_json(args.json, record.document(rows, interrupted))  # (strict: NaN as null)
        elif not interrupted:  # (standard output: the whole document, once)
            print(json.dumps(finite_json(record.document(rows, interrupted)), indent=2,
                             allow_nan=False), file=args.json, flush=True)

    def show(r: Result) -> None:
        print(format_row(r), flush=True)
        done.append(r)
        if args.json:  # rewritten after each row: a run cut short (Ctrl-C, or killed)
            write(done, True)  # keeps what it measured, marked interrupted until the last write
    try:
        results = _measure(args, torch, device, configs, models, impls, repeats, show)
    except KeyboardInterrupt:  # the rows so far are shown and kept; written again, as a
        if args.json and done:  # Ctrl-C in show's own write leaves the file a row short
            write(done, True)
        print(outcome.interrupted(done, args.json if isinstance(args.json, str) else None),
              file=sys.stderr)
        raise
    line, status = outcome.summary(results)
    if line:
        print(line, file=sys.stderr)
    if args.json:
        write(results, False)
    return status


def _set_tf32(args, torch, device):
    """On CUDA, --tf32 for the anchor and for rnnlab alike (returned); None on the CPU."""
    if device.type != "cuda":
        return None
    torch.backends.cuda.matmul.allow_tf32 = args.tf32
    torch.backends.cudnn.allow_tf32 = args.tf32
    return args.tf32


def _measure(args, torch, device, configs, models, impls, repeats, show) -> List[Result]:
    """Every row, each process's (--isolate) or this one's; ``show`` sees each when done."""
    from .isolate import child_argv, run_isolated
    from .suite import run_suite

    if args.isolate:
        argv = _child_options(args, repeats)
        return run_isolated([(c, m) for c in configs for m in models],
                            lambda c, m, path: child_argv(argv, c, m, path),
                            args.process_seconds, show)
    return run_suite([CONFIGS[c] for c in configs], models, dtype=getattr(torch, args.dtype),
                     device=device, warmup=args.warmup, repeats=repeats,
                     depth=args.depth, reference=not args.no_reference,
                     graphs=device.type == "cuda" and not args.no_graphs,
                     impls=impls, lengths=args.lengths,
                     row_seconds=args.row_seconds, on_result=show,
                     on_skip=lambda m: print(f"rnnlab bench: {m}", file=sys.stderr))


def _child_options(args, repeats: int) -> List[str]:
    """This run's options, as each isolated process takes them (configs, models and the
    JSON file are its own)."""
    out = ["--repeats", str(repeats), "--warmup", str(args.warmup),
           "--lengths", args.lengths, "--device", args.device, "--dtype", args.dtype]
    flags = {"--no-reference": args.no_reference, "--no-graphs": args.no_graphs,
             "--tf32": args.tf32}
    out += [k for k, v in flags.items() if v]
    for opt, value in (("--paths", args.paths), ("--depth", args.depth),
                       ("--threads", args.threads),
                       ("--row-seconds", args.row_seconds)):
        if value:
            out += [opt, str(value)]
    return out


def main(argv=None) -> int:
    """Stand-alone entry point: ``python -m rnnlab.bench`` takes ``rnnlab bench``'s options."""
    import argparse

    from ..cli import parse_refusing_unknown
    from ..cli_prefixes import spell_in_full

    parser = argparse.ArgumentParser(prog="python -m rnnlab.bench")
    sub = parser.add_subparsers(dest="command")
    register(sub)
    sub.choices["bench"].prog = parser.prog  # (its usage and errors: the command typed)
    spell_in_full(parser)  # (as `rnnlab bench`: no abbreviations, those typed listed)
    args = parse_refusing_unknown(parser, ["bench", *(sys.argv[1:] if argv is None else argv)])
    from ..io.terminate import sigterm_as_interrupt

    try:  # SIGTERM (an --isolate parent's) as Ctrl-C: the rows are kept
        with sigterm_as_interrupt():
            return int(args.func(args) or 0)
    except (ValueError, FileNotFoundError, IsADirectoryError) as e:  # as `rnnlab bench` says it
        print(f"python -m rnnlab.bench: error: {e}", file=sys.stderr)
        return 2 if isinstance(e, OptionError) else 1  # (a usage error: 2, as `rnnlab bench`)
    except KeyboardInterrupt:  # (the rows timed so far are written: an --isolate parent
        return 130  # reads them)
