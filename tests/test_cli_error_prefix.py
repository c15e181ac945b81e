"""The error line of a subcommand names it as its other lines do."""

from rnnlab.cli import main


def test_an_lm_error_names_the_subcommand(tmp_path, capsys):
    """"rnnlab lm: error: ..." for a refusal, "rnnlab lm train: error: ..." for running
    out of memory: one command, two names; now the subcommand's, as the other lines say."""
    assert main(["lm", "train", "--corpus", str(tmp_path / "none.txt"), "--out",
                 str(tmp_path / "o")]) == 1
    assert capsys.readouterr().err.startswith("rnnlab lm train: error: ")
