"""Workers for the language-model data-parallel tests (importable by spawned processes)."""

import json
import os


def recording_worker(ctx, job, log_dir):
    """Run rnnlab.lm.api.fit_worker while recording every file write rnnlab makes in this
    process (checkpoints, weights, atomic writes); the log goes to log_dir/rank<r>.json
    (the test's own instrumentation, written after training)."""
    import rnnlab.io.atomic as atomic
    import rnnlab.io.weights as weights
    from rnnlab.lm.api import fit_worker
    from rnnlab.train.checkpoint import CheckpointManager

    calls = []

    def wrap(owner, name):
        orig = getattr(owner, name)

        def rec(*a, **k):
            calls.append(name)
            return orig(*a, **k)
        setattr(owner, name, rec)

    wrap(CheckpointManager, "save")
    wrap(weights, "save_weights")
    wrap(atomic, "atomic_write_bytes")
    wrap(atomic, "atomic_write_text")
    fit_worker(ctx, job)
    with open(os.path.join(log_dir, f"rank{ctx.rank}.json"), "w") as f:
        json.dump(calls, f)
