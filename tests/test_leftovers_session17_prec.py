"""Leftovers mended in session 17: a kernel asked for by name with a mixed precision
refused by the configs (as the commands refuse it); a Ctrl-C while ``rnnlab`` starts (one
line, exit 130); --max-vocab on resuming a run that did not record it (ignored and said;
the API refuses a max_vocab its checkpoint's vocabulary exceeds); which layers ran fp32
inside bf16-mixed on a CPU without a bf16 LSTM kernel, recorded in the history and the
run's metrics.json."""

from __future__ import annotations

import numpy as np
import pytest

from rnnlab.names import LOOP_IMPLS, UNDER_AUTOCAST


@pytest.mark.parametrize("impl", LOOP_IMPLS)
@pytest.mark.parametrize("precision", ["bf16-mixed", "16-mixed"])
def test_train_config_refuses_a_kernel_by_name_under_a_mixed_precision(impl, precision):
    # before: accepted; fit trained an lstm as if impl were "auto" (torch's kernel) and
    # refused a dt-rnn only at its start, while the CLI refused both at once
    from rnnlab.train import TrainConfig

    with pytest.raises(ValueError) as err:
        TrainConfig(impl=impl, precision=precision)
    text = str(err.value)
    assert f"impl={impl!r} with precision={precision!r}" in text  # what was asked
    assert UNDER_AUTOCAST in text  # why it cannot run
    assert "precision='32'" in text and "impl='auto'" in text  # what to do
    for fine in ("auto", "reference"):
        assert TrainConfig(impl=fine, precision=precision).impl == fine
    assert TrainConfig(impl=impl, precision="32").impl == impl


def test_the_lm_and_forecast_apis_refuse_it_before_training():
    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import DataError
    from rnnlab.lm.config import LMTrainConfig

    with pytest.raises(ValueError, match=r"impl='fast' with precision='bf16-mixed'"):
        LMTrainConfig(impl="fast", precision="bf16-mixed")
    f = Forecaster("lstm", 4, 2, impl="triton", epochs=1, ensemble=1, progress=False)
    with pytest.raises(DataError, match=r"^Forecaster.fit: impl='triton' with "
                                        r"precision='bf16-mixed': .*impl='auto'"):
        f.fit(np.arange(60, dtype=float) % 7, precision="bf16-mixed")
    assert not f.histories  # (nothing trained)


# a real SIGINT, sent by the process to itself when the module named in RNNLAB_TEST_SIGINT_AT
# is about to be imported: Python raises KeyboardInterrupt right there, as for a Ctrl-C
# typed at that moment (no race: the signal is sent from inside the import)
SIGINT_AT_IMPORT = """
import importlib.abc, os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)  # (ignored in a shell's '&' job)
class _CtrlC(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == os.environ["RNNLAB_TEST_SIGINT_AT"]:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, _CtrlC())
"""


def _src():
    """The src folder of the rnnlab under test (its pyproject.toml beside it)."""
    from pathlib import Path

    import rnnlab

    return Path(rnnlab.__file__).resolve().parents[1]


_SRC = _src()


def _console_script() -> str:
    """The script pip writes for the ``rnnlab`` entry point of pyproject.toml."""
    from pyproject_data import pyproject  # (tomllib, or tomli on Python 3.10)

    module, func = pyproject(_SRC.parent / "pyproject.toml")["project"]["scripts"][
        "rnnlab"].split(":")
    return (f"import re\nimport sys\nfrom {module} import {func}\n"
            f"if __name__ == '__main__':\n"
            f"    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
            f"    sys.exit({func}())\n")


@pytest.mark.parametrize("how", ["script", "-m"])
@pytest.mark.parametrize("at", ["rnnlab.cli", "rnnlab.io.terminate"])
def test_ctrl_c_while_rnnlab_starts_is_one_line_and_exit_130(tmp_path, how, at):
    # before: a Traceback (KeyboardInterrupt) from the console script's top-level
    # `from rnnlab.cli import main`, or from cli.main between its two handlers
    import os
    import subprocess
    import sys
    src = str(_SRC)
    if how == "script":
        script = tmp_path / "rnnlab"
        script.write_text(SIGINT_AT_IMPORT + _console_script())
        cmd = [sys.executable, str(script), "models"]
    else:
        cmd = [sys.executable, "-c", SIGINT_AT_IMPORT + "import runpy, sys\n"
               "sys.argv[1:] = ['models']\nrunpy.run_module('rnnlab', run_name='__main__')"]
    env = dict(os.environ, PYTHONPATH=src, RNNLAB_TEST_SIGINT_AT=at)
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 130, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rnnlab") and "interrupted" in lines[0], \
        r.stderr
    assert r.stdout == ""


def test_an_option_the_saved_run_does_not_record_is_ignored_on_resume_and_said(tmp_path,
                                                                               capsys):
    # before: typed on --resume, an option missing from an older run's cli.json was kept
    # (and recorded) silently, whatever the run had started with
    from argparse import Namespace

    from rnnlab.io.atomic import atomic_write_json
    from rnnlab.io.cli_options import apply_saved_options

    atomic_write_json(tmp_path / "cli.json", {"options": {"corpus": "c.txt", "epochs": 1},
                                              "command": "rnnlab lm train"}, checksum=True)
    defaults = Namespace(corpus=None, epochs=10, max_vocab=None, level="char")
    args = Namespace(corpus=None, epochs=3, max_vocab=6, level="char", resume=str(tmp_path),
                     given_options=frozenset({"resume", "epochs", "max_vocab"}))
    apply_saved_options(args, tmp_path, defaults, ("epochs",), "rnnlab lm train")
    assert (args.corpus, args.epochs, args.max_vocab, args.level) == ("c.txt", 3, None, "char")
    err = capsys.readouterr().err
    assert "ignored --max-vocab 6 (its cli.json does not record it" in err, err
    assert "--epochs" not in err and "--level" not in err


@pytest.mark.slow  # (two lm train runs: ~10 s on 2 busy cores)
def test_max_vocab_on_resuming_a_run_that_did_not_record_it_is_ignored_and_said(tmp_path,
                                                                                  capsys):
    # before: a run made before --max-vocab was recorded, resumed with --max-vocab 6,
    # trained on its checkpoint's 17 words and recorded max_vocab 6 (cli.json, model.json)
    import json

    from test_leftovers_session16 import LM_TINY, TEXT

    from rnnlab.cli import main
    from rnnlab.io.atomic import atomic_write_json

    corpus, run = tmp_path / "c.txt", tmp_path / "run"
    corpus.write_text(TEXT, encoding="utf-8")
    assert main(["lm", "train", "--corpus", str(corpus), "--level", "word", *LM_TINY,
                 "--out", str(run)]) == 0
    cli = json.loads((run / "cli.json").read_text())
    del cli["options"]["max_vocab"]  # as an older rnnlab wrote it
    atomic_write_json(run / "cli.json", {"options": cli["options"], "command": cli["command"]},
                      checksum=True)
    capsys.readouterr()
    assert main(["lm", "train", "--resume", str(run), "--max-vocab", "6", "--epochs", "2"]) == 0
    err = capsys.readouterr().err
    assert "ignored --max-vocab 6 (its cli.json does not record it" in err, err
    assert json.loads((run / "cli.json").read_text())["options"]["max_vocab"] is None
    model = json.loads((run / "model" / "model.json").read_text())
    assert model["config"]["max_vocab"] is None and len(model["extra"]["vocab"]["tokens"]) > 6


def test_a_resumed_fit_refuses_a_max_vocab_its_checkpoint_vocabulary_exceeds(tmp_path):
    from test_leftovers_session16 import TEXT

    import torch

    from rnnlab.io.errors import DataError
    from rnnlab.lm import CharLM
    from rnnlab.lm.config import LMTrainConfig

    torch.set_num_threads(1)
    kw = dict(seq_len=8, batch_size=4, epochs=1, progress=False)
    sizes = dict(hidden_size=4, num_layers=1, embedding=2, level="word")
    first = CharLM(**sizes).fit(TEXT, checkpoint_dir=tmp_path, **kw)
    assert len(first.vocab) > 6
    with pytest.raises(DataError, match=rf"cannot resume .* with max_vocab=6 \(--max-vocab\): "
                                        rf"a resumed fit keeps its checkpoint's vocabulary, of "
                                        rf"{len(first.vocab)} tokens"):
        CharLM(**sizes, max_vocab=6).fit(TEXT, checkpoint_dir=tmp_path, resume=True,
                                         **dict(kw, epochs=2))
    again = CharLM(**sizes, max_vocab=len(first.vocab))  # (the run's own: taken)
    again.check_fit(TEXT, LMTrainConfig(**dict(kw, epochs=2)), tmp_path, resume=True)
    assert again.vocab.tokens == first.vocab.tokens


FP32_WHY = "32 (this CPU has no bf16 LSTM kernel: oneDNN needs AVX-512)"


@pytest.fixture
def bf16_lstm(monkeypatch):
    """``set(False)``: a CPU without a bf16 LSTM kernel (AVX2 only), ``set(True)``: with one."""
    from rnnlab.train import precision

    return lambda supported: monkeypatch.setattr(precision, "cpu_bf16_lstm_supported",
                                                 lambda: supported)


def test_the_history_records_which_layers_ran_fp32_inside_bf16_mixed(bf16_lstm, capsys):
    # before: the fallback was said on stderr only; the history (and so metrics.json and
    # each checkpoint) recorded the config's "bf16-mixed" for every layer
    from tiny_task import TinyTask, tiny_model

    from rnnlab.train import TrainConfig, fit

    cfg = TrainConfig(epochs=1, progress=False, precision="bf16-mixed")
    bf16_lstm(False)
    hist = fit(tiny_model("lstm"), TinyTask(), cfg)
    assert hist.precision == {"rnn.body": FP32_WHY, "other layers": "bf16-mixed"}
    assert hist.to_dict()["precision"] == hist.precision
    assert "recorded as the run's precision" in capsys.readouterr().err
    assert fit(tiny_model("gru"), TinyTask(), cfg).precision == {"all layers": "bf16-mixed"}
    bf16_lstm(True)
    assert fit(tiny_model("lstm"), TinyTask(), cfg).precision == {"all layers": "bf16-mixed"}
    plain = TrainConfig(epochs=1, progress=False)
    assert fit(tiny_model("lstm"), TinyTask(), plain).precision == {"all layers": "32"}


def test_lm_and_forecast_runs_record_it_in_their_metrics(bf16_lstm, tmp_path):
    import json

    import torch
    from test_leftovers_session16 import TEXT

    from rnnlab.forecast import Forecaster
    from rnnlab.lm import CharLM
    from rnnlab.lm.run_report import write_metrics

    torch.set_num_threads(1)
    bf16_lstm(False)
    lm = CharLM(model="lstm", hidden_size=4, num_layers=1, embedding=2).fit(
        TEXT, seq_len=8, batch_size=4, epochs=1, progress=False, precision="bf16-mixed")
    write_metrics(tmp_path, lm, 1.0)
    assert json.loads((tmp_path / "metrics.json").read_text())["precision"] == {
        "body.body": FP32_WHY, "other layers": "bf16-mixed"}
    f = Forecaster("lstm", 4, 2, hidden_size=4, epochs=1, ensemble=2, progress=False).fit(
        np.sin(np.arange(60.0)), precision="bf16-mixed")
    assert [h["precision"] for h in f.histories] == [{"body.body": FP32_WHY,
                                                       "other layers": "bf16-mixed"}] * 2


@pytest.mark.slow  # (three fresh interpreters training: ~30 s on 2 busy cores)
def test_the_run_folders_record_it_on_a_cpu_limited_to_avx2(tmp_path):
    """ONEDNN_MAX_CPU_ISA=AVX2 reproduces an AVX2-only CPU: `rnnlab lm train` and `rnnlab
    forecast` with --precision bf16-mixed write which layers ran fp32 in metrics.json."""
    import json
    import subprocess
    import sys

    from test_leftovers_session16 import LM_TINY, TEXT

    from avx2_limit import avx2_env_or_skip

    env = avx2_env_or_skip(_SRC)
    corpus, series = tmp_path / "c.txt", tmp_path / "s.csv"
    corpus.write_text(TEXT, encoding="utf-8")
    series.write_text("y\n" + "\n".join(f"{np.sin(i / 3):.4f}" for i in range(80)) + "\n")
    commands = {"lm": ["lm", "train", "--corpus", str(corpus), "--model", "lstm", *LM_TINY],
                "forecast": ["forecast", "--data", str(series), "--model", "lstm",
                             "--lookback", "4", "--horizon", "2", "--epochs", "1",
                             "--ensemble", "1", "--hidden-size", "4", "--no-progress"]}
    for name, argv in commands.items():
        out = tmp_path / name
        r = subprocess.run([sys.executable, "-m", "rnnlab", *argv, "--precision", "bf16-mixed",
                            "--out", str(out)], env=env, capture_output=True, text=True,
                           timeout=300)
        assert r.returncode == 0, r.stderr[-3000:]
        metrics = json.loads((out / "metrics.json").read_text())
        ran = metrics["precision"] if name == "lm" else metrics["training"]["precision"][0]
        assert ran == {"body.body": FP32_WHY, "other layers": "bf16-mixed"}, (name, ran)
