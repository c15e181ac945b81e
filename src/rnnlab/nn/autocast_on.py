"""Whether autocast is on for a tensor's device, for any device a tensor may live on.

``torch.is_autocast_enabled(device_type)`` raises for a device type autocast has no
dispatch key for (``"meta"``: "unknown device type for autocast in
get_autocast_dispatch_key_from_device_type"), so a model run on the meta device to
infer shapes (``with torch.device("meta")``, as ``torch.nn.LSTM`` runs there) died in
rnnlab's checks of ``GRU(reset_after=False)`` and ``Recurrent(DTRNNCell(...))``. No
autocast exists there, so the answer is False."""

from __future__ import annotations

import torch


def autocast_on(device_type: str) -> bool:
    """``torch.is_autocast_enabled(device_type)``, False where autocast has no such device."""
    try:
        return torch.is_autocast_enabled(device_type)
    except RuntimeError:  # (meta and other device types autocast does not know)
        return False
