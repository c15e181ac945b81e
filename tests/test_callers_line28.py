"""rnnlab's warnings point at the user's line that called into rnnlab
(:func:`rnnlab.callers_line.callers_level`). Code typed at the interpreter's prompt
(``<stdin>``), given to ``python -c`` (``<string>``) or to IPython (``<ipython-input-…>``)
has a frame whose file name is no path: it was skipped as if it were rnnlab's, so the
warning pointed into the frame above it (IPython's own ``exec`` line) or, with none above,
back into rnnlab's files."""

import warnings
from pathlib import Path

import pytest

from rnnlab.lm import CharLM

LM = dict(model="rnn", hidden_size=8, num_layers=1, embedding=8, dropout=0.0, level="word")
FIT = dict(epochs=50, batch_size=2, seq_len=5, progress=False, sample_every=0)
TEXT = "the cat sat on the mat. " * 30


@pytest.mark.parametrize("name", ["<stdin>", "<string>", "<ipython-input-3-1a2b3c>"])
def test_a_warning_points_at_code_typed_at_a_prompt(tmp_path, name):
    CharLM(**LM).fit(TEXT, minutes=1e-6, checkpoint_dir=tmp_path, **FIT)
    typed = compile("CharLM(**LM).fit(TEXT, minutes=1e-6, checkpoint_dir=ck, resume=True,\n"
                    "                 **FIT)", name, "exec")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        exec(typed, {"CharLM": CharLM, "LM": LM, "TEXT": TEXT, "FIT": FIT, "ck": tmp_path})
    said = [w for w in seen if "its whole time budget" in str(w.message)]
    assert len(said) == 1
    assert (said[0].filename, said[0].lineno) == (name, 1)


def test_a_warning_called_from_a_file_still_points_at_that_file(tmp_path):
    CharLM(**LM).fit(TEXT, minutes=1e-6, checkpoint_dir=tmp_path, **FIT)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        CharLM(**LM).fit(TEXT, minutes=1e-6, checkpoint_dir=tmp_path, resume=True, **FIT)
    said = [w for w in seen if "its whole time budget" in str(w.message)]
    assert [Path(w.filename).resolve() for w in said] == [Path(__file__).resolve()]
