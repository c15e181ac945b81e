"""A spy for "never built for real": wraps ``owner.name`` so that each call records the
device tensors are made on at that moment (``meta`` under a meta-device build)."""

import torch


def record_build_devices(monkeypatch, owner, name: str) -> list:
    devices = []
    real = getattr(owner, name)

    def build(*a, **k):
        devices.append(torch.empty(0).device.type)
        return real(*a, **k)

    monkeypatch.setattr(owner, name, build)
    return devices
