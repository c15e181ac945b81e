"""``rnnlab compare``, ``rnnlab recipes`` and ``rnnlab recipe run NAME``.

    rnnlab compare --data airline --models rnn lstm gru --seeds 0 1 2 --match-params --out DIR
    rnnlab compare --task lm --data time-machine --models lstm gru --max-seconds 120 --out DIR
    rnnlab compare --recipe e1-dji-compare --seeds 0 1      (a recipe, with fields overridden)
    rnnlab recipes                                          (list the recipes)
    rnnlab recipe run deep-rnn-compare --quick --out DIR    (tiny sizes, for CI)

Every flag of ``compare`` is a field of CompareConfig (``--hidden-size`` = hidden_size);
the run directory gets results.json, config.json, the figures, report.md and report.html.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from ..io.encoded_input import add_encoding_option
from ..config_option import add_config_option
from ..io.errors import OptionError
from ..cli_paths import folder_name
from ..io.stdin_input import input_label, input_name
from ..names import unread_impl
from ..options import refused_as_option_error
from ..train.cli_args import add_device_args, add_progress_arg, progress_of, threads_count
from .config import CompareConfig
from .model_names import arch_of
from .field_flags import add_field_flags, field_help  # noqa: F401  (field_help: its old home)
from .flag_checks import (RENAMED, check_matching_flags, check_task_flags, check_whole_recipe,
                          drop_recorded_task_flags, read_by)
from .recipes import RECIPES, get_recipe, override_note


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default=None, help="run directory (default runs/compare-<name>)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing run directory")
    p.add_argument("--quick", action="store_true", help="a recipe's tiny CI-sized variant")
    p.add_argument("--as-written", action="store_true",
                   help="run the recipe's article as its code ran, defects included and "
                        "labelled, instead of the corrected recipe (recipes marked "
                        "[as-written] in `rnnlab recipes`; on the CPU, into "
                        "runs/compare-<name>-as-written by default)")
    p.add_argument("--threads", type=threads_count, default=1,
                   help="CPU threads for torch (default 1: fastest for small recurrent models "
                        "on a busy machine; 0: torch's default)")
    add_progress_arg(p)
    add_device_args(p)


def register(sub) -> None:
    p = sub.add_parser("compare", help="compare architectures side by side on one dataset",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--recipe", default=None, help=f"start from a recipe: {', '.join(RECIPES)}")
    p.add_argument("--part", default=None, help="a multi-part recipe's part to run (default all)")
    _common(p)
    add_field_flags(p)
    add_config_option(p)  # (--config FILE)
    add_encoding_option(p)  # (--encoding cp1252: its input files)
    p.set_defaults(func=cmd_compare)

    r = sub.add_parser("recipes", help="list the articles' experiments as runnable recipes",
                       description="List the recipes: each article's experiment as a "
                                   "comparison that `rnnlab recipe run NAME` runs.")
    r.add_argument("--verbose", "-v", action="store_true", help="also print each description")
    r.set_defaults(func=cmd_recipes)

    rr = sub.add_parser("recipe", help="run a recipe: rnnlab recipe run NAME",
                        description="Run a recipe (`rnnlab recipes` lists them).")
    rsub = rr.add_subparsers(dest="recipe_command", metavar="SUBCOMMAND")
    rr.set_defaults(func=lambda a: (rr.print_help(sys.stderr), 2)[1])  # (no subcommand)
    run = rsub.add_parser("run", help="run a recipe into a run directory",
                          description="Run a recipe into a run directory: results.json, "
                                      "config.json (options, seeds, versions), the figures, "
                                      "report.md and report.html. Example: rnnlab recipe run "
                                      "e4-sine --quick --out runs/sine")
    # (NAME may be left out only to be told: `recipe run --config RUN` met argparse's
    # "required: NAME" before the note that a run's record goes to `rnnlab compare --config`)
    run.add_argument("name", nargs="?", choices=list(RECIPES), metavar="NAME",
                     help="a recipe name (required)")
    run.add_argument("--part", default=None, help="a multi-part recipe's part to run (default all)")
    _common(run)
    add_config_option(run)  # (--config FILE: its runtime options, accelerator, devices, ...)
    run.set_defaults(func=cmd_recipe_run, recipe=None)


def device_settings(args) -> dict:
    """The shared device flags that differ from their defaults, passed unchanged to every
    Forecaster.fit / CharLM fit (each fit then trains data-parallel if asked)."""
    from ..train.distributed import DeviceConfig

    given = refused_as_option_error(DeviceConfig, accelerator=args.accelerator,
                                    devices=args.devices, num_nodes=args.num_nodes,
                                    strategy=args.strategy, precision=args.precision)
    default = DeviceConfig()
    return {k: v for k, v in dataclasses.asdict(given).items() if getattr(default, k) != v}


def _setup(args) -> None:
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)


def cmd_recipes(args) -> int:
    for r in RECIPES.values():
        mark = "  [as-written]" if r.as_written else ""
        print(f"{r.name:<20} v{r.version}  [{r.article}]  {r.summary}{mark}")
        if args.verbose:
            for para in r.report_text().split("\n\n"):
                print("    " + para.replace("\n", "\n    "))
            print()
    return 0


def cmd_recipe_run(args) -> int:
    if args.name is None:
        print("rnnlab recipe run: error: the following arguments are required: NAME (a "
              "recipe, `rnnlab recipes` lists them; a recipe run's record repeats with "
              "`rnnlab compare --config RUN_DIR`)", file=sys.stderr)
        return 2
    return cmd_compare(argparse.Namespace(**{**vars(args), "recipe": args.name}))


def cmd_compare(args) -> int:
    from ..io.terminate import Terminated
    from ..stop_hints import start_over
    from ..train.loop import TrainingInterrupted

    def again() -> str:  # (after the stop: --overwrite where it left results there)
        return f"A comparison keeps no checkpoints and has no --resume: {start_over(args)}"

    try:
        return _compare(args)
    except TrainingInterrupted as e:  # (the same command alone runs it again: README)
        raise TrainingInterrupted(f"{e.where or 'stopped'}. {again()}", e.exit_code,
                                  e.where) from None
    except KeyboardInterrupt as e:  # (outside training: reading data, between models, the
        # report; the folder's locks and atomic writes are undone on the way out)
        sigterm = isinstance(e, Terminated)
        what = "terminated (SIGTERM)" if sigterm else "interrupted"
        raise TrainingInterrupted(f"{what}; files already written are kept. {again()}",
                                  143 if sigterm else 130) from None


def _compare(args) -> int:
    from ..train.launch_checks import is_main_process
    from .runner import run_compare
    from .summary import terminal_table

    _setup(args)
    dev = device_settings(args)
    device = args.accelerator  # CompareConfig.device: auto | cpu | cuda
    given = {f.name: getattr(args, RENAMED.get(f.name, f.name))
             for f in dataclasses.fields(CompareConfig)
             if hasattr(args, RENAMED.get(f.name, f.name)) and f.name != "device"}
    from ..io.command_line import command_text

    command = command_text()
    if args.out is not None and not args.out.strip():
        raise OptionError("--out is empty; give a folder for the run, or leave --out out "
                          "(runs/compare-NAME)")
    if args.recipe:
        recipe = get_recipe(args.recipe)
        if getattr(args, "as_written", False):
            from .as_written import as_written_seed, run_as_written

            flags = {k: "--" + RENAMED.get(k, k).replace("_", "-") for k in given}
            seed = as_written_seed(given, flags, dev, args.part)
            run_as_written(recipe, args.out or f"runs/compare-{recipe.name}-as-written",
                           quick=args.quick, overwrite=args.overwrite, seed=seed)
            return 0
        parts = recipe.configs(args.quick)
        if args.part:
            if args.part not in parts:
                raise OptionError(f"recipe {recipe.name!r} has parts {list(parts)}, not {args.part!r}")
            parts = {args.part: parts[args.part]}
        check_whole_recipe(recipe.name, parts, given)
        drop_recorded_task_flags(args, given, {c.task for c in parts.values()})
        recipe_parts = parts
        parts = {k: refused_as_option_error(c.replace, device=device, **read_by(c.task, given))
                 for k, c in parts.items()}
        title = f"{recipe.name} v{recipe.version}" + (" (quick)" if args.quick else "")
        desc = override_note(recipe_parts, parts) + recipe.report_text()
        if args.quick:
            desc = ("**Quick variant** (tiny sizes, seeds and budgets, for a smoke test: its "
                    "numbers say nothing about the architectures). The text below describes the "
                    "full recipe.\n\n" + desc)
        name = recipe.name
    else:
        if args.quick or args.part or getattr(args, "as_written", False):
            raise OptionError("--quick, --part and --as-written apply to recipes; add --recipe NAME")
        drop_recorded_task_flags(args, given, {given.get("task", CompareConfig.task)})
        parts = {"compare": refused_as_option_error(CompareConfig, device=device, **given)}
        data = input_name(args, parts["compare"].data)  # (`--data -`: stdin, not its hash)
        name, title, desc = f"{parts['compare'].task}-{folder_name(Path(data).name)}", None, ""
    check_task_flags(given, parts)
    check_matching_flags(given, parts)
    from .matching import check_networks

    for c in parts.values():  # (a later part's refusal came after the first part trained)
        c.check_task_data()
        refused_as_option_error(check_networks, c)  # (a usage error, as forecast's: exit 2)
        unread = unread_impl(c.impl, [arch_of(m) for m in c.models],
                             f"every compared model ({', '.join(c.models)})",
                             "add one of those to --models", dev.get("precision", "32"))
        if unread:  # (the config checks all but --precision, a device setting)
            raise OptionError(unread)
    out = Path(args.out or f"runs/compare-{name}")
    if len(parts) == 1:
        (pname, cfg), = parts.items()
        ptitle = f"{title}: {pname}" if args.recipe else None
        res = run_compare(cfg, out, overwrite=args.overwrite, title=ptitle, description=desc,
                          command=command, device_settings=dev, progress=progress_of(args),
                          data_label=input_label(args, cfg.data))  # (`-`: standard input)
        if is_main_process():
            print(terminal_table(cfg, res["rows"], res.get("diverged")))
        return 0
    from .parts import run_parts

    assert title is not None  # (several parts come from a recipe, which has its title)
    run_parts(parts, out, name, title, desc, command, args.overwrite, dev, progress_of(args))
    return 0
