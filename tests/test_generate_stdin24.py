"""``rnnlab lm generate --prefix -`` reads the prefix from standard input, as the other
``-`` inputs are read (it generated after the one-character prefix "-") (session 24)."""

import sys
from pathlib import Path

import pytest

from rnnlab.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))  # (the tests' helpers)
from cli_run import run, tiny_lm_run  # noqa: E402
from test_cli_pipes20 import _stdin  # noqa: E402


@pytest.fixture(scope="module")
def lm_run(tmp_path_factory):
    return tiny_lm_run(tmp_path_factory.mktemp("lm"))


def _generate(lm_run, prefix, capsys):
    capsys.readouterr()
    code = main(["lm", "generate", "--run", str(lm_run), "--prefix", prefix, "-n", "20",
                 "--seed", "3"])
    return code, capsys.readouterr().out


def test_a_piped_prefix_gives_the_text_the_typed_prefix_gives(lm_run, monkeypatch, capsys):
    typed = _generate(lm_run, "a dog sat\n", capsys)
    _stdin(monkeypatch, "a dog sat\n".encode())
    piped = _generate(lm_run, "-", capsys)
    assert typed[0] == piped[0] == 0 and piped[1] == typed[1]
    assert piped[1].startswith("a dog sat\n") and len(piped[1]) == len("a dog sat\n") + 21


def test_a_prefix_read_from_a_terminal_or_in_another_encoding_is_refused(lm_run, monkeypatch,
                                                                         capsys):
    _stdin(monkeypatch, "a caf\u00e9".encode("latin-1"))
    code, err = run(["lm", "generate", "--run", str(lm_run), "--prefix", "-"], capsys)
    assert code == 1 and "--prefix -: standard input is not UTF-8 text" in err
    assert "iconv -f latin1 -t utf-8 | rnnlab lm generate --prefix -" in err

    class Terminal:
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    code, err = run(["lm", "generate", "--run", str(lm_run), "--prefix", "-"], capsys)
    assert code == 2 and "--prefix -: standard input is a terminal" in err


def test_an_oversized_piped_prefix_is_refused(lm_run, monkeypatch, capsys):
    from rnnlab.lm.prefix_input import MAX_PREFIX_BYTES

    _stdin(monkeypatch, b"a" * (MAX_PREFIX_BYTES + 1))
    code, err = run(["lm", "generate", "--run", str(lm_run), "--prefix", "-"], capsys)
    assert code == 1 and "more than the 1,048,576 a prefix takes" in err and "tail -c" in err
