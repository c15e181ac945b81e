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


def threads_worker(ctx, folder):
    import torch

    Path(folder, f"rank{ctx.rank}").write_text(str(torch.get_num_threads()))


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


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: every worker has 1 thread")
def test_two_cpu_workers_share_the_parents_threads(tmp_path):
    """`--threads 1 --devices 2`: a spawned worker took torch's default (every core) and the
    forecast's --threads never reached it; now the workers split the parent's threads."""
    r = _python("import torch; torch.set_num_threads(1)\n"
                "from rnnlab.train.distributed import DeviceConfig, launch\n"
                "import test_user_sweep_scale as t\n"
                f"launch(t.threads_worker, ({str(tmp_path)!r},), "
                "DeviceConfig(accelerator='cpu', devices=2))")
    assert r.returncode == 0, r.stderr
    assert [(tmp_path / f"rank{k}").read_text() for k in (0, 1)] == ["1", "1"]


def _never(ctx):
    raise AssertionError("started although the settings cannot run")


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="CUDA is available here")
@pytest.mark.parametrize("cfg, env, match", [
    (dict(precision="16-mixed", devices=2), {}, r"16-mixed needs a CUDA device.*bf16-mixed"),
    (dict(precision="16-mixed"), {}, r"16-mixed needs a CUDA device.*bf16-mixed"),
    (dict(accelerator="cuda", devices=2), {}, r"CUDA is not available here.*--accelerator cpu"),
    (dict(num_nodes=2), {}, r"--num-nodes 2 needs one launcher.*not set.*torchrun --nnodes 2"),
    (dict(num_nodes=2), {"MASTER_ADDR": "h"}, r"not all set: only MASTER_ADDR"),
    (dict(num_nodes=2), {"RANK": "0", "WORLD_SIZE": "2"},
     r"RANK and WORLD_SIZE are set but MASTER_ADDR, MASTER_PORT not.*torchrun"),
    (dict(devices=2, num_nodes=2), {"RANK": "0", "WORLD_SIZE": "2", "MASTER_ADDR": "127.0.0.1",
                                    "MASTER_PORT": "1"}, r"= 4 processes.*WORLD_SIZE=2"),
])
def test_settings_this_machine_cannot_run_are_refused_before_any_process(monkeypatch, cfg, env,
                                                                          match):
    """16-mixed on the CPU was refused only inside the spawned workers (after the run
    directory was written); a partial launcher environment failed in torch's rendezvous
    ("environment variable MASTER_ADDR expected"); a group of another size trained."""
    from rnnlab.train.distributed import DeviceConfig, launch

    for k in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT", "LOCAL_RANK"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(ValueError, match=match):
        launch(_never, (), DeviceConfig(**dict(dict(accelerator="cpu"), **cfg)))


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="CUDA is available here")
@pytest.mark.parametrize("extra, match", [
    (["--precision", "16-mixed", "--devices", "2"], "16-mixed needs a CUDA device"),
    (["--num-nodes", "2"], "needs one launcher per node"),
    (["--device", "cuda"], "CUDA is not available here"),
    (["--device", "cuda", "--devices", "2"], "CUDA is not available here"),
])
def test_forecast_refuses_them_before_its_run_directory(tmp_path, capsys, extra, match):
    from rnnlab.cli import main

    out = tmp_path / "run"
    acc = [] if "--device" in extra else ["--accelerator", "cpu"]
    assert main(["forecast", "--epochs", "1", "--hidden-size", "4", "--no-progress",
                 *acc, "--out", str(out), *extra]) != 0
    assert match in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("flag", ["--devices", "--num-nodes"])
@pytest.mark.parametrize("value", ["0", "-1"])
def test_devices_and_nodes_below_one_are_refused_naming_the_flag(tmp_path, capsys, flag, value):
    """--devices 0 said "devices and num_nodes must be >= 1, got 0, 1" (which one?)."""
    from rnnlab.cli import main

    corpus = tmp_path / "c.txt"
    corpus.write_text("abc " * 500, encoding="utf-8")
    assert main(["lm", "train", "--corpus", str(corpus), "--out", str(tmp_path / "r"),
                 flag, value]) == 2
    err = capsys.readouterr().err
    assert f"({flag}) must be a whole number >= 1" in err and f"got {value}" in err
    assert not (tmp_path / "r").exists()


def test_backtest_refuses_a_thread_count_the_openmp_runtime_cannot_start(capsys):
    """`rnnlab backtest --threads 99999` had no upper bound (the other commands' --threads
    stop at 1024: the OpenMP runtime aborted, out of memory)."""
    from rnnlab.cli import main

    assert main(["backtest", "--data", "x.csv", "--threads", "99999"]) == 2
    err = capsys.readouterr().err
    assert "argument --threads" in err and "at most 1024" in err


@pytest.mark.parametrize("device", ["mps", "xla", "meta"])
def test_fit_refuses_a_device_torch_names_but_rnnlab_does_not_train_on(device):
    """TrainConfig(device='mps') reached fit, which said "move the model there first
    (model.to('mps'))": advice that cannot work on this machine (or on any, for rnnlab)."""
    from test_user_sweep_torch import _cfg, _tiny_model
    from tiny_task import TinyTask

    from rnnlab.train import fit

    with pytest.raises(ValueError, match=f"device '{device}': rnnlab trains on the CPU or on "
                                         f"CUDA GPUs only .*use auto, cpu, cuda or cuda:N"):
        fit(_tiny_model(), TinyTask(), _cfg(device=device))


def test_device_config_takes_any_whole_number_and_names_a_bad_one():
    import numpy as np

    from rnnlab.train.distributed import DeviceConfig

    assert DeviceConfig(devices=np.int64(2)).devices == 2
    for bad in (True, 1.5, "2"):
        with pytest.raises(ValueError, match=r"devices \(--devices\) must be a whole number"):
            DeviceConfig(devices=bad)
