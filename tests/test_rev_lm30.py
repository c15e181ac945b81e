"""Review of lm30 (lm generate without --prefix, lm eval without --text): the lm command
line back under the house limit, and what the review mended."""

import json
import sys
import warnings
from pathlib import Path

import pytest

from rnnlab.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))  # (the tests' helpers)
from test_cli_pipes20 import _stdin  # noqa: E402
from test_lm_defaults30 import TINY_LM, TRAIN, runs  # noqa: E402,F401  (runs: a fixture)
from test_lm_defaults30 import _out as _said  # noqa: E402


def _lines(module) -> int:
    return len(Path(module.__file__).read_text().splitlines())


def test_the_lm_command_line_stays_under_the_house_limit():
    """cli.py was 301 lines: lm eval lives in eval_command.py, where a command finds a
    run's model in run_model.py; the old names stay importable from cli."""
    from rnnlab.lm import cli, eval_command, run_model

    assert _lines(cli) < 300
    assert cli.cmd_eval is eval_command.cmd_eval
    assert cli._prepared_ids is eval_command._prepared_ids
    assert cli.model_dir is run_model.model_dir


# ---------------------------------------------------------------- lm eval, held_out_text
def test_eval_without_text_refuses_an_encoding_it_would_not_apply(runs, capsys):
    """--encoding converts --text's file: without --text it was taken and ignored (the
    held-out text read as the run recorded it), as though it had been applied."""
    run = runs["carved"]
    for encoding in ("cp1252", "utf-8"):
        code, out, err = _said(capsys, ["lm", "eval", "--run", str(run), "--encoding",
                                        encoding])
        assert code == 2 and out == ""
        assert "--encoding converts the file given as --text, and no --text is given" in err
        assert "leave --encoding out, or pass --text FILE with it" in err
    code, out, err = _said(capsys, ["lm", "eval", "--run", str(run), "--json"])
    assert code == 0, err
    assert json.loads(out)["scored"].startswith("the last 10% of")
    code, out, err = _said(capsys, ["lm", "eval", "--run", str(run), "--text",  # (as before)
                                    str(runs["corpus"]),
                                    "--encoding", "cp1252", "--json"])
    assert code == 0, err
    assert json.loads(out)["tokens"] == len(TRAIN) - 1


def test_eval_without_text_scores_a_corpus_piped_to_lm_train_from_its_kept_copy(
        tmp_path, monkeypatch, capsys):
    """README said a run of a corpus read from standard input is refused: lm train keeps
    what it read (rnnlab.io.kept_input) and records that copy, which lm eval reads back;
    refused only once the copy is gone."""
    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path / "cache"))
    _stdin(monkeypatch, TRAIN.encode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["lm", "train", "--corpus", "-", *TINY_LM, "--out",
                     str(tmp_path / "r")]) == 0
    (kept,) = (tmp_path / "cache" / "inputs").iterdir()
    code, out, err = _said(capsys, ["lm", "eval", "--run", str(tmp_path / "r"), "--json"])
    assert code == 0, err
    got, metrics = json.loads(out), json.loads((tmp_path / "r" / "metrics.json").read_text())
    assert got["text"] == str(kept) and got["bpc"] == pytest.approx(metrics["val_bpc"])
    kept.unlink()
    code, _, err = _said(capsys, ["lm", "eval", "--run", str(tmp_path / "r")])
    assert code == 1 and f"cannot read the text the run held out, {kept}" in err
    assert "pass --text FILE_OR_NAME" in err


def test_held_out_text_tells_a_python_caller_what_to_do_too(runs, tmp_path):
    """held_out_text is Python's as much as lm eval's: its refusal said only "pass --text",
    an option Python has not."""
    from rnnlab.io.errors import DataError
    from rnnlab.lm import CharLM, held_out_text

    CharLM.load(runs["carved"] / "model").save(tmp_path / "saved")
    with pytest.raises(DataError, match=r"no such record.*pass --text FILE_OR_NAME.*in Python, "
                                        r"score one of your own: lm\.bits_per_char\(load_"
                                        r"corpus\(FILE_OR_NAME\)\)"):
        held_out_text(tmp_path / "saved")
