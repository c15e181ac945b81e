"""docs/bptt.md: every equation's link still lands on the line that computes it."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "bptt.md"
REF = ROOT / "src" / "rnnlab" / "reference"
LINK = re.compile(r"\[`(\w+\.py)` `(\w+)\(\)` L(\d+)\]\(\.\./src/rnnlab/reference/(\w+\.py)#L(\d+)\)"
                  r" `\[(eq:[\w.]+)\]`")
TAG = re.compile(r"\[(eq:[\w.]+)\]")


def code_tags():
    """tag -> (file, line, enclosing function) for every '# [eq:...]' in the reference package."""
    tags = {}
    for path in sorted(REF.glob("*.py")):
        src = path.read_text()
        funcs = [(n.name, n.lineno, n.end_lineno) for n in ast.walk(ast.parse(src))
                 if isinstance(n, ast.FunctionDef)]
        for number, line in enumerate(src.splitlines(), 1):
            for m in TAG.finditer(line):
                assert m.group(1) not in tags, f"tag {m.group(1)} appears twice"
                inner = [name for name, a, b in funcs if a <= number <= b]
                tags[m.group(1)] = (path.name, number, inner[-1] if inner else None)
    return tags


@pytest.fixture(scope="module")
def doc():
    if not DOC.exists():
        pytest.fail("docs/bptt.md is missing")
    return DOC.read_text()


def test_links_point_at_their_tagged_line(doc):
    tags = code_tags()
    links = LINK.findall(doc)
    assert len(links) >= 40
    for shown_file, func, shown_line, file, line, tag in links:
        where = f"{tag}: doc says {file}:{line}"
        assert tag in tags, f"{where}, but no line carries [{tag}] any more"
        actual = tags[tag]
        assert shown_file == file and shown_line == line, where
        assert (file, int(line)) == actual[:2], (
            f"{where}; the tag is now at {actual[0]}:{actual[1]} - update docs/bptt.md")
        assert func == actual[2], f"{where}; the line is in {actual[2]}(), not {func}()"


def test_every_tagged_equation_is_documented(doc):
    documented = {m[5] for m in LINK.findall(doc)}
    assert set(code_tags()) <= documented, sorted(set(code_tags()) - documented)


def test_lstm_backward_chain_is_covered(doc):
    for tag in ("dh", "do", "dc", "df", "di", "dg", "dai", "daf", "dag", "dao", "dc_prev",
                "dh_prev"):
        assert f"`[eq:lstm.{tag}]`" in doc


def test_plot_and_measured_table_are_in_docs(doc):
    png = ROOT / "docs" / "bptt_gradient_norms.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "(bptt_gradient_norms.png)" in doc
    assert "| `rnn_tanh` | 1.0e+00 |" in doc and "| `lstm forget_bias=3` |" in doc
    assert "python -m rnnlab.reference.demo" in doc
