"""An unknown option is refused by the command typed, naming the options meant."""

import pytest

from rnnlab.cli import main


@pytest.mark.parametrize("argv, said", [
    # before: "rnnlab: error: unrecognized arguments: --data x", the top level's usage
    (["lm", "train", "--data", "x", "--out", "o"],
     "rnnlab lm train: error: unrecognized arguments: --data x (--data: did you mean --corpus?)"),
    (["forecast", "--data", "airline", "--max-epochs", "2"], "--max-epochs: did you mean --epochs?"),
    (["forecast", "--data", "airline", "--input-chunk-length=12"],
     "--input-chunk-length: did you mean --lookback?"),
    (["backtest", "--data", "x", "--levels", "80"], "--levels: did you mean --quantiles?"),
    # before: "--level: did you mean --quantiles?", and --quantiles 80 95 was then refused
    (["backtest", "--data", "x", "--level", "80", "95"], "--level: did you mean --quantiles? "
     "--level 80 95 as central intervals in % is --quantiles 0.025 0.1 0.5 0.9 0.975 here"),
    (["forecast", "--data", "x", "--level=90"],
     "--level 90 as central intervals in % is --quantiles 0.05 0.5 0.95 here"),
    (["lm", "train", "--corpus", "x", "--learning-rate", "0.1"], "did you mean --lr?"),
    (["backtest", "--data", "x", "--foo", "3"], "`rnnlab backtest --help` lists its options"),
    # NeuralForecast's cross_validation(n_windows=, step_size=): before, "--step-size: did
    # you mean --head-size?" (a spelling) and nothing for --n-windows
    (["backtest", "--data", "x", "--n-windows", "3", "--step-size", "4"],
     "(--n-windows: did you mean --first-origin? --n-windows N is --first-origin H + (N - 1) "
     "* S with --stride S (--horizon H)"),
    (["backtest", "--data", "x", "--step-size", "4"], "(--step-size: did you mean --stride?)"),
    # before: "--test-size: did you mean --head-size?" (forecast has it)
    (["backtest", "--data", "x", "--test-size", "12"],
     "--test-size: a backtest tests each origin's next --horizon steps: --first-origin N"),
    # before: "--top-p: did you mean --top-k?", as if K tokens were a share of the mass
    (["lm", "sample", "--run", "r", "--prefix", "a", "--top-p", "0.9"],
     "--top-p: nucleus (top-p) sampling is not available; --top-k K draws from the K most "
     "likely tokens"),
])
def test_unknown_options_name_what_was_meant(argv, said, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert said in err
    assert err.startswith(f"usage: rnnlab {argv[0]}")  # the command's own usage


def test_known_options_still_parse():
    from rnnlab.cli import build_parser
    from rnnlab.cli_unknown import command_parser

    parser = build_parser(["lm", "train"], lazy=True)
    args, extra = parser.parse_known_args(["lm", "train", "--corpus", "x", "--out", "o"])
    assert extra == [] and args.corpus == "x"
    assert command_parser(parser, args).prog == "rnnlab lm train"


@pytest.mark.parametrize("argv, said", [
    # before: "unrecognized arguments: --corpus=x (--corpus: did you mean --corpus?)"
    (["lm", "--corpus=x", "train", "--out", "o"],
     "--corpus is an option of `rnnlab lm train`: give it after `train` "
     "(rnnlab lm train --corpus ...)"),
    (["-q", "forecast"],  # (a short option: was "`rnnlab forecast --help` lists its options")
     "-q is an option of `rnnlab forecast`: give it after `forecast`"),
    (["--data=airline", "forecast"],
     "--data is an option of `rnnlab forecast`: give it after `forecast`"),
])
def test_a_commands_option_given_before_its_name_is_said_to_go_after_it(argv, said, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert said in err and "did you mean" not in err, err
