"""A nightly job that fails on warnings (``python -W error``, ``PYTHONWARNINGS=error``, a
monitoring rule's usual setting): rnnlab's warning, raised as an exception, was said to be
"a defect of rnnlab" with a traceback and exit status 70, which pages whoever owns rnnlab.
It is the job's own choice: one line naming the warning, exit status 1."""

import warnings

import pytest


def _main_warning(monkeypatch, category, action: str) -> int:
    """``rnnlab forecast``'s status where its command warns (``category``) under the
    filter ``action``."""
    import rnnlab.cli
    from rnnlab import console

    def warns(argv=None):
        warnings.warn("series ['x'] were not in the training panel", category)
        return 0

    monkeypatch.setattr(rnnlab.cli, "main", warns)
    monkeypatch.setattr("sys.argv", ["rnnlab", "forecast"])
    with warnings.catch_warnings():
        warnings.simplefilter(action)
        return console.main()


@pytest.mark.parametrize("category", [UserWarning, RuntimeWarning])
def test_a_warning_made_an_error_is_one_line_and_status_1(monkeypatch, capsys, category):
    assert _main_warning(monkeypatch, category, "error") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    assert (f"rnnlab: error: {category.__name__}: series ['x'] were not in the training panel "
            f"(a warning made an error by Python's -W error or PYTHONWARNINGS=error") in err


def test_a_warning_left_a_warning_still_exits_0(monkeypatch):
    assert _main_warning(monkeypatch, UserWarning, "always") == 0


def test_the_readme_says_how_a_job_fails_on_warnings():
    from pathlib import Path

    text = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text(
        "utf-8").split())
    assert "`PYTHONWARNINGS=error::UserWarning`" in text
    assert "`rnnlab: error: UserWarning: ...`, exit status 1" in text


def test_a_warning_the_command_prints_itself_is_made_an_error_too(capsys):
    """The warnings a command prints itself (``rnnlab forecast: warning: the new data ends
    before the data the run was trained on``: a nightly job fed yesterday's file) went to
    stderr under ``-W error`` too, and the job that fails on warnings exited 0, as the
    README says it does not."""
    from rnnlab.warning_lines import print_warning

    said = "rnnlab forecast: warning: the new data ends 2020-01-01, before the data"
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        with pytest.raises(UserWarning, match=r"^the new data ends 2020-01-01, before"):
            print_warning(said)
    assert capsys.readouterr().err == ""
    for message, category in (("", DeprecationWarning), ("other", UserWarning)):
        with warnings.catch_warnings():  # (filters that do not take this warning)
            warnings.simplefilter("default")
            warnings.filterwarnings("error", message, category)
            print_warning(said)
        assert "warning: the new data ends" in capsys.readouterr().err
    with warnings.catch_warnings():
        warnings.filterwarnings("error", r"the new data ends", UserWarning)
        with pytest.raises(UserWarning):
            print_warning(said)
