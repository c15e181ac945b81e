"""A resumed fit on other data is said: each member's checkpoint records the SHA-256 of the
series it trained on (``data_sha256`` in its meta.json, as ``rnnlab forecast``'s config.json
records it), and ``Forecaster.fit(..., resume=True)`` compares it with the data given now.
The fit goes on with the new data, as the command line's resume does after its warning;
a checkpoint written before the hash was recorded resumes without a word."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Optional

from ..io.errors import CheckpointError


class ResumeDataWarning(UserWarning):
    """A resumed fit's data differs from the data its checkpoints were trained on."""


def recorded_meta(member_dir: Path) -> Optional[dict]:
    """The meta.json of the checkpoint a resume of ``member_dir`` reads, or None (no
    checkpoint, or one the resume says is damaged)."""
    from ..io.json_file import read_json
    from ..train.checkpoint import CheckpointManager

    folder = CheckpointManager(member_dir).resume_folder()  # (the one the resume loads)
    if folder is None:
        return None
    try:
        meta = read_json(folder / "meta.json", CheckpointError)
    except CheckpointError:
        return None
    return meta if isinstance(meta, dict) else None


def recorded_data_hash(member_dir: Path) -> Optional[str]:
    """The ``data_sha256`` the checkpoint a resume of ``member_dir`` reads records, or None
    (no checkpoint, one written before it was recorded, or one the resume says is damaged)."""
    found = (recorded_meta(member_dir) or {}).get("data_sha256")
    return found if isinstance(found, str) else None


def refuse_panel_checkpoints(checkpoint_dir, members: int) -> None:
    """A GlobalForecaster fit's checkpoints (:mod:`rnnlab.panel.checkpoints`, laid out
    alike) are refused by name: the weights' mismatch was said instead, after a warning
    that the data differs."""
    from ..panel.checkpoints import KIND

    for m in range(members):
        if (recorded_meta(Path(checkpoint_dir) / f"member{m}") or {}).get("kind") == KIND:
            raise CheckpointError(
                f"cannot resume {checkpoint_dir}: its checkpoints are a GlobalForecaster "
                f"fit's (kind {KIND!r}), not a Forecaster's; resume them with "
                f"GlobalForecaster.fit(panel, checkpoint_dir=..., resume=True), or pass "
                f"the checkpoint_dir of a Forecaster fit (or another folder to start afresh)")


def warn_resumed_data(checkpoint_dir, members: int, digest: str, stacklevel: int = 3) -> None:
    """One ResumeDataWarning when a member's checkpoint in ``checkpoint_dir`` records data
    other than ``digest`` (the SHA-256 of the series given to this fit), at the line
    ``stacklevel`` frames up."""
    for m in range(members):
        was = recorded_data_hash(Path(checkpoint_dir) / f"member{m}")
        if was is not None and was != digest:
            warnings.warn(
                f"{checkpoint_dir}: the data differs from the checkpoints' (SHA-256 {was[:12]}… "
                f"recorded, {digest[:12]}… now); the resumed training goes on with the new "
                f"data. Pass the data the run started with to continue it, or fit without "
                f"resume=True (or another checkpoint_dir) to start afresh",
                ResumeDataWarning, stacklevel=stacklevel)
            return
