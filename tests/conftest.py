import os

import pytest
import torch

os.environ.setdefault("MPLBACKEND", "Agg")
# Without a GPU, Triton can only run its kernels in its CPU interpreter: the Triton
# fast paths are then tested there (tests/test_triton_paths.py). Set before any kernel
# module is imported, because Triton reads it when it decorates the kernels.
if not torch.cuda.is_available():
    os.environ.setdefault("TRITON_INTERPRET", "1")


@pytest.fixture(autouse=True)
def _one_thread():
    """Tests use tiny tensors: one intra-op thread is faster on 2 cores, and deterministic."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)
