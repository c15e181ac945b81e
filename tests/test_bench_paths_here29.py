"""``rnnlab bench --paths triton --no-reference`` on a machine where Triton cannot run
(a CPU): each custom model's row failed ("no path to time") after the anchors were timed,
and the run exited 1. A request none of whose rows can ever run here is a usage error,
refused before any row is timed (exit status 2), saying why and what to do."""

from __future__ import annotations

import pytest
import torch

from rnnlab.bench.models import check_paths_run
from rnnlab.cli import main
from rnnlab.io.errors import OptionError

CPU = torch.device("cpu")


@pytest.fixture(autouse=True)
def _no_interpreter(monkeypatch):
    from rnnlab.nn.fast import triton_common

    # (TRITON_INTERPRET=1 at import runs Triton on the CPU: the paths would run here)
    monkeypatch.setattr(triton_common, "_INTERPRETED", False)


@pytest.mark.parametrize("paths", ["triton", "triton,triton-split,triton-resident"])
def test_triton_paths_alone_without_the_reference_are_refused_on_the_cpu(paths, tmp_path,
                                                                         capsys):
    out = tmp_path / "rows.json"
    code = main(["bench", "--paths", paths, "--no-reference", "--configs", "C0",
                 "--models", "lstm,dt-rnn", "--device", "cpu", "--repeats", "1",
                 "--json", str(out)])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert "dt-rnn" in captured.err and "--no-reference" in captured.err
    assert "--paths fast" in captured.err or "drop --no-reference" in captured.err
    assert "| config |" not in captured.out and not out.exists()  # nothing was timed


def test_python_m_rnnlab_bench_refuses_it_with_2_too(capsys):
    from rnnlab.bench.cli import main as bench_main

    assert bench_main(["--paths", "triton", "--no-reference", "--configs", "C0",
                       "--models", "dt-rnn", "--device", "cpu"]) == 2
    assert "python -m rnnlab.bench: error:" in capsys.readouterr().err


@pytest.mark.parametrize("models,impls,reference", [
    (["dt-rnn"], ["triton"], True),  # (the reference loop is timed)
    (["dt-rnn"], ["triton", "fast"], False),  # (fast runs here)
    (["lstm"], ["triton"], False),  # (no model reads --paths: check_read says so)
])
def test_a_request_with_a_path_that_runs_here_is_not_refused(models, impls, reference):
    check_paths_run(models, impls, reference, CPU, torch.float32)


def test_the_check_names_why_triton_cannot_run():
    with pytest.raises(OptionError) as e:
        check_paths_run(["gru-cho", "dt-rnn"], ["triton-split"], False, CPU, torch.float32)
    assert "gru-cho" in str(e.value) and ("CUDA" in str(e.value)
                                          or "not installed" in str(e.value))
