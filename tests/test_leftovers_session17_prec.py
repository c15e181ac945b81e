"""Leftovers mended in session 17: a kernel asked for by name with a mixed precision
refused by the configs (as the commands refuse it), ..."""

from __future__ import annotations

import numpy as np
import pytest

from rnnlab.names import LOOP_IMPLS, UNDER_AUTOCAST


@pytest.mark.parametrize("impl", LOOP_IMPLS)
@pytest.mark.parametrize("precision", ["bf16-mixed", "16-mixed"])
def test_train_config_refuses_a_kernel_by_name_under_a_mixed_precision(impl, precision):
    # before: accepted; fit trained an lstm as if impl were "auto" (torch's kernel) and
    # refused a dt-rnn only at its start, while the CLI refused both at once
    from rnnlab.train import TrainConfig

    with pytest.raises(ValueError) as err:
        TrainConfig(impl=impl, precision=precision)
    text = str(err.value)
    assert f"impl={impl!r} with precision={precision!r}" in text  # what was asked
    assert UNDER_AUTOCAST in text  # why it cannot run
    assert "precision='32'" in text and "impl='auto'" in text  # what to do
    for fine in ("auto", "reference"):
        assert TrainConfig(impl=fine, precision=precision).impl == fine
    assert TrainConfig(impl=impl, precision="32").impl == impl


def test_the_lm_and_forecast_apis_refuse_it_before_training():
    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import DataError
    from rnnlab.lm.config import LMTrainConfig

    with pytest.raises(ValueError, match=r"impl='fast' with precision='bf16-mixed'"):
        LMTrainConfig(impl="fast", precision="bf16-mixed")
    f = Forecaster("lstm", 4, 2, impl="triton", epochs=1, ensemble=1, progress=False)
    with pytest.raises(DataError, match=r"^Forecaster.fit: impl='triton' with "
                                        r"precision='bf16-mixed': .*impl='auto'"):
        f.fit(np.arange(60, dtype=float) % 7, precision="bf16-mixed")
    assert not f.histories  # (nothing trained)
