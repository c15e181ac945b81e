"""The articles' experiments as their code ran them, defects included and labelled.

``rnnlab recipe run NAME --as-written`` runs one into a run directory (results.json,
report.md) and prints, beside each number, the article's where it reported one. The
corrected version is the recipe itself (``rnnlab recipe run NAME``). Each module here has
``run(quick, seed, log) -> dict``, ``markdown(results) -> lines`` and ``SETTINGS`` (the
article's settings, recorded in the run's config.json):

- ``dji``: the deep-RNN article's DJI sections 5.2 and 5.3 (E1);
- ``airline_lstm``: the overview article's look-back-2 LSTM (E2);
- ``sine_lstm``: the LSTM article's noisy function (E4);
- ``airline_gru``: the GRU article's airline forecast (E5).

E3 (the d2l-style article's lyrics language model) has none: its corpus is not shipped.
"""

from __future__ import annotations

import importlib
import time
from pathlib import Path
from typing import Callable

from ...io.errors import OptionError  # (usage errors: exit status 2)
from ...io.errors import ConfigError

MODULES = ("dji", "airline_lstm", "sine_lstm", "airline_gru")


def as_written_seed(given: dict, flags: dict, device_settings: dict, part=None) -> int:
    """The one seed an as-written run takes; every other setting given is refused, not
    ignored: ``given`` (CompareConfig fields from the command line, each named by its flag
    in ``flags``), ``device_settings`` (those away from the defaults) and ``--part``."""
    on_device = [f"--{k.replace('_', '-')} {v}" for k, v in device_settings.items()
                 if (k, v) != ("accelerator", "cpu")]
    if on_device:  # (they were ignored: --precision bf16-mixed ran in float32)
        raise OptionError("--as-written runs the article's code as it ran: one CPU process, "
                          "float32; drop " + ", ".join(on_device))
    if part:  # (it was ignored, even a part the recipe does not have)
        raise OptionError(f"--as-written runs the article's whole procedure; --part picks a "
                          f"part of the corrected recipe: drop --part {part}")
    extra = sorted(set(given) - {"seeds"})
    if extra:
        raise OptionError("--as-written runs the article's own settings; drop "
                          + ", ".join(flags[k] for k in extra))
    seeds = given.get("seeds", (0,))
    if len(seeds) != 1:  # (it used to run the first and drop the others unsaid)
        raise OptionError(f"--as-written runs one seed, got --seeds "
                          f"{' '.join(map(str, seeds))}; give one, e.g. --seeds "
                          f"{seeds[0]}, and run again for each other seed")
    return seeds[0]


def run_as_written(recipe, out, quick: bool = False, overwrite: bool = False, seed: int = 0,
                   log: Callable[[str], None] = print) -> dict:
    """Run ``recipe``'s as-written part into ``out``; returns its results."""
    from ...io.previous_run import restoring_previous
    from ...io.rundir import prepare_run_dir

    if recipe.as_written not in MODULES:
        from ..recipes import RECIPES

        have = [r.name for r in RECIPES.values() if r.as_written]
        raise ConfigError(f"recipe {recipe.name!r} has no as-written part (the article's "
                          f"procedure cannot be rerun here); recipes with one run: {have}. "
                          f"Run it without --as-written for the corrected version")
    mod = importlib.import_module(f"{__name__}.{recipe.as_written}")
    out = Path(out)
    prepare_run_dir(out, overwrite=overwrite, resumable=False)
    with restoring_previous(out):  # (a Ctrl-C: the run --overwrite replaced comes back)
        return _run_into(recipe, mod, out, quick, seed, log)


def _run_into(recipe, mod, out: Path, quick: bool, seed: int, log) -> dict:
    from ...io.atomic import atomic_write_json, atomic_write_text
    from ...io.rundir import RunLock, finish_run_dir, write_run_info

    with RunLock(out):
        c0 = time.process_time()
        res = mod.run(quick=quick, seed=seed, log=log)
        # CPU seconds beside its wall-clock ``seconds`` (which runs from run()'s first line:
        # the same span), as every record gives them: the load moves them much less
        res["cpu_seconds"] = time.process_time() - c0
        # the article's settings (a quick run trains fewer epochs: results.json says how
        # many) and the recipe's version: the record named neither
        write_run_info(out, {"recipe": recipe.name, "version": recipe.version,
                             "as_written": recipe.as_written, "quick": quick,
                             "settings": dict(mod.SETTINGS)}, seed,
                       data_sha256(recipe.as_written, seed))
        atomic_write_json(out / "results.json", res)
        title = f"{recipe.name} v{recipe.version}: the article as written" + (
            " (quick)" if quick else "")
        md = [f"# {title}", "", "**As written: the article's procedure with its defects, "
              "reproduced on purpose.** The corrected version is `rnnlab recipe run "
              f"{recipe.name}`; its report lists every difference.", "",
              *mod.markdown(res), "",
              f"({res['seconds']:.1f} s; {res['cpu_seconds']:.1f} s of CPU time)", ""]
        atomic_write_text(out / "report.md", "\n".join(md))
    finish_run_dir(out)
    log(f"report: {out / 'report.md'}")
    return res


def data_sha256(name: str, seed: int) -> str:
    """SHA-256 of the series the as-written run ``name`` trained on, as it read it (the DJI
    newest first; E4's noisy series drawn from ``seed``): config.json recorded null."""
    import numpy as np

    from ...io.rundir import data_hash

    if name == "dji":
        from .dji_setup import article_close

        return data_hash(article_close()[0])
    if name == "sine_lstm":
        from .sine_lstm import TRAIN_POINTS, load

        return data_hash(load(TRAIN_POINTS, np.random.default_rng(seed)))
    from ...data.datasets import airline

    return data_hash(airline().values)
