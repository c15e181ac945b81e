"""CPU seconds beside wall-clock seconds in run records: the training loop's history, a
checkpoint, ``rnnlab compare`` (results.json, report.md), ``rnnlab lm train`` and
``rnnlab forecast`` (metrics.json). Wall clock swings where other work shares the machine;
CPU time much less, so records made under different loads compare by it.

The bound checked is a sanity bound, not a speed: with one torch thread, the CPU seconds of
a span cannot much exceed its wall seconds (a span measured wrong, the CPU clock read at the
wrong time or not at all, fails it or the > 0)."""

import json

import pytest
import torch

from rnnlab.compare.config import CompareConfig
from rnnlab.train import CheckpointManager, History, TrainConfig, fit
from tiny_task import TinyTask, tiny_model

MARGIN = 0.5  # seconds: other threads of the process (tqdm, torch's own) in a short span


@pytest.fixture
def one_thread():
    """torch on one thread for the test (the bound is wall seconds x threads)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _within(cpu, wall, threads=1):
    return cpu is not None and 0 < cpu <= wall * threads + MARGIN


def _fit(ck=None, epochs=2, resume=False):
    torch.manual_seed(0)
    return fit(tiny_model("gru", 4), TinyTask(16),
               TrainConfig(epochs=epochs, lr=1e-2, seed=3, progress=False),
               checkpoint_dir=ck, resume=resume)


def test_fit_history_has_cpu_seconds_of_its_span(one_thread):
    hist = _fit()
    assert _within(hist.cpu_seconds, hist.seconds)
    assert hist.to_dict()["cpu_seconds"] == hist.cpu_seconds


def test_an_earlier_history_without_cpu_seconds_still_loads():
    d = _fit(epochs=1).to_dict()
    del d["cpu_seconds"]
    assert History.from_dict(d).cpu_seconds is None  # (unknown, not 0 s)


def test_checkpoint_keeps_cpu_seconds_out_of_the_state_and_a_resume_adds_to_them(tmp_path):
    first = _fit(tmp_path / "a", epochs=1)
    _fit(tmp_path / "b", epochs=1)
    name = json.loads((tmp_path / "a" / "latest.json").read_text())["name"]
    a, b = tmp_path / "a" / name, tmp_path / "b" / name
    # the same seed, the same bytes (CPU seconds differ run to run: in meta.json's timings)
    assert (a / "train_state.safetensors").read_bytes() == (b / "train_state.safetensors").read_bytes()
    assert json.loads((a / "meta.json").read_text())["timings"]["cpu_seconds"] > 0
    st = CheckpointManager(tmp_path / "a").load()[1]
    assert 0 < st["history"]["cpu_seconds"] <= first.cpu_seconds
    went_on = _fit(tmp_path / "a", epochs=2, resume=True)
    assert went_on.cpu_seconds > st["history"]["cpu_seconds"]


@pytest.mark.slow  # (~9 s: a whole comparison and its report's plots)
def test_compare_records_rows_and_report_say_cpu_seconds(tmp_path, one_thread):
    from rnnlab.compare.runner import run_compare

    cfg = CompareConfig(models=("gru",), seeds=(0,), epochs=2, hidden_size=4)
    res = run_compare(cfg, tmp_path / "c", log=lambda s: None)
    rec = res["records"][0]
    assert _within(rec["train_cpu_seconds"], rec["train_seconds"])
    assert rec["steps_per_cpu_second"] == pytest.approx(
        rec["steps_per_second"] * rec["train_seconds"] / rec["train_cpu_seconds"])
    row = res["rows"][0]
    assert row["train_cpu_seconds"]["values"] == [rec["train_cpu_seconds"]]
    assert _within(res["cpu_seconds"], res["seconds"])
    saved = json.loads((tmp_path / "c" / "results.json").read_text())
    assert saved["records"][0]["train_cpu_seconds"] == rec["train_cpu_seconds"]
    report = (tmp_path / "c" / "report.md").read_text(encoding="utf-8")
    assert "| train CPU s |" in report and "'train CPU s' is the training process's CPU" in report


@pytest.mark.filterwarnings("ignore:1 of the")  # (the test part's unseen 'R')
def test_lm_compare_record_has_cpu_seconds(one_thread):
    from rnnlab.compare.runner import run_models

    cfg = CompareConfig(task="lm", data="time-machine", max_chars=3000, seq_len=8,
                        batch_size=4, models=("gru",), seeds=(0,), epochs=1, hidden_size=4)
    rec = run_models(cfg, log=lambda s: None)["records"][0]
    # (the training loop's span: train_seconds, not wall_seconds, which holds the data's
    # preparation and the test too and so let a span too long pass)
    assert _within(rec["train_cpu_seconds"], rec["train_seconds"])
    assert rec["steps_per_cpu_second"] > 0


def test_rows_and_report_of_records_without_cpu_seconds():
    """An earlier rnnlab's records (no train_cpu_seconds, no cpu_seconds) still summarise
    and report: '–' in the column, the compute note without the CPU total."""
    from rnnlab.compare.report import _notes
    from rnnlab.compare.summary import summarize, table_rows

    cfg = CompareConfig(models=("gru",), seeds=(0,))
    rec = {"model": "gru", "seed": 0, "params": 10, "hidden_size": 4, "num_layers": 1,
           "metrics": {"forecast": {m: 1.0 for m in ("rmse", "mae", "mape", "smape", "mase")}},
           "train_seconds": 2.0, "steps_per_second": 50.0, "best_epoch": 1, "epochs_run": 1,
           "first_train_loss": 1.0, "last_train_loss": 0.5, "loss_fell": True}
    rows = summarize(cfg, [rec], {})
    header, cells = table_rows(cfg, rows)
    assert cells[0][header.index("train CPU s")] == "–"
    assert cells[0][header.index("train s")] == "2.0"
    res = {"main_metric": "forecast.rmse", "rows": rows, "seconds": 3.0}
    note = [n for n in _notes({"results": res, "config": cfg}) if n.startswith("Compute")][0]
    assert note.startswith("Compute: 3 s for this comparison; 'train s'")


def test_lm_train_metrics_json_has_train_cpu_seconds(tmp_path, one_thread):
    from cli_run import tiny_lm_run

    m = json.loads((tiny_lm_run(tmp_path) / "metrics.json").read_text())
    assert _within(m["train_cpu_seconds"], m["train_seconds"])


@pytest.mark.slow
def test_forecast_metrics_json_has_each_members_cpu_seconds(tmp_path, one_thread):
    from rnnlab.cli import main

    out = tmp_path / "f"
    assert main(["forecast", "--data", "airline", "--epochs", "2", "--ensemble", "1",
                 "--no-progress", "--out", str(out)]) == 0
    training = json.loads((out / "metrics.json").read_text())["training"]
    assert len(training["cpu_seconds"]) == len(training["seconds"]) == 1
    assert _within(training["cpu_seconds"][0], training["seconds"][0])


def _as_an_earlier_rnnlab_wrote(ck):
    """The checkpoint in ``ck`` rewritten without CPU time, as rnnlab wrote it before."""
    mgr = CheckpointManager(ck)
    weights, st, meta = mgr.load()
    del st["history"]["cpu_seconds"]
    step = json.loads((ck / "latest.json").read_text())["step"]
    mgr.save(step, weights, st, {k: v for k, v in meta.items() if k != "timings"})
    assert "cpu_seconds" not in json.loads((mgr.resume_folder() / "meta.json").read_text())["timings"]


def test_a_run_resumed_from_a_checkpoint_without_cpu_time_says_it_has_none(tmp_path):
    # before: the resumed run counted its own CPU seconds from 0 while ``seconds`` went on
    # from the checkpoint's, so cpu_seconds covered the last epochs alone (steps per CPU
    # second came out too high) and was saved on as if it were the whole run's
    _fit(tmp_path / "ck", epochs=1)
    _as_an_earlier_rnnlab_wrote(tmp_path / "ck")
    went_on = _fit(tmp_path / "ck", epochs=2, resume=True)
    assert went_on.cpu_seconds is None and went_on.seconds > 0
    assert CheckpointManager(tmp_path / "ck").load()[1]["history"]["cpu_seconds"] is None
    again = _fit(tmp_path / "ck", epochs=3, resume=True)  # (and on through a second resume)
    assert again.cpu_seconds is None and len(again.epochs) == 3


@pytest.mark.slow  # (~6 s: the article's E5 as written, quick)
def test_as_written_results_and_report_give_cpu_seconds(tmp_path, one_thread):
    # before: results.json of ``--as-written`` had its ``seconds`` alone, where
    # docs/articles.md says records made since give CPU time beside it
    from rnnlab.cli import main

    out = tmp_path / "e5"
    assert main(["recipe", "run", "e5-airline-gru", "--as-written", "--quick", "--threads", "1",
                 "--out", str(out)]) == 0
    res = json.loads((out / "results.json").read_text())
    assert _within(res.get("cpu_seconds"), res["seconds"])
    report = (out / "report.md").read_text(encoding="utf-8")
    assert f"({res['seconds']:.1f} s; {res['cpu_seconds']:.1f} s of CPU time)" in report
