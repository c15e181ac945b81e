"""Keras' ``fit(x, validation_data=..., callbacks=[...])`` given to ``CharLM.fit``: was
"unknown setting" and the list of LMTrainConfig's fields, with no word of ``val_text`` or
``on_epoch``, which do it here (the forecasters': tests/test_forecast_val_data23.py,
tests/test_panel_on_epoch23.py)."""

import pytest

from rnnlab import CharLM
from rnnlab.io.errors import ConfigTypeError


@pytest.mark.parametrize("keras, ours", [("validation_data", "val_text="),
                                         ("callbacks", "on_epoch=fn")])
def test_charlm_fit_names_what_does_it_here(keras, ours):
    with pytest.raises(ConfigTypeError, match=f"'{keras}' \\(here: {ours}"):
        CharLM(hidden_size=8).fit("hello world " * 20, epochs=1, **{keras: None})
