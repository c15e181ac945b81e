"""Workers for the language-model data-parallel tests (importable by spawned processes)."""

import json
import os


def recording_worker(ctx, job, log_dir):
    """Run rnnlab.lm.api.fit_worker while recording every file write rnnlab makes in this
    process (checkpoints, weights, atomic writes); the log goes to log_dir/rank<r>.json
    (the test's own instrumentation, written after training)."""
    from rnnlab.lm.api import fit_worker
    from write_recorder import recorded_writes

    with recorded_writes() as (calls, paths):
        fit_worker(ctx, job)
    with open(os.path.join(log_dir, f"rank{ctx.rank}.json"), "w") as f:
        json.dump({"calls": calls, "paths": paths}, f)
