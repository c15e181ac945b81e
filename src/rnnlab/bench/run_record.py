"""What ``rnnlab bench --json`` holds besides the rows: the options asked for, the
versions of what timed them, and where they ran."""

from __future__ import annotations

from typing import Optional


class RunRecord:
    """The run's record, built once; :meth:`document` adds the rows so far."""

    def __init__(self, args, torch, device, where: str, tf32: Optional[bool], load,
                 configs, models, impls, repeats: int):
        from ..io.command_line import command
        from ..io.versions import versions

        self.args, self.torch, self.device = args, torch, device
        self.where, self.tf32, self.load = where, tf32, load
        # what was asked for and the versions (rnnlab, torch, numpy, python)
        options = {"configs": configs, "models": models, "paths": impls, "repeats": repeats,
                   **{k: getattr(args, k, None) for k in ("warmup", "depth", "no_reference",
                                                          "no_graphs", "row_seconds", "isolate",
                                                          "process_seconds", "threads", "quick",
                                                          "device", "dtype", "lengths", "tf32")}}
        self.record = {"options": options, "versions": {**versions(), **kernel_versions(torch)},
                       "command": command()}

    def document(self, rows, interrupted: bool) -> dict:
        """The whole file: ``interrupted`` while the run has not ended."""
        args, torch = self.args, self.torch
        return {**self.record, "torch": torch.__version__, "device": str(self.device),
                "where": self.where, "dtype": args.dtype, "lengths": args.lengths,
                "tf32": self.tf32, "threads": torch.get_num_threads(),
                "load_average": self.load, "interrupted": interrupted,
                "rows": [r.as_dict() for r in rows]}


def kernel_versions(torch) -> dict:
    """What times the rows besides torch: Triton (its paths), CUDA and cuDNN (None: absent)."""
    try:
        import triton
        tri = getattr(triton, "__version__", None)
    except ImportError:
        tri = None
    cudnn = torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None
    return {"triton": tri, "cuda": torch.version.cuda, "cudnn": cudnn}
