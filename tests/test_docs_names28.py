"""Every name the README and docs/*.md write as `` `rnnlab.x.y` `` is one a user can reach:
an attribute or a module. The README named `rnnlab.fit` (there is `rnnlab.train.fit`) among
the routes that say a spent time budget with rnnlab.BudgetStopWarning."""

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _names():
    return sorted({m.group(1) for f in FILES for m in
                   re.finditer(r"`(rnnlab(?:\.[A-Za-z_]\w*)+)`", f.read_text(encoding="utf-8"))})


def _reach(name: str):
    parts = name.split(".")
    obj = importlib.import_module(parts[0])
    for i, part in enumerate(parts[1:], 1):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            obj = importlib.import_module(".".join(parts[:i + 1]))
    return obj


def test_the_docs_name_some_rnnlab_names():
    assert len(_names()) > 20  # (the pattern finds them: a test of none passes empty)


@pytest.mark.parametrize("name", _names())
def test_a_name_the_docs_write_is_reachable(name):
    try:
        _reach(name)
    except ImportError:
        pytest.fail(f"the docs name `{name}`, which is neither an attribute nor a module")
