"""An option a command does not have: refused by that command (its usage, not the top
level's), naming the options it has that the user may have meant: close spellings, and
ours for the names other tools use (``--data`` for a corpus, ``--h``, ``--max-epochs``)."""

from __future__ import annotations

import argparse
import difflib
from typing import List

from .cli_prefixes import started_options
from .setting_names import PEER_NAMES, peer_name

# habits of other command lines -> the options rnnlab's commands use for them
CLI_HABITS = {
    "--data": ("--corpus",), "--corpus": ("--data",), "--text": ("--corpus", "--data"),
    "--dataset": ("--data", "--corpus"), "--input": ("--data", "--corpus"),
    "--output": ("--out",), "--output-dir": ("--out",), "--outdir": ("--out",),
    "--out-dir": ("--out",), "--target": ("--column",), "--target-column": ("--column",),
    "--time-column": ("--date-column",), "--ds": ("--date-column",),
    "--unique-id": ("--id-column",), "--series-column": ("--id-column",),
    "--levels": ("--quantiles",), "--workers": ("--threads",), "--gpus": ("--devices",),
    # NeuralForecast's and statsforecast's cross_validation (difflib offered --head-size)
    "--step-size": ("--stride",), "--n-windows": ("--first-origin",),
    # Darts' historical_forecasts(start=, forecast_horizon=, retrain=) (--start was
    # "did you mean --strategy?")
    "--start": ("--first-origin",), "--forecast-horizon": ("--horizon",),
    "--retrain": ("--refit",),
    # Darts' TimeSeries.from_dataframe(time_col=, value_cols=, fill_missing_dates=) and
    # NeuralForecast's time_col/target_col/id_col (--time-col was "did you mean --time-zone?")
    "--time-col": ("--date-column",), "--value-cols": ("--column",),
    "--target-col": ("--column",), "--id-col": ("--id-column",),
    "--fill-missing-dates": ("--fill",),
    # NeuralForecast's input_size= (was "--lookback or --hidden-size", a spelling of "size")
    "--input-size": ("--lookback",),
    # GluonTS' DeepAREstimator(distr_output=StudentTOutput()) (was: no hint at all)
    "--distr-output": ("--likelihood",),
}
# (their close spellings mean other things)
HABITS_ONLY = ("--step-size", "--n-windows", "--start", "--time-col", "--target-col",
               "--input-size", "--num-samples",  # (--num-samples: not --num-layers)
               "--distr-output")  # (not --output, a forecast's CSV)

# options a command has not, for a reason its user should hear: (command's last words, flag)
ABSENT = {
    ("compare", "--resume"): "a comparison keeps no checkpoints and has no --resume: run the "
                             "same command again, with --overwrite, to start it over",
}
ABSENT[("recipe run", "--resume")] = ABSENT[("compare", "--resume")]
# (was "--test-size: did you mean --head-size?", a spelling: a backtest's test parts are
# its origins' horizons)
ABSENT[("backtest", "--test-size")] = (
    "a backtest tests each origin's next --horizon steps: --first-origin N puts the first "
    "origin N steps before the panel's last date, --stride S the next every S steps "
    "(rnnlab forecast --test-size holds out one end)")
# Prophet's and Darts' country holidays (was: "did you mean --calendar or --country?",
# when both are needed: --country alone reads no holiday; the one-series model reads
# --calendar holiday itself, as the panel model does)
for _cmd in ("forecast", "backtest"):
    for _flag in ("--holidays", "--country-holidays"):
        ABSENT[(_cmd, _flag)] = (
            "a country's public holidays are calendar feature 'holiday' of --country: "
            "--calendar holiday --country US (one series or a panel; a 0/1 column of "
            "your own dates: --future-covariates COLUMN)")
    # the `holidays` package's subdiv=, Darts' add_holidays(state=) (was: "did you mean
    # --strategy?" for --state): a region is part of --country's code
    for _flag in ("--subdiv", "--state", "--prov", "--province"):
        ABSENT[(_cmd, _flag)] = (
            "a region's public holidays are --country's code and the region's: --calendar "
            "holiday --country AU-VIC (the `holidays` package's country_holidays('AU', "
            "subdiv='VIC'))")
# NeuralForecast's freq= (was: "did you mean --future?")
for _cmd in ("forecast", "backtest"):
    for _flag in ("--freq", "--frequency"):
        ABSENT[(_cmd, _flag)] = (
            "the frequency is read from the dates (one calendar for every series: a date "
            "missing from a series is a row with a blank value, filled by --fill); "
            "--period sets the seasonal period")
# NeuralForecast's loss=MQLoss()/DistributionLoss(), Darts' dropout on the panel model (was:
# nothing, and "--dropout: did you mean --out?")
for _cmd in ("forecast", "backtest"):
    ABSENT[(_cmd, "--loss")] = (
        "the loss follows the outputs: pinball over --quantiles (the default), or a "
        "likelihood's, --likelihood gaussian | studentt | negbin")
ABSENT[("backtest", "--dropout")] = (
    "the panel model has no dropout between layers; inside its recurrent layers, "
    "variational dropout is --recurrent-dropout (on h_(t-1)) and --input-dropout (on x_t); "
    "its other regularisers are --weight-decay, early stopping (--patience) and --ensemble")
ABSENT[("forecast", "--dropout")] = (  # (the rates: both models', one series or a panel)
    "dropout between stacked layers is the one-series model's, in Python only: "
    "Forecaster(num_layers=2, dropout=0.1); inside the recurrent layers of either model "
    "(one series or a panel), variational dropout is --recurrent-dropout (on h_(t-1)) and "
    "--input-dropout (on x_t); the panel model's other regularisers are --weight-decay, "
    "early stopping (--patience) and --ensemble")
# NeuralForecast's predict_insample on a backtest (was: "did you mean --samples or --scale
# or --ensemble?"): the in-sample forecasts are a training run's, --insample of forecast
for _flag in ("--insample", "--insample-step"):
    ABSENT[("backtest", _flag)] = (
        "the in-sample forecasts of a fitted network are rnnlab forecast's: rnnlab forecast "
        "--data FILE.csv ... --insample FILE.csv [--insample-step N]; a backtest's "
        "forecasts.csv holds each origin's forecasts (--first-origin, --stride)")
# (compare trains every model with Adam at its --lr: the optimizer's settings were
# "unrecognized arguments", with no word of why)
# (recipe run has no --lr: a recipe's rate is its own)
for _cmd, _rate in (("compare", "--lr"), ("recipe run", "the recipe's rate")):
    for _flag in ("--optimizer", "--momentum", "--nesterov", "--dampening", "--betas", "--eps",
                  "--amsgrad", "--weight-decay"):
        ABSENT[(_cmd, _flag)] = (
            f"a comparison trains every model with the same optimizer, Adam at {_rate}, so "
            "that the architectures alone differ; to compare optimizers, run `rnnlab forecast` "
            "(or `rnnlab lm train`) with --optimizer sgd --momentum 0.9 ... into run "
            "directories and tabulate them with `rnnlab runs PATH`")
# (difflib offered --top-k for it, as if it were the same cut: it keeps K tokens, not a mass)
# sktime's fh (a list of steps; was: "`rnnlab backtest --help` lists its options")
for _cmd in ("forecast", "backtest"):
    ABSENT[(_cmd, "--fh")] = (
        "a horizon is one number here, the steps after each series' last date: sktime's "
        "fh=[1, 2, 3] is --horizon 3 (the forecasts' step column numbers the steps)")
# (compare --task lm has --max-chars; here it was "did you mean --max-vocab?", another cut)
ABSENT[("lm train", "--max-chars")] = (
    "rnnlab lm train reads the whole corpus; for a short run give --minutes M or --epochs 1, "
    "or the first N characters on standard input: python -c \"from rnnlab import "
    "load_corpus; print(load_corpus('time-machine')[:N], end='')\" | rnnlab lm train "
    "--corpus - ... (rnnlab compare --task lm --max-chars N cuts it so)")
ABSENT[("lm generate", "--top-p")] = (
    "nucleus (top-p) sampling is not available; --top-k K draws from the K most likely "
    "tokens, and --temperature below 1 (0: greedy) makes the draw safer")

# a backtest's words given to rnnlab forecast (Darts' historical_forecasts(start=, stride=,
# retrain=), NeuralForecast's cross_validation(n_windows=, step_size=)): --start was "did you
# mean --strategy?", --retrain "--refit?" (forecast's trains again after the choice, once)
for _flag in ("--start", "--retrain", "--stride", "--step-size", "--n-windows"):
    ABSENT[("forecast", _flag)] = (
        "forecasts from several origins over history (Darts' historical_forecasts, "
        "NeuralForecast's cross_validation) are rnnlab backtest's: rnnlab backtest --data "
        "FILE --model lstm --one-series --first-origin N --stride S [--refit k] (one series, "
        "as rnnlab forecast trains it); rnnlab forecast holds out one end (--test-size), "
        "and --insample FILE.csv writes a fitted model's forecasts from every cutoff")
# GluonTS' DeepAREstimator(scaling=True) (was: "did you mean --scale or --align/--scaler?",
# with no word of the option that is DeepAR's scaling; GlobalForecaster(scaling=) says it)
_DEEPAR_SCALING = ("DeepAR's scaling (each window divided by 1 + its mean |z|) is the panel "
                   "model's --anchor mean_scale (not the default: --anchor last measures "
                   "each window from its last value); each series is scaled too, always, "
                   "by --scale std | robust")
ABSENT[("backtest", "--scaling")] = _DEEPAR_SCALING
ABSENT[("forecast", "--scaling")] = (_DEEPAR_SCALING + "; one series' values are scaled by "
                                     "--scaler standard | minmax | none")
# Darts' predict(num_samples=) (was: "did you mean --samples or --insample or --num-layers?":
# --samples is the panel model's likelihood draws, refused on one series)
ABSENT[("forecast", "--num-samples")] = (
    "one series' intervals are --quantiles 0.1 0.5 0.9 (the Forecaster's quantiles, no "
    "samples); a panel model with --likelihood draws --samples N")


def command_parser(parser: argparse.ArgumentParser, args) -> argparse.ArgumentParser:
    """The parser of the (sub)command typed: ``rnnlab lm train``'s, not ``rnnlab``'s."""
    while True:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        name = getattr(args, subs[0].dest, None) if subs else None
        if name not in (subs[0].choices if subs else {}):
            return parser
        parser = subs[0].choices[name]


def _meant(option: str, known: List[str], close: bool = True) -> List[str]:
    """The options of ``known`` meant by ``option``: ours for another tool's name, and with
    ``close`` the close spellings (not for a prefix of options: those are listed)."""
    flag = option.split("=", 1)[0]
    key = flag.lstrip("-").replace("-", "_")
    peer = peer_name(key, {o.lstrip("-").replace("-", "_") for o in known}) \
        if key in PEER_NAMES else None
    said = list(CLI_HABITS.get(flag, ())) + ([f"--{peer.replace('_', '-')}"] if peer else [])
    said = list(dict.fromkeys(o for o in said if o in known))  # (--input-size: one --lookback)
    if flag in HABITS_ONLY and said:  # (--step-size: not --head-size, a mere spelling)
        return said
    spelt = difflib.get_close_matches(flag, known, n=3, cutoff=0.7) if close else []
    return list(dict.fromkeys(said + spelt))


def unknown_options_message(parser: argparse.ArgumentParser, extra: List[str],
                            args=None) -> str:
    """argparse's "unrecognized arguments: ..." and, for each unknown option, the ones of
    ``parser`` meant (``args``: what was parsed, for the names a hint repeats); for one that
    starts options of ``parser`` (an abbreviation: refused), a line for each of them."""
    known = sorted(o for a in parser._actions for o in a.option_strings if o.startswith("--"))
    own = {o for a in parser._actions for o in a.option_strings}  # (-q too)
    hints, blocks = [], []
    for option in extra:
        flag = option.split("=", 1)[0]
        if flag in own:  # the command's own, typed before the command's name
            hints.append(f"{flag} is an option of `{parser.prog}`: give it after "
                         f"`{parser.prog.split()[-1]}` ({parser.prog} {flag} ...)")
        elif _absent(parser.prog, flag):
            hints.append(f"{flag}: {_absent(parser.prog, flag)}")
        elif parser.prog.endswith("recipe run") and _compare_setting(flag):
            name = getattr(args, "name", None) or "NAME"
            hints.append(f"{flag}: a comparison setting; `recipe run` runs a recipe as it is, "
                         f"and `rnnlab compare --recipe {name} {flag} ...` runs it with the "
                         f"setting changed")
        elif parser.prog.endswith("forecast") and _more_models(option, args):
            hints.append(_more_models(option, args))
        elif option == "-":  # `cat data.csv | rnnlab forecast -`
            from .io.stdin_input import READS_STDIN

            hints.append(f"-: standard input is named by an option's value, read by "
                         f"{READS_STDIN}")
        elif _override_word(option, known) and "--set" in known:  # (Hydra's habit)
            hints.append(f"{option}: an override is --set "
                         f"{_override_word(option, known)} here")
        elif option.startswith("--"):
            started = started_options(parser, flag)  # (--ep: --epochs, --eps, each said)
            if started:
                blocks.append(started)
            meant = [m for m in _meant(option, known, close=not started)
                     if not (started and m.startswith(flag))]
            if meant:
                hints.append(f"{option.split('=', 1)[0]}: did you mean {' or '.join(meant)}?"
                             + (_level_values(option, extra) if "--quantiles" in meant else "")
                             + (_WINDOWS if "--first-origin" in meant and
                                flag == "--n-windows" else ""))
    text = f"unrecognized arguments: {' '.join(extra)}"
    text += (f" ({'; '.join(hints)})" if hints else
             "" if blocks else f" (`{parser.prog} --help` lists its options)")
    return "\n".join([text, *blocks])


def _more_models(word: str, args) -> str:
    """``rnnlab forecast --model lstm gru``: a second architecture after ``--model``
    (NeuralForecast's models=[LSTM, GRU]) said as the backtest's, which takes several
    ('' for another word)."""
    from .architecture_table import BUILT_INS

    model = getattr(args, "model", None)
    if not model or word not in {b.name for b in BUILT_INS}:
        return ""
    return (f"{word}: rnnlab forecast trains one --model; several networks compared over "
            f"the same windows, one row each: rnnlab backtest --model {model} {word} ... "
            f"(a panel; one series: rnnlab compare --task forecast --models {model} {word})")


_WINDOWS = (" --n-windows N is --first-origin H + (N - 1) * S with --stride S (--horizon H), "
            "the origin of the first window counted in steps back from the last date")


def _override_word(option: str, known: List[str]) -> str:
    """``KEY=VALUE`` of a bare ``epochs=5`` (Hydra's ``+epochs=5``, ``++epochs=5``) whose key
    is one of the ``known`` options, else ''."""
    key, eq, value = option.lstrip("+").partition("=")
    flag = "--" + key.strip().replace("_", "-")
    return f"{key.strip()}={value}" if eq and not option.startswith("-") and \
        flag in known else ""


def _level_values(option: str, extra: List[str]) -> str:
    """For ``--level 80 95`` (NeuralForecast's and statsforecast's central intervals in
    percent): the ``--quantiles`` that hold them here, as the API's ``level=`` is answered
    (''  where the values are not such percentages, or not given)."""
    flag, _, given = option.partition("=")
    if flag not in ("--level", "--levels"):
        return ""
    after = extra[extra.index(option) + 1:]
    stop = next((i for i, v in enumerate(after) if v.startswith("--")), len(after))
    values = [given] if given else after[:stop]
    from .io.errors import ConfigError
    from .panel.call_args import interval_quantiles

    try:
        q = interval_quantiles([float(v) for v in values]) if values else None
    except ConfigError:  # (--level 0, 100, 120: no central interval; said with the range)
        return (f" {flag} takes central intervals in percent, each in (1, 100), got "
                f"{' '.join(values)}; --level 80 is --quantiles 0.1 0.5 0.9 here")
    except ValueError:  # (not numbers)
        return ""
    return "" if q is None else (f" {flag} {' '.join(values)} as central intervals in % is "
                                 f"--quantiles {' '.join(f'{t:g}' for t in q)} here")


def _absent(prog: str, flag: str):
    """Why the command ``prog`` has no ``flag`` (None where :data:`ABSENT` does not say)."""
    words = prog.split()[1:]  # ("rnnlab", "recipe", "run") -> "recipe run"
    return ABSENT.get((" ".join(words), flag))


def _compare_setting(flag: str) -> bool:
    """Whether ``flag`` is one of ``rnnlab compare``'s comparison settings (a field of
    CompareConfig), which ``rnnlab recipe run`` does not take."""
    import dataclasses

    from .compare.config import CompareConfig
    from .compare.flag_checks import flag_of

    return flag in {flag_of(f.name) for f in dataclasses.fields(CompareConfig)
                    if f.name != "device"}
