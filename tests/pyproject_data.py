"""pyproject.toml read as data by the packaging tests, on every Python rnnlab supports:
the standard library's ``tomllib`` from 3.11, ``tomli`` (the package it came from, and a
dependency of rnnlab there) on 3.10. Was: each test imported ``tomllib``, so on 3.10 these
tests were skipped, or failed with an ImportError where one did not ``importorskip`` it."""

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # (Python 3.10)
    import tomli as tomllib

ROOT = Path(__file__).parents[1]


def pyproject(path: Path = ROOT / "pyproject.toml") -> dict:
    """The parsed ``pyproject.toml`` (the repository's own unless ``path`` names another)."""
    return tomllib.loads(Path(path).read_text())
