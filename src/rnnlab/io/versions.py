"""What a run records of the software and machine that made it: versions of rnnlab,
torch, numpy, pandas and Python, the platform, torch's CPU threads, the CPU kernels
torch and oneDNN use (their last-bit differences grow over a training run), and the GPU
and CUDA version where the run used one, and the git commit of rnnlab's source where it
runs from a checkout (:mod:`.source_commit`: the version stays 0.1.0 between changes)."""

from __future__ import annotations

import os
import platform
import sys


def versions(device=None) -> dict:
    """The record's ``versions``. ``device``: the device the run trains on, where the
    record is written before training starts CUDA (a run directory's config.json): a CUDA
    one names its GPU, the CPU none; None: the GPU this process has used, if any."""
    import numpy

    from .. import __file__ as package_file, __version__
    from .source_commit import source_commit

    torch = sys.modules.get("torch")  # (not imported for it: bptt-demo runs without torch)
    commit = source_commit(package_file)
    return {"rnnlab": __version__, **({"rnnlab_commit": commit} if commit else {}),
            "torch": torch.__version__ if torch is not None else _installed("torch"),
            "numpy": numpy.__version__,
            "pandas": _installed("pandas"),  # reads the dates: frequencies, periods
            "python": sys.version.split()[0], "platform": platform.platform(),
            "cpu": cpu_model(),
            # torch's CPU kernels (AVX512, AVX2, DEFAULT): their last-bit differences grow over
            # a training run, so the same seed gives other numbers with others (docs/articles.md)
            "torch_cpu_kernels": _cpu_kernels(torch), **_threads(torch), **_onednn_limit(),
            **_gpu(torch, device)}


def _gpu(torch, device=None) -> dict:
    """``{"gpu": name, "cuda": version}`` where the run trains on a GPU: ``device``'s (a
    CUDA device; the CPU: {}), or without one, where this process has used CUDA (else
    {}: CUDA is not started for it, so a CPU run's record costs no CUDA start-up)."""
    try:
        if torch is None:
            return {}
        if device is None:
            if not torch.cuda.is_initialized():
                return {}
            index = torch.cuda.current_device()
        else:
            device = torch.device(device)
            if device.type != "cuda":
                return {}
            index = device.index if device.index is not None else torch.cuda.current_device()
        return {"gpu": torch.cuda.get_device_name(index), "cuda": torch.version.cuda}
    except (AttributeError, RuntimeError, AssertionError):  # (a build without CUDA)
        return {}


def cpu_model():
    """The CPU's model name (``/proc/cpuinfo``'s "model name" on Linux, else what
    ``platform.processor()`` says; None when neither names it): two CPUs with the same
    kernels (AVX512) can still give other last bits, as an Intel Xeon and an AMD EPYC did
    for the same seeds (docs/articles.md), so a documented figure names the machine."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Processor", "cpu model") and value.strip():
                    return value.strip()
    except OSError:
        pass
    return platform.processor() or None


def _threads(torch) -> dict:
    """``{"threads": n}``: torch's CPU threads when the record is written (a run's
    ``--threads``, or torch's own count where it was left at its default, which the
    options did not say): a sum split over another count of threads may round otherwise."""
    try:
        return {} if torch is None else {"threads": int(torch.get_num_threads())}
    except (AttributeError, RuntimeError):
        return {}


# oneDNN's own limit on the instruction sets it uses (the CPU LSTM, convolutions, matmuls),
# which torch_cpu_kernels (ATen's) does not show: under ONEDNN_MAX_CPU_ISA=AVX2 a run on an
# AVX-512 CPU gives other last bits (and bf16-mixed trains the LSTM layers in fp32)
ONEDNN_ISA_VARIABLES = ("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA")


def _onednn_limit() -> dict:
    """``{"onednn_max_cpu_isa": value}`` where the environment limits oneDNN, else {}."""
    limit = next((os.environ[v] for v in ONEDNN_ISA_VARIABLES if os.environ.get(v)), None)
    return {} if limit is None else {"onednn_max_cpu_isa": limit}


def _cpu_kernels(torch):
    try:
        return torch.backends.cpu.get_cpu_capability() if torch is not None else None
    except (AttributeError, RuntimeError):
        return None


def _installed(name: str):
    """The installed version of ``name`` (None when it is not), without importing it."""
    import importlib.metadata as md

    try:
        return md.version(name)
    except md.PackageNotFoundError:
        return None


def recorded_threads(meta) -> int:
    """The CPU threads a saved model's ``model.json`` (``meta``) records under ``versions``,
    or 0 when it records none: a model loaded and saved again keeps the threads it was
    trained on in its record (it named the threads of the session that saved it again)."""
    was = meta.get("versions") if isinstance(meta, dict) else None
    n = was.get("threads") if isinstance(was, dict) else None
    return n if isinstance(n, int) and not isinstance(n, bool) and 0 < n < 1 << 16 else 0
