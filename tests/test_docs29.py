"""The docs and help as a reader takes them after session 29's features (its docs audit):
docs/panels.md's backtest table names --one-series (and that --checkpoint-every is refused
with it), README names what the session added where a reader looks for it (score's
off_grid, predict's static= table, CompareConfig's date_column / period, UTF-32, the
hostile-file refusals, the column typed but for its case) and the sentences say what the
code does."""

import inspect
import re
from pathlib import Path

import pytest

from cli_parsers import all_parsers

ROOT = Path(__file__).resolve().parents[1]


def _flat(doc: str) -> str:
    return " ".join((ROOT / doc).read_text(encoding="utf-8").split())


def _parser(command):
    from rnnlab.cli import build_parser

    [parser] = [p for path, p in all_parsers(build_parser()) if path == command]
    return parser


def _help(command, option):
    [action] = [a for a in _parser(command)._actions if option in a.option_strings]
    return action.help


def _backtest_rows():
    text = (ROOT / "docs/panels.md").read_text(encoding="utf-8")
    part = text[text.index("| option | meaning |"):]
    return [line for line in part.splitlines() if line.startswith("| `--")]


def test_the_backtest_table_names_one_series():
    # (the table listed neither --one-series nor its refusals; the prose named only
    # --calendar holiday as the way to the one-series Forecaster)
    [row] = [r for r in _backtest_rows() if r.startswith("| `--one-series`")]
    assert "Forecaster" in row and "refused" in row
    assert "--one-series" in {o for a in _parser(("backtest",))._actions
                              for o in a.option_strings}
    text = _flat("docs/panels.md")
    assert "no option of the panel model alone) with `--one-series`, or with" in text


def test_checkpoint_every_with_one_series_is_refused_as_its_help_and_table_say(tmp_path,
                                                                               capsys):
    from rnnlab.cli import main

    assert "--one-series" in _help(("backtest",), "--checkpoint-every")
    [row] = [r for r in _backtest_rows() if r.startswith("| `--resume")]
    assert "and with `--one-series`" in row
    code = main(["backtest", "--data", "airline", "--one-series", "--model", "lstm",
                 "--checkpoint-every", "5", "--out", str(tmp_path / "bt")])
    assert code == 2 and "--checkpoint-every 5" in capsys.readouterr().err
    assert not (tmp_path / "bt").exists()


def test_readmes_off_grid_list_names_score():
    from rnnlab.forecast import score_forecast

    text = _flat("README.md")
    assert "`score_forecast(forecast, actuals, off_grid=...)`" in text
    assert "the CLI (`rnnlab compare` and `rnnlab score` too) take it" in text
    assert "off_grid" in inspect.signature(score_forecast).parameters
    assert "--off-grid" in {o for a in _parser(("score",))._actions for o in a.option_strings}


def test_readme_names_predicts_static_table_for_new_series():
    from rnnlab.panel import GlobalForecaster

    assert "`predict(history=new, static=static_df)`" in _flat("README.md")
    protocol = _flat("docs/panels.md")
    protocol = protocol[protocol.index("## The model protocol"):]
    assert "`predict(history=new, static=table)`" in protocol[:protocol.index("## ", 5)]
    assert "static" in inspect.signature(GlobalForecaster.predict).parameters


def _compare_paragraph() -> str:
    text = _flat("README.md")
    start = text.index("`rnnlab compare` reads a CSV's series as `rnnlab forecast` reads it")
    return text[start:text.index("Every model gets the same data", start)]


def test_readmes_compare_config_example_runs_as_written():
    from rnnlab.compare.config import CompareConfig

    said = _compare_paragraph()
    [call] = re.findall(r"`(CompareConfig\([^`]*\))`", said)
    cfg = eval(call, {"CompareConfig": CompareConfig})
    assert (cfg.date_column, cfg.period) == ("Month", 12)
    assert CompareConfig(date_column=False).date_column == "none"  # (without dates)
    options = set(re.findall(r"`(--[a-z-]+)`", said))
    known = {o for a in _parser(("compare",))._actions for o in a.option_strings}
    assert len(options) >= 7 and options <= known, sorted(options - known)
    fields = set(CompareConfig.__dataclass_fields__)
    # "all but --encoding are CompareConfig's fields of the same names"
    assert {o[2:].replace("-", "_") for o in options} - fields == {"encoding"}


def test_utf32_is_named_by_the_readme_and_encodings_help(tmp_path):
    from rnnlab.data.series import load_series
    from rnnlab.io.errors import RnnlabError

    assert "utf-32" in _help(("forecast",), "--encoding")
    text = _flat("README.md")
    assert "`--encoding cp1252` (or latin1, cp932, utf-16, utf-32, ...;" in text
    assert "(a UTF-16 or UTF-32 file: its encoding, known by its byte-order mark)" in text
    p = tmp_path / "d.csv"
    p.write_bytes("ds,y\n2020-01-01,1\n".encode("utf-32"))
    with pytest.raises(RnnlabError, match="is UTF-32 text"):
        load_series(p)


def test_readmes_hostile_file_fixes_are_what_the_messages_say(tmp_path):
    from rnnlab.data.series import load_series
    from rnnlab.io.errors import RnnlabError

    text = _flat("README.md")
    assert "a symbolic link that leads nowhere or back to itself (`ln -sfn FILE LINK`" in text
    assert "a file you may not read (`chmod u+r FILE`)" in text
    link = tmp_path / "d.csv"
    link.symlink_to("d.csv")
    with pytest.raises(RnnlabError, match="ln -sfn FILE"):
        load_series(link)
    from rnnlab.io.unreadable import read_failure

    assert "chmod u+r" in read_failure(tmp_path / "x.csv", PermissionError(13, "denied"))


def test_readmes_column_typed_but_for_its_case_is_named_as_said(tmp_path):
    from rnnlab.data.series import load_series
    from rnnlab.io.errors import RnnlabError

    assert ("refuse a `--column` or `--date-column` that is a column's name but for its case "
            "or spaces (`Value` for a spreadsheet's `value `)") in _flat("README.md")
    p = tmp_path / "d.csv"
    p.write_text("month,value \n" + "".join(f"20{i:02d}-01-01,{i}\n" for i in range(1, 30)))
    with pytest.raises(RnnlabError, match=r"did you mean 'value '\? \(its case and the spaces"):
        load_series(p, column="Value")


def test_readmes_unbuildable_networks_exit_with_2(tmp_path, capsys):
    from rnnlab.cli import main

    assert ("a network its options cannot build, as `--model drnn --num-layers 1`, an unknown "
            "`--model` or a `--hidden-size` of 0 or too large to exist") in _flat("README.md")
    assert "with the error its fit gives and exit status 2" in _flat("docs/panels.md")
    code = main(["forecast", "--data", "airline", "--model", "nosuch", "--out",
                 str(tmp_path / "f")])
    assert code == 2, capsys.readouterr().err


def test_readmes_panel_backtests_section_says_a_killed_backtest_goes_on():
    # (the section a backtest's user reads said nothing of --resume; "Files and safety" did)
    import shlex

    from rnnlab.cli import build_parser
    from rnnlab.panel import backtest_models

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    part = text[text.index("## Panel backtests"):text.index("## One series with covariates")]
    flat = " ".join(part.split())
    assert "A long backtest survives a kill." in flat
    assert "(the third command above, killed: the same line with `--resume` at its end;" in flat
    block = part[part.index("```bash\n") + 8:part.index("```", part.index("```bash\n") + 8)]
    commands = [c for c in block.replace("\\\n", " ").splitlines() if c.strip()]
    third = shlex.split(commands[2].split("#")[0]) + ["--resume"]
    args = build_parser().parse_args(third[1:])  # (the options of rnnlab backtest)
    assert args.resume is True and args.out == "runs/us-nets"
    assert {"checkpoint_dir", "resume"} <= set(inspect.signature(backtest_models).parameters)


def test_the_backtest_pages_list_of_what_it_writes_names_its_checkpoints():
    from rnnlab.panel.backtest_resume import CHECKPOINTS

    text = _flat("docs/panels.md")
    said = text[text.index("It writes `forecasts.csv`, `summary.csv`"):]
    said = said[:said.index("One series")]
    assert f"keeps `{CHECKPOINTS}/` (the finished folds" in said, said


def test_forecasts_output_help_names_the_formats_it_refuses(tmp_path):
    # (the help said "this CSV file" alone; session 29 refuses out.parquet and the like)
    from rnnlab.io.errors import OptionError
    from rnnlab.io.output_file import check_output_file

    said = _help(("forecast",), "--output")
    names = re.findall(r"out\.[a-z.]+", said)
    assert names == ["out.parquet", "out.xlsx", "out.csv.gz"], said
    for name in names:
        with pytest.raises(OptionError, match="writes CSV text"):
            check_output_file(str(tmp_path / name), False, option="--output")


def test_readmes_layer_state_and_torch_names_sentences_run_as_written():
    # every layer takes hx= (the sentence said Recurrent's alone); the load it writes runs
    import torch

    import rnnlab.nn
    from rnnlab.nn import Bidirectional, LSTMCell, Recurrent, Stacked, to_torch_state_dict

    text = _flat("README.md")
    assert ("Each layer (and `build_model`'s models) takes the initial state as `layer(x, h0)`, "
            "or `layer(x, hx=h0)` as torch.nn names it.") in text
    [load] = re.findall(r"`(stack\.load_state_dict\(rnnlab\.nn\.from_torch_state_dict\([^`]*)`",
                        text)
    [key] = re.findall(r"\(`(layers\.0\.[\w.]+)`\)", text)

    def bi(i):
        return Bidirectional(Recurrent(LSTMCell(i, 4)), Recurrent(LSTMCell(i, 4), reverse=True))

    stack = Stacked([bi(3), bi(8)])
    torch_lstm = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    eval(load, {"stack": stack, "rnnlab": rnnlab, "torch_lstm": torch_lstm})
    assert key in stack.state_dict()
    assert sorted(to_torch_state_dict(stack)) == sorted(torch_lstm.state_dict())
    from rnnlab.nn import GRUCell  # (one state tensor per direction and layer)

    h = torch.randn(2, 4)
    for layer, h0 in ((Recurrent(GRUCell(3, 4)), h),
                      (Bidirectional(Recurrent(GRUCell(3, 4)),
                                     Recurrent(GRUCell(3, 4), reverse=True)), (h, -h)),
                      (Stacked([Recurrent(GRUCell(3, 4)), Recurrent(GRUCell(4, 4))]), [h, -h])):
        x = torch.randn(5, 2, 3)
        torch.testing.assert_close(layer(x, hx=h0)[0], layer(x, h0)[0], rtol=0, atol=0)


def test_forecasts_off_grid_help_says_the_run_keeps_it():
    # (session 29 keeps fit's off_grid in the saved model; the help said nothing of --run)
    said = _help(("forecast",), "--off-grid")
    assert "the run keeps it, and --run DIR --data NEW reads NEW with it" in said
    assert "(the actuals' dates)" in _help(("score",), "--off-grid")


def test_readmes_calendar_refusals_of_score_say_what_each_message_says():
    # (README had the half-yearly actuals of a quarterly forecast "naming the resample",
    # which is the daily case's fix; theirs is summing the forecast to half-years)
    import numpy as np
    import pandas as pd

    from rnnlab.forecast.scoring import score_forecast
    from rnnlab.io.errors import DataError

    text = _flat("README.md")
    assert ("daily ones for a monthly forecast, the resample that puts them on the "
            "forecast's; half-yearly ones for a quarterly forecast, actuals by the quarter or "
            "the forecast summed to half-years") in text

    def actuals(freq):
        d = pd.date_range("2015-01-01", "2021-12-31", freq=freq)
        return pd.DataFrame({"date": d, "sales": 100 + np.arange(len(d), dtype=float)})

    for mine, theirs, said in (("MS", "D", "resample('MS'"),
                               ("QS-JAN", "2QS-JAN", "sum the forecast to theirs")):
        fc = pd.DataFrame({"time": pd.date_range("2019-01-01", periods=12, freq=mine),
                           "forecast": 1.0})
        with pytest.raises(DataError, match=re.escape(said)):
            score_forecast(fc, actuals(theirs))
    every_other = pd.DataFrame({"time": pd.date_range("2019-01-01", periods=4, freq="2QS-JAN"),
                                "forecast": 1.0})
    assert score_forecast(every_other, actuals("QS-JAN")).summary.n_forecasts.iloc[0] == 4


@pytest.mark.slow
def test_panels_pages_one_series_command_runs_as_written(tmp_path, monkeypatch):
    # (as written it ran in 44 s on the sandbox; here 2 epochs and one member)
    import shlex

    import pandas as pd

    from rnnlab.cli import main

    text = (ROOT / "docs/panels.md").read_text(encoding="utf-8")
    part = text[text.index("## One series: `Forecaster.backtest`"):text.index("## Benchmarks")]
    block = part[part.index("```bash\n") + 8:]
    block = block[:block.index("```")].replace("\\\n", " ")
    words = shlex.split(block)
    assert words[:2] == ["rnnlab", "backtest"] and "--one-series" in words
    monkeypatch.chdir(tmp_path)
    assert main(words[1:] + ["--epochs", "2", "--ensemble", "1", "--no-progress", "-q",
                             "--plot-series", "0"]) == 0
    summary = pd.read_csv(tmp_path / "runs/airline-bt/summary.csv")
    assert set(summary["model"]) == {"lstm", "naive", "seasonal_naive", "ets"}
