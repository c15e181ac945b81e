"""A data-parallel rank's empty share of a batch changes none of the model's buffers.

The loop still runs the rank's forward pass (DDP's forward syncs buffers and readies its
gradient hooks), then takes an exact zero for its loss. TensorTask runs that pass on one
row of its data: on that rank a BatchNorm's running mean and variance moved by that row;
a user's Task that runs the model on no rows counted one more batch in
``num_batches_tracked``. DDP copies rank 0's buffers at the next forward pass, but the
last step's stay. A global batch of no rows divided by zero in the loop
(ZeroDivisionError); it is refused, named.
"""

import json

import pytest
import torch

from rnnlab.io.weights import load_weights
from rnnlab.train.distributed import DeviceConfig, launch

import dist_empty_share30 as tasks


@pytest.mark.slow
@pytest.mark.parametrize("own_task", [False, True])
def test_an_empty_share_leaves_the_ranks_batchnorm_statistics_as_ddp_made_them(tmp_path,
                                                                               own_task):
    launch(tasks.buffers_worker, (str(tmp_path), own_task),
           DeviceConfig(accelerator="cpu", devices=2))
    trained, empty = (load_weights(tmp_path / f"rank{r}.safetensors") for r in (0, 1))
    for epoch in (0, 1):
        for name in ("running_mean", "running_var", "num_batches_tracked"):
            seen, after = (f"{when}{epoch}.norm.{name}" for when in ("seen", "after"))
            # the empty share: its buffers as DDP's forward made them (rank 0's)
            assert torch.equal(empty[after], empty[seen]), (after, empty[after], empty[seen])
            assert torch.equal(empty[seen], trained[seen]), seen
            assert not torch.equal(trained[after], trained[seen]), after  # (rank 0 trained)


@pytest.mark.slow
def test_a_global_batch_of_no_rows_is_refused_naming_it(tmp_path):
    launch(tasks.no_rows_worker, (str(tmp_path),), DeviceConfig(accelerator="cpu", devices=2))
    for r in (0, 1):
        said = json.loads((tmp_path / f"rank{r}.json").read_text())
        assert said.startswith("fit: the task's batch 1 of epoch 1 (get_batch(0, 1)) holds 0 "
                               "rows to split across 2 processes; expected at least one row"), said
