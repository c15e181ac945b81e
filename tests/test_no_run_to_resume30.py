"""A panel forecast's and a backtest's words for a folder that holds nothing to resume,
each naming what its run lacks: the same before and after session 30 made their shared
lines one definition (run_resume.no_run_to_resume); the backtest's were not pinned."""

from rnnlab.io.command_line import running
from rnnlab.io.rundir import prepare_run_dir
from rnnlab.panel import backtest_resume, run_resume


def test_each_command_names_what_its_run_lacks_and_what_to_do(tmp_path):
    out = tmp_path / "run"
    with running(["backtest", "--data", "p.csv", "--out", str(out)]):
        prepare_run_dir(out)
    entries = ["d.csv", "c.csv", "b.csv", "a.csv"]  # (shown sorted, the first three)
    said = backtest_resume._nothing_to_resume(out, entries)
    assert said == (f"{out}: holds a run with no backtest folds to resume (a.csv, b.csv, "
                    f"c.csv, ...): another command's run, or one that finished before "
                    f"backtests kept them; run it again with --overwrite, or choose another "
                    f"--out"), said
    assert run_resume._nothing_to_resume(out, entries) == (
        f"{out}: holds a run with no checkpoint to resume (a.csv, b.csv, c.csv, ...): train "
        f"it again with --overwrite, or choose another --out")
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "notes.txt").write_text("mine")
    for words in (backtest_resume._nothing_to_resume, run_resume._nothing_to_resume):
        assert words(plain, ["notes.txt"]) == (f"{plain}: holds no run of rnnlab's "
                                               f"(notes.txt): nothing to resume; choose "
                                               f"another (or an empty) --out")
