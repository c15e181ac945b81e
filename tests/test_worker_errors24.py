"""A spawned worker's exception of the caller's own class (a tuner's ``on_epoch`` pruning a
trial under ``devices=2``) is raised in the parent as itself: was a RnnlabError ("worker
rank 0 failed with Pruned: ..."), which ``except Pruned`` (Optuna's ``TrialPruned``) did
not catch. Python's and torch's errors stay RnnlabErrors."""

import traceback

import pytest

from rnnlab import RnnlabError
from rnnlab.train.distributed import _rebuild_error
from rnnlab.train.worker_errors import pickled_own_error


class Pruned(Exception):
    pass


def prune_at_two(epoch, record):
    if epoch >= 2:
        raise Pruned(f"pruned at epoch {epoch}")


def _report(e, rank=0):
    try:
        raise e
    except BaseException as caught:
        tb = traceback.format_exc()
        return (rank, type(caught).__module__, type(caught).__qualname__, str(caught),
                None, tb, None, pickled_own_error(caught))


def test_the_callers_own_exception_comes_back_as_itself_with_the_workers_traceback():
    e = _rebuild_error(_report(Pruned("pruned at epoch 3"), rank=1))
    assert type(e) is Pruned and str(e) == "pruned at epoch 3"
    assert any("worker rank 1" in n and "raise e" in n for n in getattr(e, "__notes__", [])) \
        or not hasattr(e, "add_note")


@pytest.mark.parametrize("error", [ValueError("bad"), RuntimeError("gloo: connection closed"),
                                   KeyError("x")])
def test_python_and_torch_errors_stay_rnnlab_errors(error):
    assert pickled_own_error(error) is None
    e = _rebuild_error(_report(error))
    assert isinstance(e, RnnlabError) and "worker rank 0 failed with" in str(e)


def test_the_standard_librarys_errors_stay_rnnlab_errors_too():
    # "Python's errors stay RnnlabErrors" held for builtins alone: json's JSONDecodeError,
    # subprocess's CalledProcessError or queue's Empty came back as themselves, which a
    # caller catching RnnlabError (one base class for a worker's failure) missed.
    import json
    import queue
    import subprocess

    for error in (json.JSONDecodeError("Expecting value", "x", 0), queue.Empty(),
                  subprocess.CalledProcessError(1, "x")):
        assert pickled_own_error(error) is None
        e = _rebuild_error(_report(error))
        assert isinstance(e, RnnlabError) and "worker rank 0 failed with" in str(e)


def test_an_exception_that_does_not_pickle_is_reported_by_name():
    class Local(Exception):  # (a class inside a function: pickle cannot find it)
        pass
    report = _report(Local("no"))
    assert report[7] is None
    assert isinstance(_rebuild_error(report), RnnlabError)
    assert isinstance(_rebuild_error(report[:7]), RnnlabError)  # (a report without it)


@pytest.mark.slow
def test_a_pruning_on_epoch_under_two_processes_raises_its_own_exception():
    from rnnlab import Forecaster

    f = Forecaster(model="gru", hidden_size=4, epochs=4, ensemble=1, progress=False,
                   horizon=12, test_size=12)
    with pytest.raises(Pruned, match="pruned at epoch 2"):
        f.fit("airline", devices=2, on_epoch=prune_at_two)
    assert f.net is None  # (and the failed fit left it unfitted)


_BIG = '''
from rnnlab.train.distributed import DeviceConfig, launch


class Big(Exception):
    def __init__(self, data=b""):
        super().__init__("big")
        self.data = data


def fail_big(ctx):
    if ctx.rank == 0:
        raise Big(b"x" * 300_000)


if __name__ == "__main__":
    try:
        launch(fail_big, (), DeviceConfig(accelerator="cpu", devices=2))
    except Big as e:
        print("caught", len(e.data))
'''


@pytest.mark.slow
def test_a_report_larger_than_the_pipe_does_not_hang_the_launch(tmp_path):
    # The parent read the workers' reports only once all had exited; a report over the
    # pipe's 64 KiB (an exception carrying a trial's curve, pickled beside it) blocked its
    # worker in put(), alive, and the launch waited forever (Ctrl-C too: it forwards it).
    import os
    import signal
    import subprocess
    import sys

    script = tmp_path / "big.py"
    script.write_text(_BIG)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # (the launch and its workers: its own group)
        proc.communicate()
        pytest.fail("the launch hung on a worker's report larger than the pipe")
    assert "caught 300000" in out, out
