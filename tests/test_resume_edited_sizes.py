"""--resume with a hand-edited cli.json (hidden_size 100000): the model of the edited
settings is checked against the checkpoint's shapes on torch's meta device, and refused
naming the setting and the shapes, before memory is taken for it (it allocated the full
model first: 160 GB for an LSTM of 100000 units, refused by the allocator as out of memory)."""

import json

from rnnlab.cli import main


def _edit(run, **changes):
    path = run / "cli.json"
    saved = json.loads(path.read_text())
    saved.pop("_sha256", None)  # (as a hand edit leaves it: no checksum to match)
    saved["options"].update(changes)
    path.write_text(json.dumps(saved))


def _refused(capsys, argv):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "cannot resume with model lstm, hidden_size 100000" in err, err
    assert "file (32, 8) vs model (400000, 100000)" in err  # the checkpoint's shapes
    assert "out of memory" not in err and "cli.json" in err


def test_forecast_resume_refuses_edited_sizes_before_building(tmp_path, capsys):
    run = tmp_path / "f"
    assert main(["forecast", "--data", "airline", "--model", "lstm", "--hidden-size", "8",
                 "--epochs", "1", "--ensemble", "1", "--no-progress", "--select", "network",
                 "--out", str(run)]) == 0
    _edit(run, hidden_size=100000)
    _refused(capsys, ["forecast", "--resume", str(run)])


def test_lm_resume_refuses_edited_sizes_before_building(tmp_path, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text(("the time traveller spoke to us of things. " * 120))
    run = tmp_path / "lm"
    assert main(["lm", "train", "--corpus", str(corpus), "--model", "lstm", "--hidden-size",
                 "8", "--num-layers", "1", "--embedding", "4", "--epochs", "1", "--seq-len",
                 "16", "--batch-size", "8", "--sample-every", "0", "--no-progress",
                 "--out", str(run)]) == 0
    _edit(run, hidden_size=100000)
    _refused(capsys, ["lm", "train", "--resume", str(run), "--epochs", "2"])

