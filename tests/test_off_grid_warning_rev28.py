"""OffGridWarning (off_grid='snap' / 'drop') points at the user's line through
:func:`rnnlab.callers_line.callers_level`, as rnnlab's other warnings do. Its own copy of
that walk compared paths as strings: a user's file in a folder beside the package
(``src/rnnlab_notebooks/``) read as rnnlab's, and so did ``<stdin>`` typed in a shell
started inside the package's folder; the warning pointed past the user's line."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import rnnlab
from rnnlab import DataError, OffGridWarning
from rnnlab.data.series import load_series
from test_off_grid_dates28 import _frame, _fridays

PACKAGE = Path(rnnlab.__file__).parent


def _thursday_among_fridays():
    return _frame(_fridays())  # (2020-12-17 among Fridays)


@pytest.mark.parametrize("name, cwd", [
    (str(PACKAGE) + "_notebooks/study.py", None),  # a user's folder beside the package
    ("<stdin>", PACKAGE)])                         # a shell started in the package's folder
def test_the_note_points_at_the_users_line(monkeypatch, name, cwd):
    if cwd is not None:
        monkeypatch.chdir(cwd)
    typed = compile("\nload_series(frame, off_grid='snap')", name, "exec")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        exec(typed, {"load_series": load_series, "frame": _thursday_among_fridays()})
    said = [(w.filename, w.lineno) for w in seen if w.category is OffGridWarning]
    assert said == [(name, 2)]


def test_the_default_refuses_as_before_without_the_note():
    """(no off_grid given: the date is refused, named, and nothing is moved or said)"""
    with warnings.catch_warnings():
        warnings.simplefilter("error", OffGridWarning)
        with pytest.raises(DataError, match="2020-12-17"):
            load_series(_thursday_among_fridays())
