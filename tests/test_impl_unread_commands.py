"""--impl fast (or a triton one) with a model that always runs torch's fused kernel: rnnlab
forecast (one series and panel) and rnnlab lm train refuse it as rnnlab compare does; it was
recorded and changed nothing (the run printed "recurrent path: fused")."""

import pytest

from rnnlab.cli import main
from rnnlab.names import LOOP_MODELS

CORPUS = "../shared/data/the_time_machine.txt"


def _refused(capsys, argv):
    assert main(argv) == 2  # (a usage error, as rnnlab compare's: session 18)
    err = capsys.readouterr().err
    assert "--impl" in err and "fused" in err and ", ".join(LOOP_MODELS) in err, err
    return err


@pytest.mark.parametrize("model", ["lstm", "gru", "brnn"])
def test_forecast_one_series_refuses_an_impl_its_model_does_not_read(tmp_path, capsys, model):
    out = tmp_path / "run"
    err = _refused(capsys, ["forecast", "--data", "airline", "--impl", "fast", "--model",
                            model, "--epochs", "1", "--ensemble", "1", "--out", str(out)])
    assert f"--model {model}" in err
    assert not out.exists()  # refused before the run directory was made


def test_forecast_panel_refuses_an_impl_it_does_not_read(tmp_path, capsys):
    base = ["forecast", "--data", "visnights", "--epochs", "1", "--out", str(tmp_path / "p")]
    _refused(capsys, base + ["--impl", "fast", "--model", "lstm"])
    # the panel network trains with auto whatever --impl says, for a loop model too
    assert main(base + ["--impl", "triton", "--model", "dt-rnn"]) == 2
    assert "--impl triton" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()


def test_lm_train_refuses_an_impl_its_model_does_not_read(tmp_path, capsys):
    out = tmp_path / "lm"
    _refused(capsys, ["lm", "train", "--corpus", CORPUS, "--model", "lstm", "--impl", "fast",
                      "--epochs", "1", "--out", str(out)])
    assert not out.exists()


def test_resumed_forecast_checks_the_runs_model_against_the_new_impl(tmp_path, capsys):
    """--resume takes --impl from the command line and --model from the run's cli.json."""
    import json

    run = tmp_path / "r"
    run.mkdir()
    (run / "cli.json").write_text(json.dumps({"options": {"data": "airline", "model": "gru"},
                                                 "command": "rnnlab forecast"}))
    assert main(["forecast", "--resume", str(run), "--impl", "fast"]) == 2
    assert "--model gru" in capsys.readouterr().err


def test_resume_of_an_older_run_that_recorded_an_unread_impl_is_not_refused(tmp_path, capsys):
    """A run started before the refusal (--model lstm --impl fast, accepted: it ran torch's
    fused kernel) recorded impl 'fast' in its cli.json; --resume without --impl takes that
    recorded value, which the user did not type now: the resume is not refused for it (it
    said 'leave --impl out' to a command that had left it out). --impl typed anew is checked."""
    import argparse

    from rnnlab.train.cli_args import refuse_unread_impl

    old = dict(model="lstm", impl="fast", resume=str(tmp_path))
    refuse_unread_impl(argparse.Namespace(**old, given_options=frozenset({"resume"})))
    with pytest.raises(ValueError, match="fused kernel"):
        refuse_unread_impl(argparse.Namespace(**old, given_options=frozenset({"resume", "impl"})))
    with pytest.raises(ValueError, match="fused kernel"):  # (a Python caller: no record)
        refuse_unread_impl(argparse.Namespace(**old))


@pytest.mark.parametrize("command", [["forecast"], ["lm", "train"]])
def test_resume_command_with_a_recorded_unread_impl_gets_past_the_impl_check(tmp_path, capsys,
                                                                             command):
    import json

    run = tmp_path / "r"
    run.mkdir()
    # (a column or corpus that is not there: the command stops just after the impl check)
    options = ({"data": "airline", "column": "nope"} if command == ["forecast"]
               else {"corpus": str(tmp_path / "nope.txt")})
    (run / "cli.json").write_text(json.dumps({
        "options": {**options, "model": "lstm", "impl": "fast"},
        "command": "rnnlab " + " ".join(command)}))
    assert main(command + ["--resume", str(run)]) == 1
    err = capsys.readouterr().err
    assert "fused kernel whatever" not in err and "nope" in err, err
