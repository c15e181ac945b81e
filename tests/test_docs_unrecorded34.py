"""Figures README.md gives with no run record beside them say how they were measured, or
that nothing was kept (the docs audit of session 34): `anchor="none"` without a difference
(MASE 1.497 against 0.699; 1.414 against 1.357) named no command, and best.safetensors'
write times read as if a benchmark kept them."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _flat() -> str:
    return " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())


def test_the_anchor_without_a_difference_figures_name_their_commands():
    import ast

    from rnnlab.cli import build_parser

    said = re.search(r"with `--difference none` and the benchmark's settings otherwise \(its "
                     r"`rnnlab backtest` commands with `--difference none` added; [^)]*no record "
                     r"kept[^)]*\), MASE [\d.]+ against [\d.]+ anchored", _flat())
    assert said, "README.md: the anchor sentence does not say how its figures were measured"
    assert "(`benchmarks/panel_anchor.py`)" in _flat()  # "the benchmark"
    # the benchmark's command, as its backtest() builds it, takes --difference none
    tree = ast.parse((ROOT / "benchmarks" / "panel_anchor.py").read_text(encoding="utf-8"))
    [cmd] = [n.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
             and getattr(n.targets[0], "id", None) == "cmd"]
    argv = [e.value if isinstance(e, ast.Constant) else "8" for e in cmd.elts[3:]]
    argv[argv.index("--data") + 1] = "visnights"
    argv[argv.index("--anchor") + 1] = "none"
    argv[argv.index("--baselines") + 1] = "none"
    argv[argv.index("--out") + 1] = "DIR"
    a = build_parser().parse_args(argv + ["--difference", "none"])
    assert (a.anchor, a.difference, a.epochs, a.seed) == ("none", "none", 15, 0)


def test_best_safetensors_write_times_say_no_record_was_kept():
    said = re.search(r"\(measured once on [\w ]+, no command or record kept: 12 ms for a "
                     r"9,340-parameter model", _flat())
    assert said, "README.md: the best.safetensors cost sentence moved"
