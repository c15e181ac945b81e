"""bf16-mixed on a CPU without a bf16 LSTM kernel (oneDNN needs AVX-512): the LSTM layers
run torch's fp32 kernel inside autocast, with a one-line note, instead of dying with
"could not create a primitive descriptor" (issue 19)."""

import subprocess
import sys
from pathlib import Path

import pytest
import torch
from torch import nn

from rnnlab.train import precision

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_bf16_lstm(monkeypatch):
    monkeypatch.setattr(precision, "cpu_bf16_lstm_supported", lambda: False)


def test_without_a_bf16_lstm_kernel_lstms_run_fp32_inside_autocast(no_bf16_lstm):
    from rnnlab.nn import LSTM, LSTMCell, Recurrent

    x = torch.randn(5, 2, 3)
    cpu = torch.device("cpu")
    for layer in (nn.LSTM(3, 4), LSTM(3, 4), Recurrent(LSTMCell(3, 4))):
        with precision.autocast_context("bf16-mixed", cpu):
            out, _ = layer(x)
            after = nn.Linear(4, 1)(out)  # every other op keeps bf16
        assert out.dtype == torch.float32 and after.dtype == torch.bfloat16
        after.float().sum().backward()
        assert all(p.grad is not None and p.grad.dtype == torch.float32
                   for p in layer.parameters())
    assert precision.needs_lstm_fallback("bf16-mixed", cpu)
    assert not precision.needs_lstm_fallback("32", cpu)


def test_fit_says_once_that_the_lstm_runs_fp32(no_bf16_lstm, capsys):
    from rnnlab.nn.registry import build_model
    from rnnlab.train import TrainConfig, fit, seed_everything
    from tiny_task import TinyTask

    seed_everything(0)
    m = nn.Module()
    m.rnn, m.head = build_model("lstm", input_size=1, hidden_size=4), nn.Linear(4, 1)
    hist = fit(m, TinyTask(), TrainConfig(epochs=1, progress=False, precision="bf16-mixed"))
    assert hist.path == "fused" and hist.steps == 2
    err = capsys.readouterr().err
    assert err.count("no bf16 LSTM kernel") == 1 and "fp32" in err


@pytest.mark.slow  # (two fresh interpreters: ~18 s on 2 busy cores)
def test_the_named_bf16_tests_pass_on_a_cpu_limited_to_avx2():
    """oneDNN's ONEDNN_MAX_CPU_ISA=AVX2 reproduces an AVX2-only CPU: before the fallback
    these three tests died there with "could not create a primitive descriptor"."""
    from avx2_limit import avx2_env_or_skip

    env = avx2_env_or_skip(ROOT / "src")
    tests = ["tests/test_distributed.py::test_bf16_mixed_trains_on_cpu_and_reloads_in_fp32",
             "tests/test_lm_distributed.py::test_bf16_mixed_trains_an_lm_on_cpu_and_reloads_in_fp32",
             "tests/test_train_loop.py::test_history_records_the_path_training_ran_on"
             "[lstm-bf16-mixed-fused]"]
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "3 passed" in r.stdout
