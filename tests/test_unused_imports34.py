"""Every import pyflakes names as unused in src/rnnlab is a re-export said so where it
is made (``# noqa: F401``, a comment naming the re-export, or ``X as X``): names kept in
their old home for those that import them from there. An import no one reads and nothing
declares (compat_reference's ``typing.Union``) is dead code, and is removed. (The brief
named rnnlab/lm/model_dir.py; the model folder is rnnlab/io/model_dir.py, whose one such
import, config_fields, the three configs import from there: kept, tests/test_trim29.py.)"""

import ast
import io
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "rnnlab"


def _statement(path: Path, line: int) -> str:
    """The source of the import statement that pyflakes places at ``line``."""
    text = path.read_text()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and node.lineno == line:
            lines = text.splitlines()[node.lineno - 1:node.end_lineno]
            return "\n".join(lines)
    return ""


def _declared(statement: str, name: str) -> bool:
    return ("noqa: F401" in statement or "re-export" in statement
            or f"{name} as {name}" in statement)


@pytest.mark.slow
def test_every_unused_import_in_the_library_is_a_declared_reexport():
    api = pytest.importorskip("pyflakes.api")
    from pyflakes.reporter import Reporter

    out, err = io.StringIO(), io.StringIO()
    api.checkRecursive([str(SRC)], Reporter(out, err))
    assert err.getvalue() == ""
    said = out.getvalue().splitlines()
    other = [s for s in said if "imported but unused" not in s]
    assert other == [], other  # (no unused variable, redefinition, undefined name)
    bare = []
    for s in said:
        path, line = s.split(":")[:2]
        name = s.split("'")[1].split(" as ")[-1].rsplit(".", 1)[-1]
        if not _declared(_statement(Path(path), int(line)), name):
            bare.append(s)
    assert bare == [], "\n".join(bare)


def test_the_rule_reads_a_bare_import_as_undeclared():
    assert not _declared("from typing import Dict, Union", "Union")
    assert _declared("from .x import y  # noqa: F401  (its old home)", "y")
    assert _declared("from .a import (B as B,\n    c)  # (X as X: re-exported)", "B")
