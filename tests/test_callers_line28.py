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


@pytest.mark.slow  # (a Python of its own: ~10 s)
def test_a_warning_points_at_the_users_file_when_rnnlab_is_imported_through_a_link(tmp_path):
    """rnnlab imported through a symbolic link (a home folder that is a link, an editable
    install's path): its frames' file names are the link's, not the resolved folder the
    finder compared them with, so each read as the user's and the warning pointed at the
    first, inside rnnlab's training loop."""
    import os
    import subprocess
    import sys

    import rnnlab

    link = tmp_path / "linked"
    link.symlink_to(Path(rnnlab.__file__).resolve().parents[1], target_is_directory=True)
    script = tmp_path / "user.py"
    script.write_text(
        "import warnings\nfrom rnnlab.lm import CharLM\n"
        f"LM, FIT, TEXT = {LM!r}, {FIT!r}, {TEXT!r}\n"
        f"CharLM(**LM).fit(TEXT, minutes=1e-6, checkpoint_dir={str(tmp_path / 'ck')!r}, **FIT)\n"
        "with warnings.catch_warnings(record=True) as seen:\n"
        "    warnings.simplefilter('always')\n"
        f"    CharLM(**LM).fit(TEXT, minutes=1e-6, checkpoint_dir={str(tmp_path / 'ck')!r},\n"
        "                     resume=True, **FIT)\n"
        "print([w.filename for w in seen if 'its whole time budget' in str(w.message)])\n")
    env = {**os.environ, "PYTHONPATH": str(link)}
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == repr([str(script)])


@pytest.mark.parametrize("module, internal", [("runpy", True), ("__main__", False)])
def test_runpys_frames_count_as_pythons_own_where_runpy_is_a_file(module, internal):
    """On Python 3.10 runpy (``python -m rnnlab``) is a file, not '<frozen runpy>': its
    frames were the user's line, and a CLI warning printed '.../runpy.py:86: UserWarning'.
    A user's own file at that path is still the user's."""
    import sys

    from rnnlab.callers_line import _internal

    seen = {"__name__": module, "sys": sys}
    exec(compile("frame = sys._getframe()", "/usr/lib/python3.10/runpy.py", "exec"), seen)
    assert _internal(seen["frame"], []) is internal
