"""A forecaster's ``fit(..., on_epoch=fn)`` (:class:`~rnnlab.forecast.Forecaster`'s,
:class:`~rnnlab.panel.GlobalForecaster`'s), as :func:`rnnlab.train.fit`'s and
``CharLM.fit``'s: ``fn(epoch, record)`` after each epoch's validation, for each ensemble
member in turn (and again for each member a ``refit`` trains after the choice,
``record["refit"]`` True then)."""

from __future__ import annotations


def member_hook(on_epoch, member: int, is_main: bool = True, refit: bool = False):
    """A forecaster's ``fit(on_epoch=fn)`` hook for ensemble member ``member``: ``fn(epoch,
    record)`` with ``record["member"]`` set while it runs (each member counts its epochs
    from 1; the fields ``fn`` adds stay in the member's history, as ``rnnlab.train.fit``'s,
    ``member`` not: history.csv numbers the members itself), on the main process only (as
    CharLM's); None without ``fn``. ``refit``: the member trained again after the choice
    (the one-series ``Forecaster(refit=True)``), without validation (``val_loss`` None):
    ``record["refit"]`` is True while ``fn`` runs, and the record is not kept."""
    if on_epoch is None or not is_main:
        return None
    said = {"member": member, **({"refit": True} if refit else {})}

    def hook(epoch: int, record: dict) -> None:
        record.update(said)
        try:
            on_epoch(epoch, record)
        finally:
            for key in said:
                record.pop(key, None)
    return hook


def check_hook(on_epoch, dev_cfg=None) -> None:
    """``on_epoch`` as ``rnnlab.train.fit`` and ``CharLM.fit`` check it, before the data
    is read: a function, picklable where worker processes are started to train
    (``dev_cfg``: a DeviceConfig; None: this process trains)."""
    from ..lm.fit_process import check_picklable
    from .checks import check_on_epoch
    from .launch_checks import under_launcher

    check_on_epoch(on_epoch)
    if dev_cfg is None:
        return
    if dev_cfg.devices * dev_cfg.num_nodes > 1 and not under_launcher():
        check_picklable(on_epoch, dev_cfg.devices * dev_cfg.num_nodes)
