"""Review of the library side (bench, nn, lm, io, train): each test failed before its fix."""

from __future__ import annotations

import json


# -- bench --json: a file written while the run goes on is not marked complete ---------------
def test_bench_json_written_mid_run_is_marked_not_complete(monkeypatch, tmp_path):
    """A run killed between rows (SIGKILL, out of memory, a power cut) leaves the file of
    its last row: it must not say ``"interrupted": false`` (a complete run) then."""
    from rnnlab.bench import cli as bench_cli
    from rnnlab.cli import main

    docs = []
    real = bench_cli.atomic_write_text

    def keep(path, text):
        docs.append(json.loads(text))
        return real(path, text)

    monkeypatch.setattr(bench_cli, "atomic_write_text", keep)
    out = tmp_path / "b.json"
    code = main(["bench", "--configs", "C0", "--models", "rnn", "--repeats", "1",
                 "--warmup", "0", "--threads", "1", "--json", str(out)])
    assert code == 0
    assert len(docs) > 1
    assert [d["interrupted"] for d in docs[:-1]] == [True] * (len(docs) - 1)
    assert docs[-1]["interrupted"] is False and len(docs[-1]["rows"]) == len(docs[-2]["rows"])
