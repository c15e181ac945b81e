"""The size refusals of `lm train` count in the right number: a one-character text was
said to have "1 chars"."""

import pytest

from rnnlab.cli import main
from rnnlab.lm.fit_checks import counted


def test_counted_is_singular_for_one_only():
    assert counted(1, "char") == "1 char"
    assert counted(0, "char") == "0 chars" and counted(2, "token") == "2 tokens"


@pytest.mark.parametrize("text, said", [("a", "has 1 char;"), ("ab", "has 2 chars;")])
def test_lm_train_on_a_tiny_text_counts_its_chars(tmp_path, capsys, text, said):
    corpus = tmp_path / "tiny.txt"
    corpus.write_text(text, encoding="utf-8")
    assert main(["lm", "train", "--corpus", str(corpus), "--out", str(tmp_path / "run")]) != 0
    err = capsys.readouterr().err
    assert f"the training part of the corpus {said}" in err
