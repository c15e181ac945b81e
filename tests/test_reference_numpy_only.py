"""rnnlab.reference must work without torch: importing it (and running it) loads no torch."""

import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")

CODE = r"""
import sys
import numpy as np
import rnnlab.reference as ref
import rnnlab.reference.demo
rng = np.random.default_rng(0)
for kind in ref.KINDS:
    p = ref.init_params(kind, 2, 3, rng=rng)
    hs, cache = ref.forward(kind, p, rng.normal(size=(4, 2, 2)))
    ref.backward(kind, p, cache, np.ones_like(hs))
ref.gradient_norms_through_time("lstm", seq_len=5, hidden_size=4, seeds=(0,))
loaded = sorted(m for m in sys.modules if m == "torch" or m.startswith("torch."))
print("TORCH_MODULES", loaded)
assert not loaded, loaded
"""


def test_reference_imports_no_torch():
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "TORCH_MODULES []" in out.stdout


def test_reference_sources_do_not_mention_torch_imports():
    folder = Path(SRC) / "rnnlab" / "reference"
    files = sorted(folder.glob("*.py"))
    assert len(files) >= 8
    for f in files:
        for line in f.read_text().splitlines():
            stripped = line.strip()
            assert not (stripped.startswith(("import torch", "from torch"))), f"{f.name}: {line}"
