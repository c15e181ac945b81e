"""Review of rdropcli31 (input_dropout / recurrent_dropout through the configs and the
command line): what the review found, each pinned by a test that failed before it."""

from __future__ import annotations

import pytest

from cli_run import run


@pytest.mark.parametrize("command", [
    ["lm", "train", "--corpus", "time-machine", "--model", "dt-rnn"],
    ["forecast", "--data", "airline", "--model", "dt-rnn"],
    ["compare", "--data", "airline", "--models", "dt-rnn"],
])
def test_a_kernel_impl_with_recurrent_dropout_is_a_usage_error_before_the_run_folder(
        command, tmp_path, capsys):
    """Was exit status 1 (an UnsupportedError, not a usage error) where --impl fast with
    --model lstm, the same kind of clash, is 2."""
    code, err = run([*command, "--out", str(tmp_path / "o"), "--impl", "fast",
                     "--recurrent-dropout", "0.2"], capsys)
    assert code == 2
    assert "--impl auto" in err and "--recurrent-dropout" in err
    assert not (tmp_path / "o").exists()
