"""rnnlab.options: an option declared once, on its config field, reaches the command line,
the config, config.json and --resume."""

import argparse
import json
from dataclasses import dataclass, fields
from typing import Optional

import pytest

from rnnlab.cli import build_parser, main
from rnnlab.forecast import cli as fcli
from rnnlab.forecast.config import ForecastConfig
from rnnlab.options import add_options, config_from_args, declared, option


def _forecast_parser():
    parser = build_parser(["forecast"])
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices["forecast"]


def _action(parser, flag):
    return next(a for a in parser._actions if flag in a.option_strings)


def test_every_declared_field_is_in_forecast_help_with_its_default():
    p = _forecast_parser()
    text = p.format_help()
    cli_fields = [(f, o) for f, o in declared(ForecastConfig) if o.cli]
    assert len(cli_fields) >= 25
    for f, o in cli_fields:
        flag = o.flag_for(f.name)
        assert flag in text, flag
        help_ = _action(p, flag).help
        assert "default" in help_, (flag, help_)
        if o.action is not None:  # a switch (--no-progress): its help says what it does
            continue
        if isinstance(f.default, bool):  # yes/no options
            assert ("yes" if f.default else "no") in help_, (flag, help_)
        elif isinstance(f.default, tuple):  # as typed: --betas 0.9 0.999
            assert " ".join(map(str, f.default)) in help_, (flag, help_)
        elif f.default is not None:
            assert str(f.default) in help_, (flag, help_)
    # every field is declared: a new field without option() would be no option of the CLI
    assert {f.name for f, _ in declared(ForecastConfig)} == {f.name for f in fields(ForecastConfig)}


# the command's defaults: the API's, but for progress: where stderr is not a terminal, the
# command says it in a line every 30 s (the API stays quiet there: rnnlab.train.progress)
COMMAND_DEFAULTS = ForecastConfig(progress="log")


def test_parsing_the_defaults_gives_the_default_config():
    assert fcli.config_from_args(fcli._parser_defaults(), 0) == COMMAND_DEFAULTS


@pytest.mark.parametrize("argv, field, value", [
    (["--hidden-size", "8"], "hidden_size", 8),
    (["--horizon", "6"], "horizon", 6),
    (["--minutes", "0.5"], "max_seconds", 30.0),  # --minutes: the budget in seconds
    (["--clip-norm", "0"], "clip_norm", None),  # 0: no clipping
    (["--test-size", "0.25"], "test_size", 0.25),
    (["--val-size", "5"], "val_size", 5),
    (["--fill", "ffill"], "fill", "ffill"),
    (["--select", "naive"], "select", "naive"),
    (["--threads", "0"], "threads", 0),
    (["--out-depth", "2", "--model", "dot-rnn"], "out_depth", 2),  # the architecture group
    (["--strategy", "recursive", "--strategy", "ddp"], "strategy", "recursive"),
    (["--impl", "reference"], "impl", "reference"),
])
def test_a_typed_option_reaches_the_config(argv, field, value):
    args = build_parser(["forecast"]).parse_args(["forecast", *argv])
    cfg = fcli.config_from_args(args, 0)
    assert getattr(cfg, field) == value
    back = {field: getattr(ForecastConfig(), field)}
    if field == "out_depth":
        back["model"] = "lstm"
    assert cfg.replace(**back) == COMMAND_DEFAULTS  # nothing else changed


def test_a_bad_value_is_refused_while_parsing():
    for argv in (["--horizon", "0"], ["--depth", "0"], ["--minutes", "nan"], ["--fill", "x"]):
        with pytest.raises(SystemExit):
            build_parser(["forecast"]).parse_args(["forecast", *argv])


@dataclass(frozen=True)
class Toy:
    size: int = option(3, "how many")
    rate: Optional[float] = option(None, "a rate (default: none given)")
    kind: str = option("a", "which one", choices=("a", "b"))
    seconds: Optional[float] = option(None, "a budget", flag="--minutes",
                                      to_config=lambda m: None if m is None else 60 * m)
    quiet: bool = option(False, "API only", cli=False)


@dataclass(frozen=True)
class ToyPlus(Toy):
    extra: int = option(7, "a field added later", group="more")


def _toy(cls, argv, **overrides):
    p = argparse.ArgumentParser()
    add_options(p, cls)
    return p, config_from_args(cls, p.parse_args(argv), **overrides)


def test_a_toy_dataclass_gets_its_options_from_its_fields():
    p, cfg = _toy(Toy, ["--size", "5", "--kind", "b", "--minutes", "2"], quiet=True)
    assert cfg == Toy(size=5, kind="b", seconds=120, quiet=True)
    text = p.format_help()
    assert "--size SIZE" in text and "how many (default 3)" in text
    assert "{a,b}" in text and "--quiet" not in text and "--seconds" not in text
    assert _toy(Toy, [])[1] == Toy()
    with pytest.raises(SystemExit):
        _toy(Toy, ["--kind", "c"])
    # a new field is a new flag, with no other edit
    p, cfg = _toy(ToyPlus, ["--extra", "9"])
    assert cfg == ToyPlus(extra=9) and "more:" in p.format_help()
    p = argparse.ArgumentParser()
    assert add_options(p, ToyPlus, only=("size", "extra"), skip=("extra",)) == ["size"]


def test_a_field_of_another_type_needs_parse():
    @dataclass(frozen=True)
    class Bad:
        flag: bool = option(True, "on or off")

    with pytest.raises(TypeError, match="parse="):
        add_options(argparse.ArgumentParser(), Bad)


def test_config_json_and_resume_hold_the_parsed_values(tmp_path, capsys):
    csv = tmp_path / "series.csv"
    csv.write_text("value\n" + "\n".join(str((i * 7) % 23 + i / 10) for i in range(120)) + "\n")
    out = tmp_path / "run"
    argv = ["forecast", "--data", str(csv), "--lookback", "6", "--horizon", "3", "--epochs", "1",
            "--ensemble", "1", "--hidden-size", "4", "--device", "cpu", "--no-progress",
            "--minutes", "5", "--clip-norm", "0", "--select", "network", "--seed", "2",
            "--out", str(out)]
    assert main(argv) == 0
    expected = fcli.config_from_args(build_parser(argv).parse_args(argv), 2).to_dict()
    info = json.loads((out / "config.json").read_text())
    assert {k: info["config"][k] for k in expected} == expected
    assert expected["max_seconds"] == 300 and expected["clip_norm"] is None
    saved = json.loads((out / "cli.json").read_text())["options"]
    assert {o.dest_for(f.name) for f, o in declared(ForecastConfig) if o.cli} <= set(saved)
    # --resume rebuilds the same config from cli.json
    from rnnlab.io.cli_options import resolve_run_dir

    args = build_parser(["forecast"]).parse_args(["forecast", "--resume", str(out)])
    resolve_run_dir(args, None, fcli._parser_defaults, fcli.RUNTIME_OPTIONS, "rnnlab forecast")
    assert fcli.config_from_args(args, 2).to_dict() == expected


def test_lm_train_options_come_from_its_config_fields():
    from rnnlab.lm import cli as lcli
    from rnnlab.lm.config import LMConfig, LMTrainConfig

    parser = build_parser(["lm", "train"])
    model, train = lcli._configs(parser.parse_args(["lm", "train"]))
    assert model == LMConfig()
    # the CLI's own defaults: samples every 5 epochs, with the time machine's prefixes,
    # and progress lines where stderr is not a terminal
    assert train == LMTrainConfig(sample_every=5, sample_prefixes=lcli.DEFAULT_PREFIXES,
                                  progress="log")
    lm = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["lm"]
    p = next(a for a in lm._actions if isinstance(a, argparse._SubParsersAction)).choices["train"]
    text = p.format_help()
    for cls in (LMConfig, LMTrainConfig):
        for f, o in declared(cls):
            if o.cli:
                assert o.flag_for(f.name) in text, f.name
                if f.name not in lcli.SHARED_OPTIONS:
                    assert "default" in _action(p, o.flag_for(f.name)).help, f.name
    argv = ["lm", "train", "--clip-norm", "0", "--patience", "0", "--cuda-graphs", "auto",
            "--dropout", "0.1", "--devices", "2", "--depth", "3", "--model", "dt-rnn"]
    model, train = lcli._configs(parser.parse_args(argv))
    assert (train.clip_norm, train.patience, train.cuda_graphs, train.devices) == (None, None,
                                                                                  "auto", 2)
    assert (model.dropout, model.depth, model.model) == (0.1, 3, "dt-rnn")
