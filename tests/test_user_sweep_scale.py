"""A user's sweep of the scale-out options on CPU: 2-process ddp over gloo, --precision,
--accelerator/--device, --num-nodes, --threads."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def progress_bar_worker(ctx):
    """A worker that makes the training loop's progress bar (tqdm creates a multiprocessing
    lock, a named semaphore in a spawned process) and returns."""
    from rnnlab.train.config import TrainConfig
    from rnnlab.train.progress import progress_bar

    bar = progress_bar(TrainConfig(progress=True), 1, True)
    bar.close()


def _python(code: str, timeout: int = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")]),
               PYTHONWARNINGS="default")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def test_a_two_process_run_with_a_progress_bar_leaks_no_semaphore():
    """The workers end with os._exit (gloo's teardown can abort); it skipped the finalizers
    that unregister tqdm's lock, and the resource tracker warned at exit."""
    r = _python("from rnnlab.train.distributed import DeviceConfig, launch\n"
                "import test_user_sweep_scale as t\n"
                "launch(t.progress_bar_worker, (), DeviceConfig(accelerator='cpu', devices=2))\n"
                "print('ok')")
    assert r.returncode == 0, r.stderr
    assert "ok" in r.stdout
    assert "leaked" not in r.stderr, r.stderr


@pytest.mark.parametrize("extra, named", [
    (["--devices", "2"], "--devices 2"),
    (["--precision", "bf16-mixed"], "--precision bf16-mixed"),
    (["--precision", "16-mixed"], "--precision 16-mixed"),
    (["--accelerator", "cuda"], "--accelerator cuda"),
    (["--num-nodes", "2"], "--num-nodes 2"),
    (["--dist-strategy", "ddp"], "--dist-strategy ddp"),
])
def test_the_panel_model_refuses_device_options_it_used_to_ignore(tmp_path, capsys, extra,
                                                                   named):
    """`rnnlab forecast --id-column ...` trains one CPU process in fp32: it trained that
    whatever --devices/--precision/--accelerator said (and recorded nothing of it)."""
    from test_panel_forecast_cli import DATA_OPTIONS, write_panel

    from rnnlab.cli import main

    data = write_panel(tmp_path / "panel.csv")
    out = tmp_path / "run"
    code = main(["forecast", "--data", str(data), *DATA_OPTIONS, "--epochs", "1",
                 "--hidden-size", "4", "--horizon", "3", "--no-progress", "--out", str(out),
                 *extra])
    err = capsys.readouterr().err
    assert code != 0
    assert "panel model" in err and named in err and "drop" in err
    assert not out.exists()  # refused before any folder or training
