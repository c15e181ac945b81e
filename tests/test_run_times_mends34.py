"""The final read's mend of the run times: a start mark gone while ``rnnlab runs`` lists
its run (the run finished meanwhile) gives a blank time, not a FileNotFoundError traceback;
the time is written as every record's is (one formatter, :mod:`rnnlab.io.run_times`)."""

from rnnlab.io.run_times import written_at


def test_a_mark_gone_gives_a_blank_time(tmp_path):
    mark = tmp_path / "mark"
    mark.write_text("[]")
    assert written_at(mark).endswith("Z") and len(written_at(mark)) == 20
    mark.unlink()
    assert written_at(mark) == ""
