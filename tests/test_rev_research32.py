"""Review of research32 (session 32): what the review found, each pinned by a test that
failed before its fix."""

import pytest
import torch

from rnnlab.train import TensorTask, TrainConfig, fit


def test_a_cpu_fit_with_checkpoints_on_a_gpu_machine_leaves_cuda_unstarted(
        monkeypatch, tmp_path):
    # each checkpoint's RNG states took CUDA's too where CUDA was available, which starts
    # CUDA (memory on the GPU, seconds) for a CPU fit: and versions() then named the GPU
    # (versions.gpu) in the records of a run that never used it
    from rnnlab.io.versions import versions

    started = []
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_initialized", lambda: bool(started))
    monkeypatch.setattr(torch.cuda, "get_rng_state_all",
                        lambda: started.append(1) or [torch.zeros(8, dtype=torch.uint8)])
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda i=None: "a GPU")
    torch.manual_seed(0)
    x, y = torch.randn(16, 3), torch.randn(16, 1)
    fit(torch.nn.Linear(3, 1), TensorTask(x, y, batch_size=8),
        TrainConfig(epochs=2, device="cpu", progress=False), checkpoint_dir=tmp_path / "ck")
    assert not started
    assert "gpu" not in versions()
    fit(torch.nn.Linear(3, 1), TensorTask(x, y, batch_size=8),  # (a resume: the same)
        TrainConfig(epochs=3, device="cpu", progress=False), checkpoint_dir=tmp_path / "ck",
        resume=True)
    assert not started
