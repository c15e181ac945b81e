"""``rnnlab forecast --config exp.toml --resume`` (the job scheduler's one command): the
README says the run keeps its own options, one that differs in the file named in a
warning, but a larger ``epochs`` or ``minutes`` trains on, as typed (resume28b made the
budget an option a resume takes anew; the README still said every option was kept)."""

import pytest

from rnnlab.cli import main

SETTINGS = ('data = "airline"\nout = "{out}"\nepochs = {epochs}\nensemble = 1\n'
            'hidden_size = {hidden}\nthreads = 1\nno_progress = true\nselect = "network"\n')


@pytest.mark.slow
def test_a_larger_epochs_in_the_settings_file_trains_on_another_option_is_kept(
        tmp_path, capsys):
    cfg, run = tmp_path / "exp.toml", tmp_path / "run"
    cfg.write_text(SETTINGS.format(out=run, epochs=1, hidden=4))
    assert main(["forecast", "--config", str(cfg), "--resume"]) == 0
    cfg.write_text(SETTINGS.format(out=run, epochs=2, hidden=5))  # (edited after a kill)
    capsys.readouterr()
    assert main(["forecast", "--config", str(cfg), "--resume"]) == 0
    err = capsys.readouterr().err
    assert "ignored --hidden-size 5" in err and "--epochs" not in err, err
    epochs = [r.split(",")[1] for r in (run / "history.csv").read_text().splitlines()[1:]]
    assert epochs == ["1", "2"]
