"""--resume's meta-device shape check (check_resume_shapes) and a checkpoint whose weights
header is damaged but parses (a tensor's name with one byte flipped): left to the resume,
which names it by its recorded hash ('SHA-256 mismatch'); the check refused it first as
'cannot resume with <settings> ... was it edited?', sending the user to their settings."""

import pytest
import torch

from rnnlab.io.errors import CheckpointError

from rnnlab.train.checkpoint import CheckpointManager, check_resume_shapes


def _damage_a_name(folder):
    path = folder / "model.safetensors"
    data = bytearray(path.read_bytes())
    data[data.index(b"weight")] ^= 1  # 'weight' -> 'veight'
    path.write_bytes(bytes(data))


def test_a_damaged_checkpoint_header_is_left_to_the_resume(tmp_path):
    torch.manual_seed(0)
    net = torch.nn.Linear(3, 2)
    ck = CheckpointManager(tmp_path / "ck")
    ck.save(1, net.state_dict(), {"epoch": 0}, {"kind": "probe"})
    newest = ck.save(2, net.state_dict(), {"epoch": 1}, {"kind": "probe"})
    _damage_a_name(newest)
    check_resume_shapes(lambda: torch.nn.Linear(3, 2), tmp_path / "ck", "model probe")
    with pytest.raises(CheckpointError, match="SHA-256 mismatch"):  # (what the resume says)
        ck.load()


def test_edited_sizes_are_still_refused(tmp_path):
    ck = CheckpointManager(tmp_path / "ck")
    ck.save(1, torch.nn.Linear(3, 2).state_dict(), {"epoch": 0}, {"kind": "probe"})
    with pytest.raises(CheckpointError, match=r"cannot resume with model probe: .*\(2, 3\) vs "
                                              r"model \(2, 5\)"):
        check_resume_shapes(lambda: torch.nn.Linear(5, 2), tmp_path / "ck", "model probe")
