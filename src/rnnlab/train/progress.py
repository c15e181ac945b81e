"""The training loop's progress bar: tqdm on the main process's terminal, else nothing."""

from __future__ import annotations

from .config import TrainConfig


class _NoBar:
    def update(self, n=1): ...
    def set_postfix(self, *a, **k): ...
    def close(self): ...


def progress_bar(cfg: TrainConfig, total: int, is_main: bool):
    if not (cfg.progress and is_main):
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="step", dynamic_ncols=True, leave=False,
                disable=None)  # None: no bar when stderr is not a terminal (logs, CI)
