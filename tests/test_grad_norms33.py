"""Each epoch's gradient norms in a run's history: the mean and largest total norm before
clipping and the steps clipping changed, read from the norm clipping computes anyway; the
training itself unchanged (the same weights as a hand-written loop), kept across a resume."""

import csv

import pytest
import torch
from torch import nn

from rnnlab.train import CheckpointManager, TrainConfig, fit
from rnnlab.train.grad_norms import FOLD, NORM_FIELDS, EpochNorms
from test_train_loop import Crash, SumTask, make_model


class NoValTask(SumTask):
    """SumTask without validation: fit keeps the last weights (no best ones put back)."""

    def validate(self, model):
        return None


def hand_loop(model, task, cfg):
    """The training step written out: Adam, backward, clip (or measure), step; returns the
    weights' loop and each epoch's norms before clipping."""
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    params = list(model.parameters())
    epochs = []
    for epoch in range(cfg.epochs):
        norms = []
        for index in range(task.num_batches(epoch)):
            opt.zero_grad(set_to_none=True)
            loss, _ = task.train_loss(model, task.get_batch(epoch, index), None)
            loss.backward()
            if cfg.clip_norm is not None:
                norms.append(float(nn.utils.clip_grad_norm_(params, cfg.clip_norm)))
            else:
                norms.append(float(torch.linalg.vector_norm(
                    torch.stack([torch.linalg.vector_norm(p.grad) for p in params]))))
            opt.step()
        epochs.append(norms)
    return epochs


@pytest.mark.parametrize("clip", [0.5, None, 1e6])
def test_the_norms_are_the_hand_loops_and_the_weights_are_unchanged(clip):
    cfg = TrainConfig(epochs=3, lr=1e-2, progress=False, clip_norm=clip)
    m = make_model()
    hist = fit(m, NoValTask(), cfg)
    ref = make_model()
    norms = hand_loop(ref, NoValTask(), cfg)
    for (k, a), b in zip(m.state_dict().items(), ref.state_dict().values()):
        assert torch.equal(a, b), k  # recording the norms changed no step
    for rec, ns in zip(hist.epochs, norms):
        assert rec["grad_norm_mean"] == pytest.approx(sum(ns) / len(ns), rel=1e-6)
        assert rec["grad_norm_max"] == pytest.approx(max(ns), rel=1e-6)
        if clip is None:
            assert rec["clipped_steps"] is None
        else:
            assert rec["clipped_steps"] == sum(n > clip for n in ns)
    if clip == 0.5:  # (the test means something: some steps clipped, not all of them)
        assert 0 < sum(r["clipped_steps"] for r in hist.epochs) <= 12


class CrashingTask(SumTask):
    def train_loss(self, model, batch, carry):
        if self.calls == 6:  # the 7th step (the 3rd of epoch 2) dies before it runs
            raise Crash
        return super().train_loss(model, batch, carry)


def _crash_at_the_seventh_step(cfg, tmp_path):
    """A fit with checkpoints every step that dies mid-epoch 2, its checkpoints kept."""
    with pytest.raises(Crash):
        fit(make_model(), CrashingTask(), cfg, checkpoint_dir=tmp_path)


def test_a_run_resumed_mid_epoch_keeps_the_epochs_norms(tmp_path):
    cfg = TrainConfig(epochs=2, lr=1e-2, progress=False, checkpoint_every=1, clip_norm=0.5)
    full = fit(make_model(), SumTask(), cfg)

    _crash_at_the_seventh_step(cfg, tmp_path)
    _, state, meta = CheckpointManager(tmp_path).load()
    assert (meta["index"], state["epoch_grad_norms"][2]) == (2, 2)  # 2 steps of epoch 2 kept
    resumed = fit(make_model(seed=7), SumTask(), cfg, checkpoint_dir=tmp_path, resume=True)
    for a, b in zip(full.epochs, resumed.epochs):
        assert a["clipped_steps"] == b["clipped_steps"]
        assert a["grad_norm_max"] == b["grad_norm_max"]
        assert a["grad_norm_mean"] == pytest.approx(b["grad_norm_mean"], rel=1e-12)


def test_an_epoch_resumed_from_a_checkpoint_without_the_norms_has_none(tmp_path):
    # (its later steps' numbers were recorded as the whole epoch's: the largest norm and
    # the clipped steps of half an epoch, without a word; and a checkpoint the resumed run
    # wrote in that epoch would have kept them as known)
    cfg = TrainConfig(epochs=3, lr=1e-2, progress=False, checkpoint_every=1)
    _crash_at_the_seventh_step(cfg, tmp_path)
    weights, state, meta = CheckpointManager(tmp_path).load()
    del state["epoch_grad_norms"]  # (as an earlier rnnlab wrote it)
    for e in state["history"]["epochs"]:
        for k in NORM_FIELDS:
            del e[k]
    CheckpointManager(tmp_path).save(99, weights, state, meta)

    class CrashingAtItsSecondStep(SumTask):
        def train_loss(self, model, batch, carry):
            if self.calls == 1:  # the 8th step, after the resumed run's first checkpoint
                raise Crash
            return super().train_loss(model, batch, carry)

    with pytest.raises(Crash):
        fit(make_model(), CrashingAtItsSecondStep(), cfg, checkpoint_dir=tmp_path, resume=True)
    assert CheckpointManager(tmp_path).load()[1]["epoch_grad_norms"] == []  # (not known)
    hist = fit(make_model(), SumTask(), cfg, checkpoint_dir=tmp_path, resume=True)
    assert "grad_norm_mean" not in hist.epochs[0]  # (not made up for an epoch it did not see)
    assert {k: hist.epochs[1][k] for k in NORM_FIELDS} == dict.fromkeys(NORM_FIELDS)
    assert hist.epochs[2]["clipped_steps"] is not None and hist.epochs[2]["grad_norm_max"] > 0


def test_a_damaged_norms_entry_is_refused_as_a_damaged_checkpoint(tmp_path):
    cfg = TrainConfig(epochs=2, lr=1e-2, progress=False, checkpoint_every=1)

    _crash_at_the_seventh_step(cfg, tmp_path)
    weights, state, meta = CheckpointManager(tmp_path).load()
    state["epoch_grad_norms"] = [1.0, 2.0]
    CheckpointManager(tmp_path).save(99, weights, state, meta)
    from rnnlab.io.errors import CheckpointError

    with pytest.raises(CheckpointError, match="does not fit this run"):
        fit(make_model(), SumTask(), cfg, checkpoint_dir=tmp_path, resume=True)


def test_history_csv_has_the_norm_columns(tmp_path):
    hist = fit(make_model(), SumTask(), TrainConfig(epochs=2, lr=1e-2, progress=False))
    with open(hist.to_csv(tmp_path / "h.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    assert [float(r["grad_norm_max"]) for r in rows] == [e["grad_norm_max"] for e in hist.epochs]
    assert [int(r["clipped_steps"]) for r in rows] == [e["clipped_steps"] for e in hist.epochs]


def test_the_norms_fold_past_FOLD_steps_into_the_same_numbers():
    acc = EpochNorms(clip=2.0)
    values = torch.linspace(0.5, 3.5, FOLD + 7) + 0.0013  # (none within 1e-6 of the clip)
    for v in values:
        acc.add(v)
    acc.add(torch.tensor(float("inf")))  # (a step the fp16 scaler skips: left out)
    rec = acc.record()
    assert rec["grad_norm_max"] == pytest.approx(3.5013)
    assert rec["grad_norm_mean"] == pytest.approx(float(values.double().mean()), rel=1e-9)
    assert rec["clipped_steps"] == int((values > 2.0 + 1e-6).sum())
    acc.start()
    assert acc.record() == {"grad_norm_mean": None, "grad_norm_max": None, "clipped_steps": 0}


def test_lm_metrics_csv_gains_the_norms_and_keeps_an_earlier_rnnlabs_rows(tmp_path):
    from rnnlab.lm.metrics_rows import EARLIER_KEYS, KEYS, EpochRows

    old = ",".join(EARLIER_KEYS) + "\n1,2.5,2.4,11,1.3,0.01,3.5\n2,2.1,2.2,9,1.1,0.01,7\n"
    (tmp_path / "metrics.csv").write_text(old)  # (a run an earlier rnnlab began, resumed)
    rec = {"epoch": 3, "train_loss": 2.0, "val_loss": 2.1, "lr": 0.01, "seconds": 10.0,
           "grad_norm_mean": 0.75, "grad_norm_max": 1.5, "clipped_steps": 4}
    EpochRows(str(tmp_path))(3, rec)
    with open(tmp_path / "metrics.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(KEYS)
    assert [r["epoch"] for r in rows] == ["1", "2", "3"]  # (the earlier rows kept)
    assert (rows[0]["train_loss"], rows[0]["grad_norm_max"]) == ("2.5", "")
    assert (rows[2]["grad_norm_mean"], rows[2]["clipped_steps"]) == ("0.75", "4")


def test_compare_records_and_shows_each_runs_largest_norm_and_clipped_steps():
    from rnnlab.compare.config import CompareConfig
    from rnnlab.compare.curves import curve_record
    from rnnlab.compare.summary import _stats, secondary_metrics, table_rows

    epochs = [{"epoch": 1, "train_loss": 2.0, "grad_norm_mean": 1.5, "grad_norm_max": 4.0,
               "clipped_steps": 3},
              {"epoch": 2, "train_loss": 1.0, "grad_norm_mean": 0.5, "grad_norm_max": 2.5,
               "clipped_steps": 1}]
    rec = curve_record(epochs)
    assert (rec["grad_norm_max"], rec["clipped_steps"]) == (4.0, 4)
    assert rec["curve"]["grad_norm_mean"] == [1.5, 0.5]
    unclipped = curve_record([{**e, "clipped_steps": None} for e in epochs])
    assert unclipped["clipped_steps"] is None
    earlier = curve_record([{"epoch": 1, "train_loss": 2.0}])  # (a history without them)
    assert (earlier["grad_norm_max"], earlier["clipped_steps"]) == (None, None)
    header, _ = table_rows(CompareConfig(), [])
    column = header.index("grad norm max, clipped steps (mean)")
    row = {"name": "gru", "kind": "model", "params": 10, "hidden_size": 4, "num_layers": 1,
           "metrics": {k: {"mean": 1.0, "std": 0.0, "values": [1.0, 1.0], "finite": 2}
                       for k in secondary_metrics(CompareConfig()) + [CompareConfig().main_metric]},
           "train_seconds": _stats([1.0, 1.0]), "steps_per_second": _stats([5.0, 5.0]),
           "best_epoch": [2, 2], "epochs_run": [2, 2], "seeds": [0, 1],
           "first_train_loss": _stats([2.0, 2.0]), "last_train_loss": _stats([1.0, 1.0]),
           "loss_fell": True, "grad_norm_max": _stats([4.0, 4.5]), "clipped_steps": [4, 6]}
    _, cells = table_rows(CompareConfig(seeds=[0, 1]), [row])
    assert cells[0][column] == "4.25, 5"
    _, cells = table_rows(CompareConfig(seeds=[0, 1]), [{**row, "clipped_steps": [None] * 2}])
    assert cells[0][column] == "4.25, –"


def test_every_doc_that_lists_a_historys_columns_names_the_norms():
    # (docs/panels.md's history.csv and README's fit example listed epoch .. seconds only)
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        text = re.sub(r"\s+#?\s*", " ", doc.read_text(encoding="utf-8"))
        for hit in re.finditer(r"train_loss, val_loss, lr, seconds", text):
            after = text[hit.end():hit.end() + 160]
            assert "grad_norm_mean" in after, f"{doc.name}: {text[hit.start():hit.end() + 80]}"


def test_the_compare_summary_stays_under_300_lines_its_notes_apart():
    # (summary.py reached 306 lines with the norms' column: its notes moved out, by idea)
    from pathlib import Path

    from rnnlab.compare import summary, summary_notes

    assert len(Path(summary.__file__).read_text().splitlines()) < 300
    assert summary.nonfinite_notes is summary_notes.nonfinite_notes  # (the old names import)
