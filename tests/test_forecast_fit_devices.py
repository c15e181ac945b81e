"""Forecaster.fit's device arguments (rnnlab.forecast.training.fit_devices): the device a
one-process fit trains on."""

import pytest
import torch

from rnnlab.forecast.config import ForecastConfig
from rnnlab.forecast.training import fit_devices


@pytest.fixture
def cuda_here(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    for k in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"):
        monkeypatch.delenv(k, raising=False)


def _device(config_device, accelerator):
    cfg = ForecastConfig(device=config_device)
    return fit_devices(cfg, accelerator, 1, 1, "auto", "32", 0, "stop")[1]


@pytest.mark.parametrize("config_device, accelerator, device", [
    ("cuda:1", "cuda", "cuda:1"),  # was "cuda": the config's GPU 1 dropped for GPU 0
    ("cuda:1", None, "cuda:1"), ("cuda:1", "auto", "cuda:1"), ("cpu", "auto", "cpu"),
    ("cuda:1", "cpu", "cpu"), ("cpu", "cuda", "cuda"), ("auto", "cuda", "cuda")])
def test_an_accelerator_keeps_the_configs_device_of_its_kind(cuda_here, config_device,
                                                             accelerator, device):
    assert _device(config_device, accelerator) == device
