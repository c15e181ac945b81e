"""A user's own Task (not TensorTask) trained data-parallel on a short last batch.

The loop splits every task's global batch across the ranks, so a rank can get no rows; a
Task whose loss is its batch's mean (``mse_loss``, ``.mean()``) returns NaN for them. Every
rank then skipped the step (the loop's non-finite guard), and the epoch's loss was NaN
(``nan * 0``). The loop now takes, for a rank with no rows, an exact zero built from the
parameters in place of the task's loss (after calling it: DDP's forward syncs buffers).
"""

import json
import math

import pytest
import torch

from rnnlab.io.weights import load_weights
from rnnlab.train.distributed import DeviceConfig, launch

import dist_tasks


@pytest.mark.slow
def test_a_user_task_whose_empty_share_is_nan_trains_as_one_process(tmp_path):
    got = {}
    for devices in (1, 2):
        out = tmp_path / str(devices)
        out.mkdir()
        launch(dist_tasks.one_row_task_worker, (str(out),),
               DeviceConfig(accelerator="cpu", devices=devices))
        got[devices] = [(load_weights(out / f"rank{r}.safetensors"),
                         json.loads((out / f"rank{r}.json").read_text()))
                        for r in range(devices)]
    (one, one_hist), = got[1]
    assert one_hist["skipped_steps"] == 0 and one_hist["steps"] == 4
    assert all(math.isfinite(v) for v in one_hist["losses"])
    for tensors, hist in got[2]:
        assert hist["skipped_steps"] == 0, hist  # (was 4: every step skipped)
        assert hist["steps"] == 4
        assert all(math.isfinite(v) for v in hist["losses"]), hist  # (was nan)
        assert hist["losses"] == pytest.approx(one_hist["losses"], rel=1e-12)
        for k in one:
            assert torch.allclose(tensors[k], one[k], rtol=1e-12, atol=1e-14), k
