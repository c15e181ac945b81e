"""rnnlab inside someone else's process (a web service, a notebook): what it leaves of the
process's global state (torch's threads, the RNGs, matplotlib's backend) after a load, a
command run in-process, fits in two threads and a plot (rnnlab.train.process_state)."""

import contextlib
import copy
import os
import random
import subprocess
import sys
import threading

import numpy as np
import pandas as pd
import pytest
import torch

from notebook_fits import TEXT, TINY_F, TINY_P, _draws, _fits, _monthly, _panel


def _seeded_draws(call=None):
    torch.manual_seed(7), np.random.seed(7), random.seed(7)
    if call is not None:
        call()
    return _draws()


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A saved model of each kind (a folder each)."""
    from rnnlab import CharLM, Forecaster, GlobalForecaster

    root = tmp_path_factory.mktemp("saved")
    Forecaster("gru", **TINY_F).fit(_monthly()).save(root / "f")
    GlobalForecaster("gru", lookback=6, horizon=3, **TINY_P).fit(_panel()).save(root / "g")
    CharLM(hidden_size=8, num_layers=1, embedding=4).fit(
        TEXT, seq_len=16, batch_size=4, epochs=1, progress=False).save(root / "l")
    return root


@pytest.mark.parametrize("kind", ["f", "g", "l"])
def test_a_load_leaves_the_callers_random_state_as_it_was(saved, kind):
    """A load builds the network (its initial weights drawn from torch's RNG), then reads
    the saved weights into it: ``torch.manual_seed(0); m = Forecaster.load(p);
    torch.randn(3)`` gave other numbers than without the load."""
    from rnnlab import CharLM, Forecaster, GlobalForecaster

    load = {"f": Forecaster, "g": GlobalForecaster, "l": CharLM}[kind].load
    assert _seeded_draws(lambda: load(saved / kind)) == _seeded_draws()


@contextlib.contextmanager
def _a_fit_running():
    """A thread holding the fits' lock, as a fit running in it does, for the block."""
    from rnnlab.train.process_state import process_state_kept

    held, release = threading.Event(), threading.Event()

    def fitting():
        with process_state_kept():
            held.set()
            release.wait(120)

    t = threading.Thread(target=fitting)
    t.start()
    try:
        assert held.wait(60)
        yield
    finally:
        release.set()
        t.join(60)


@pytest.mark.parametrize("kind", ["f", "g", "l"])
def test_a_load_does_not_wait_for_a_fit_running_in_another_thread(saved, kind):
    """A service training in a background thread had its model loads wait for the whole
    fit (hours): a load no longer waits; it gives the same model as one made alone."""
    from rnnlab import CharLM, Forecaster, GlobalForecaster

    load = {"f": Forecaster, "g": GlobalForecaster, "l": CharLM}[kind].load
    alone = load(saved / kind)
    loaded = []
    with _a_fit_running():
        loader = threading.Thread(target=lambda: loaded.append(load(saved / kind)))
        loader.start()
        loader.join(120)
        assert loaded, "the load waited for the fit in the other thread"
    if kind == "l":
        assert loaded[0].bits_per_char(TEXT) == alone.bits_per_char(TEXT)
    else:
        pd.testing.assert_frame_equal(pd.DataFrame(loaded[0].predict(3)),
                                      pd.DataFrame(alone.predict(3)))


def test_a_command_run_in_process_gives_back_torch_threads_and_the_rngs(tmp_path):
    """``rnnlab.cli.main([...])`` from a service or a notebook: ``--threads 1`` stayed
    torch's setting for the rest of the process, and the run's seeding and network draws
    went on in the caller's RNGs."""
    from rnnlab.cli import main

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        csv = tmp_path / "s.csv"
        _monthly().rename_axis("month").reset_index().to_csv(csv, index=False)
        argv = ["forecast", "--data", str(csv), "--column", "sales", "--hidden-size", "2",
                "--epochs", "1", "--lookback", "6", "--horizon", "3", "--ensemble", "1",
                "--threads", "1", "--no-progress", "--select", "network",
                "--out", str(tmp_path / "run")]
        assert _seeded_draws(lambda: main(argv)) == _seeded_draws()
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_the_backtest_command_gives_back_numpys_rng(tmp_path):
    """``rnnlab backtest`` seeds numpy's global RNG with --seed (the baselines' draws):
    run in-process, the caller's np.random went on from that seed."""
    from rnnlab.cli import main

    csv = tmp_path / "p.csv"
    _panel(n=30).to_csv(csv, index=False)
    argv = ["backtest", "--data", str(csv), "--model", "naive", "--baselines", "naive",
            "--horizon", "3", "--seed", "3", "--out", str(tmp_path / "bt")]
    assert _seeded_draws(lambda: main(argv)) == _seeded_draws()


@pytest.mark.parametrize("name", ["Forecaster", "GlobalForecaster", "CharLM", "train.fit"])
def test_a_fit_trains_where_the_caller_turned_gradients_off(name):
    """A service that serves forecasts turns autograd off for the process
    (``torch.set_grad_enabled(False)``); every fit then raised "element 0 of tensors does
    not require grad and does not have a grad_fn". Gradients are on while a fit trains,
    and the caller's setting is as it was after."""
    with torch.no_grad():
        _fits()[name]()
        assert not torch.is_grad_enabled()


@pytest.mark.parametrize("name", ["Forecaster", "GlobalForecaster", "CharLM", "train.fit"])
def test_a_fit_trains_inside_the_callers_inference_mode(name):
    """Under ``torch.inference_mode()`` every fit raised "Task.train_loss returned a loss
    that does not depend on any parameter ... not under torch.no_grad()": a task of
    rnnlab's own blamed, for the caller's mode. (train.fit: of a model made outside it.)"""
    from rnnlab.train import TensorTask, TrainConfig, fit

    model = torch.nn.Linear(4, 1)
    x = torch.randn(40, 4, generator=torch.Generator().manual_seed(0))
    with torch.inference_mode():
        if name == "train.fit":
            h = fit(model, TensorTask(x, x.sum(1, keepdim=True), batch_size=8),
                    TrainConfig(epochs=1, progress=False))
            assert np.isfinite(h.epochs[-1]["train_loss"])
        else:
            assert _weights(_fits()[name]())
        assert torch.is_inference_mode_enabled()


def _weights(fitted):
    net = getattr(fitted, "members", None) or fitted.net
    return [p.detach() for p in net.parameters()]


@pytest.mark.parametrize("name", ["Forecaster", "GlobalForecaster", "CharLM"])
def test_a_float64_default_dtype_gives_the_model_a_float32_process_gives(name):
    """Under a notebook's ``torch.set_default_dtype(torch.float64)`` the networks (which
    train in float32) drew their initial weights in float64: the same seed gave another
    model than in a script (a Forecaster's forecast 163.35 where the script's is 162.53),
    and the Forecaster's network then predicted in float64."""
    want = _weights(_fits()[name]())
    torch.set_default_dtype(torch.float64)
    try:
        got = _weights(_fits()[name]())
        assert torch.get_default_dtype() == torch.float64  # (the caller's, as it was)
    finally:
        torch.set_default_dtype(torch.float32)
    assert len(got) == len(want)
    for a, b in zip(got, want):
        assert a.dtype == torch.float32
        torch.testing.assert_close(a, b, rtol=0, atol=0)


def _dropout_fit(base, x, y, meet, out, key):
    """train.fit of a copy of ``base`` (with dropout: each epoch draws from torch's RNG),
    waiting at the end of its first epoch for the other thread's fit (``meet``)."""
    from rnnlab.train import TensorTask, TrainConfig, fit

    def wait(epoch, record):
        try:
            meet.wait(timeout=0.5)
        except threading.BrokenBarrierError:  # (the other fit runs after this one)
            pass

    model = copy.deepcopy(base)
    fit(model, TensorTask(x, y, batch_size=8), TrainConfig(epochs=3, progress=False, seed=1),
        on_epoch=wait)
    out[key] = [p.detach().clone() for p in model.parameters()]


def test_fits_in_two_threads_give_what_each_gives_alone():
    """Both fits seeded and drew from the one torch RNG of the process in turns, and each
    gave back states the other had changed: a fit in a web service's worker thread gave
    other weights than the same fit alone. They now run one after the other."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(48, 4, generator=gen, dtype=torch.float64)
    y = x.sum(1, keepdim=True)
    with torch.random.fork_rng():
        torch.manual_seed(0)
        base = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Dropout(0.5),
                                   torch.nn.Linear(16, 1)).double()
    alone = {}
    _dropout_fit(base, x, y, threading.Barrier(1), alone, "alone")
    both, meet = {}, threading.Barrier(2)
    threads = [threading.Thread(target=_dropout_fit, args=(base, x, y, meet, both, k))
               for k in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for k in ("a", "b"):
        for got, want in zip(both[k], alone["alone"]):
            torch.testing.assert_close(got, want, rtol=0, atol=0)


def test_threads_set_in_two_threads_at_once_are_given_back():
    """Two forecasts at once in two threads, each setting torch's threads for its call:
    the one that ended first restored the count from before it, and the other then put
    back the first one's count: the caller's setting was lost."""
    from rnnlab.train.process_state import threads_kept

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    steps = [threading.Event() for _ in range(3)]

    def first():
        with threads_kept(1):
            steps[0].set()
            steps[1].wait(10)
        steps[2].set()

    def second():
        steps[0].wait(10)
        with threads_kept(3):
            steps[1].set()
            steps[2].wait(10)

    try:
        threads = [threading.Thread(target=f) for f in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def _script(code: str, backend_env=None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    if backend_env:
        env["MPLBACKEND"] = backend_env
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


PLOT = ("import sys, numpy as np, pandas as pd\n"
        "from rnnlab import Forecaster\n"
        "t = np.arange(60)\n"
        "s = pd.Series(100 + t + 10 * np.sin(t / 2), index=pd.date_range('2000-01-01', "
        "periods=60, freq='MS'))\n"
        "f = Forecaster('gru', hidden_size=3, epochs=1, ensemble=1, progress=False, "
        "lookback=6, horizon=3)\n"
        "f.fit(s)\n")


@pytest.mark.slow
def test_a_scripts_own_backend_stays_after_a_plot(tmp_path):
    """A plot made before the script imported pyplot chose Agg for the whole process: the
    script's ``matplotlib.use("svg")`` was replaced, and a later ``plt.show()`` showed
    no window. The figure is now rnnlab's own, and the file written all the same."""
    png = tmp_path / "f.png"
    code = (PLOT + "import matplotlib\nmatplotlib.use('svg')\n"
            f"f.plot({str(png)!r})\nprint(matplotlib.get_backend(), "
            "'matplotlib.pyplot' in sys.modules)\n")
    assert _script(code) == "svg False"
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_a_command_run_in_process_leaves_an_ascii_stdout_as_it_found_it(monkeypatch):
    """The command writes what an ASCII stdout cannot as escapes; run in-process, the
    caller's stream went on escaping after it (its own code had it raise)."""
    import io

    from rnnlab.cli import main

    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["datasets"]) == 0
    assert out.errors == "strict"
    with pytest.raises(UnicodeEncodeError):
        print("\u00e9t\u00e9")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX's")
def test_a_process_forked_during_a_fit_can_fit():
    """A ``multiprocessing`` pool forked (Linux's default) while a service's thread was
    fitting copied the lock as held, by a thread the child does not have: the child's
    first fit (or load) waited forever."""
    from rnnlab.train.process_state import process_state_kept

    with _a_fit_running():
        pid = os.fork()
        if pid == 0:  # the child: a fit's block, or killed by the alarm after 20 s
            import signal

            signal.alarm(20)
            with process_state_kept():
                pass
            os._exit(0)
        _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status


def test_a_torch_free_caller_keeps_numpys_rng_and_loads_no_torch():
    # a caller with numpy but not torch: its RNGs are kept, and torch is not imported for it
    out = _script(
        "import random, sys, numpy as np\n"
        "from rnnlab.train.process_state import command_state_kept\n"
        "np.random.seed(3); random.seed(3)\n"
        "before = (np.random.get_state()[1].tolist(), random.getstate())\n"
        "with command_state_kept():\n"
        "    np.random.seed(4); np.random.rand(5); random.random()\n"
        "after = (np.random.get_state()[1].tolist(), random.getstate())\n"
        "print(before == after, 'torch' in sys.modules)\n")
    assert out == "True False"
