"""``--config RUN_DIR`` of an ``lm train`` run with the other of ``--val-text`` /
``--val-fraction`` typed: the record's choice is dropped with a note (both were refused as
given together), where both given by the user (typed, or in a file of one's own) are still
refused."""

import json

from rnnlab.cli import main

from test_lm_val_text22 import TINY_LM, _files


def _record(run):
    return json.loads((run / "cli.json").read_text())["options"]


def test_a_records_choice_gives_way_to_the_other_typed(tmp_path, capsys):
    corpus, valid = _files(tmp_path)
    with_text, with_fraction = tmp_path / "text", tmp_path / "fraction"
    assert main(["lm", "train", "--corpus", str(corpus), "--val-text", str(valid), *TINY_LM,
                 "--out", str(with_text)]) == 0
    capsys.readouterr()
    assert main(["lm", "train", "--config", str(with_text), "--val-fraction", "0.2",
                 "--print-config"]) == 0  # (what it prints, --config reads as it runs)
    printed = json.loads(capsys.readouterr().out)["options"]
    assert printed["val_text"] is None and printed["val_fraction"] == 0.2
    assert main(["lm", "train", "--config", str(with_text), "--val-fraction", "0.2",
                 "--out", str(with_fraction)]) == 0
    err = capsys.readouterr().err
    assert "--val-text: from the run record" in err and "pass one of them" not in err
    assert _record(with_fraction)["val_text"] is None
    assert _record(with_fraction)["val_fraction"] == 0.2
    again = tmp_path / "again"
    assert main(["lm", "train", "--config", str(with_fraction), "--val-text", str(valid),
                 "--out", str(again)]) == 0
    assert "--val-fraction: from the run record" in capsys.readouterr().err
    assert _record(again)["val_text"] == str(valid)
    assert _record(again)["val_fraction"] == 0.1  # (the default: not read)


def test_both_in_a_file_of_ones_own_are_still_refused(tmp_path, capsys):
    corpus, valid = _files(tmp_path)
    own = tmp_path / "own.toml"
    own.write_text(f'corpus = "{corpus.as_posix()}"\nval_text = "{valid.as_posix()}"\n',
                   encoding="utf-8")
    assert main(["lm", "train", "--config", str(own), "--val-fraction", "0.2", *TINY_LM,
                 "--out", str(tmp_path / "r")]) != 0
    assert "pass one of them" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()
