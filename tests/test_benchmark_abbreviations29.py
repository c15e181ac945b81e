"""Session 29: the benchmark scripts refuse abbreviated options, as the ``rnnlab`` command
does (:mod:`rnnlab.cli_prefixes`): argparse's default read ``--rep 3`` as ``--repeats 3``,
so a typo, or an option a later version adds with the same start, changed silently what a
recorded command measured. Every script builds its parser with
``benchmarks/script_help.script_parser``."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
SCRIPTS = sorted(p.name for p in BENCHMARKS.glob("*.py") if p.name != "script_help.py")


def _script_help():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import script_help
    finally:
        sys.path.remove(str(BENCHMARKS))
    return script_help


@pytest.mark.parametrize("script", SCRIPTS)
def test_no_script_builds_a_parser_of_its_own(script):
    """An ``argparse.ArgumentParser(...)`` (or ``ArgumentParser(...)``) made by a script
    takes abbreviations; the shared ``script_parser`` takes none."""
    tree = ast.parse((BENCHMARKS / script).read_text(encoding="utf-8"))
    made = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call) and (
        getattr(n.func, "attr", None) == "ArgumentParser"
        or getattr(n.func, "id", None) == "ArgumentParser")]
    assert made == [], f"{script}: argparse.ArgumentParser at lines {made}; use " \
                       f"script_help.script_parser"


def test_the_shared_parser_refuses_an_abbreviation_naming_the_option(capsys):
    p = _script_help().script_parser(prog="bench")
    p.add_argument("--repeats", type=int, default=21, help="timed rounds")
    p.add_argument("--size", default="C3")
    assert p.parse_args(["--repeats", "3"]).repeats == 3
    for words in (["--rep", "3"], ["--rep=3"]):
        with pytest.raises(SystemExit) as e:
            p.parse_args(words)
        assert e.value.code == 2
        err = capsys.readouterr().err
        assert "unrecognized arguments: " + " ".join(words) in err
        assert "--repeats" in err and "timed rounds" in err


def test_a_script_refuses_an_abbreviation_before_it_measures(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    run = subprocess.run([sys.executable, str(BENCHMARKS / "lstm_overhead.py"), "--rep", "1"],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
    assert run.returncode == 2, run.stdout[-300:]
    assert "--repeats" in run.stderr and not run.stdout.strip()
