"""Review of the panel fits' checkpoints (``GlobalForecaster.fit(checkpoint_dir=, resume=)``):
what a resume compares is what the fit reads, so the same data given in another form
resumes, and what the checkpoints' own folders record is checked."""

import pandas as pd
import pytest

from rnnlab.panel import GlobalForecaster
from test_panel_checkpoints27 import SETTINGS, Killed, _frame, _kill_at, _same

STATIC = pd.DataFrame({"unique_id": ["s0", "s1", "s2"], "sector": ["a", "b", "a"]})
WITH_STATIC = {**SETTINGS, "static_covariates": ("sector",)}


def test_the_static_table_in_another_row_order_resumes(tmp_path):
    # was refused: "its checkpoints were trained with other static covariates (another
    # static= table)", its CSV text hashed as given, though the fit reads it by id
    whole = GlobalForecaster(**WITH_STATIC).fit(_frame(), STATIC)
    with pytest.raises(Killed):
        GlobalForecaster(**WITH_STATIC).fit(_frame(), STATIC, checkpoint_dir=tmp_path,
                                            on_epoch=_kill_at(1, 3))
    other_form = STATIC.iloc[::-1].assign(note="unread")[["note", "sector", "unique_id"]]
    resumed = GlobalForecaster(**WITH_STATIC).fit(_frame(), other_form,
                                                  checkpoint_dir=tmp_path, resume=True)
    _same(whole, resumed)
