"""The deep-RNN article's DJI experiments (its sections 5.2 and 5.3), as written and corrected.

As written (defects included, each labelled in the results):

- 5.2 trains the DRNN on the newest-first frame (reversed time), sums the per-element
  squared errors for the gradient, and after every epoch prints a "validation" loss, the
  mean over batches of the per-element MSE, computed over the *training* loader. The
  article printed 0.0180 after epoch 1 and 0.0076 after epoch 20.
- 5.3 builds four fresh models and an Adam optimizer for each, but the loop zeroes and
  steps ``trainer``, the optimizer of 5.2's DRNN. Backward fills the four models'
  gradients (never cleared, never applied): none of the four learns.
- Its "bias" subtracts predictions of shape (1242, 1) (a NumPy array) from targets of
  shape (1242,): broadcasting makes a (1242, 1242) matrix whose element [i, j] is
  x_j - p_i, so the sum is 1242 * sum_j (x_j - p_j): 1242 times the signed error sum
  (normalised units) of an untrained model.

Corrected, changing only what is wrong: time runs forward (oldest first), the z-score is
fitted on the first 80% and the last 20% is held out for validation, each model is
stepped by its own optimizer, and errors are reported as MSE on the held-out windows
beside the naive forecast (tomorrow = today) on the same windows.
"""

from __future__ import annotations

import time
import warnings
from typing import Callable, Dict, List, Optional, Sequence

import torch
from torch import nn

from . import dji_setup
from .dji_setup import (EPOCHS, LR, MODEL_NAMES, SEQ_LEN, ArticleNet, article_close,
                        max_change, snapshot, train_loader, windows, zscore)

# the 20 "validation" losses 5.2 printed, and the "bias" values 5.3 printed
ARTICLE_VAL_LOSS = (0.0180, 0.0083, 0.0081, 0.0079, 0.0078, 0.0077, 0.0081, 0.0080, 0.0078,
                    0.0080, 0.0079, 0.0079, 0.0077, 0.0082, 0.0080, 0.0077, 0.0078, 0.0076,
                    0.0076, 0.0076)
ARTICLE_BIAS = {"DRNN": 125995.9453, "BRNN": -24902.6758, "LSTM": 130150.6797,
                "GRU": 102981.3438}
TEST_FRACTION = 0.2  # corrected: the held-out end (validation)
SETTINGS = dji_setup.SETTINGS  # the article's settings (the run's config.json records them)


def _loss(model: nn.Module, xb: torch.Tensor, yb: torch.Tensor) -> torch.Tensor:
    """Per-element squared errors, shaped as the article shaped them (squeeze both)."""
    return nn.functional.mse_loss(model(xb).squeeze(), yb.squeeze(), reduction="none")


def mean_of_batch_means(model: nn.Module, loader) -> float:
    """The article's epoch loss: the mean over batches of each batch's per-element MSE."""
    with torch.no_grad():
        total = sum(float(_loss(model, xb, yb).mean()) for xb, yb in loader)
    return total / len(loader)


def train_drnn_as_written(seed: int = 0, epochs: int = EPOCHS,
                          log: Callable[[str], None] = print) -> dict:
    """5.2 as written. Returns the per-epoch "validation" losses, the model and its optimizer
    (5.3 steps that optimizer), the loader, and what the "validation" ran over."""
    close, dates = article_close(newest_first=True)
    x = zscore(close)
    X, Y = windows(x)
    torch.manual_seed(seed)
    model = ArticleNet("DRNN")
    trainer = torch.optim.Adam(model.parameters(), LR)
    loader = train_loader(X, Y, seed)
    val_loader = loader  # DEFECT (as written): "validation" runs over the training loader
    losses = []
    for epoch in range(epochs):
        for xb, yb in loader:
            trainer.zero_grad()
            _loss(model, xb, yb).sum().backward()  # the sum, not the mean, as written
            trainer.step()
        model.eval()  # as written: never set back to train() (no dropout here: no effect)
        losses.append(mean_of_batch_means(model, val_loader))
        log(f"  as written, epoch {epoch + 1}: 'validation' loss = {losses[-1]:.4f}"
            + (f"   (article: {ARTICLE_VAL_LOSS[epoch]:.4f})" if epoch < 20 else ""))
    naive = float(((X[:, :, 0] - Y) ** 2).mean())
    return {"losses": losses, "model": model, "trainer": trainer, "loader": loader,
            "val_is_train": val_loader is loader, "x": x, "X": X, "first_date": dates[0],
            "last_date": dates[-1], "naive_loss": naive}


def four_models_as_written(trainer: torch.optim.Optimizer, loader, epochs: int = EPOCHS,
                           seed: int = 0) -> dict:
    """5.3's loop as written: each model's forward and backward, then ``trainer`` (5.2's
    optimizer, over another model's weights) is zeroed and stepped. Returns the models,
    how far their weights moved (0.0: untrained) and their accumulated gradient norms."""
    torch.manual_seed(seed + 1)
    models = [ArticleNet(k) for k in MODEL_NAMES]
    opts = [torch.optim.Adam(m.parameters(), LR) for m in models]  # built, never used
    before = [snapshot(m) for m in models]
    for _ in range(epochs):
        for xb, yb in loader:
            for model, _optimizer in zip(models, opts):
                loss = _loss(model, xb, yb)
                trainer.zero_grad()  # DEFECT (as written): the wrong optimizer
                loss.sum().backward()
                trainer.step()
    grad = [float(torch.sqrt(sum(((p.grad ** 2).sum() for p in m.parameters()
                                  if p.grad is not None), torch.tensor(0.0))))
            for m in models]  # (0.0 where no epoch ran: no gradient)
    return {"models": models, "max_weight_change": [max_change(m, b) for m, b in
                                                    zip(models, before)],
            "grad_norm": grad, "unused_optimizers": opts}


def bias_as_written(models: Sequence[nn.Module], x: torch.Tensor, X: torch.Tensor) -> dict:
    """5.3's "bias" for each model, as computed there, beside 1242 x its signed error sum."""
    out = {}
    target = x[SEQ_LEN:]  # (1242,)
    for name, model in zip(MODEL_NAMES, models):
        with torch.no_grad():
            preds = model(X)[:, SEQ_LEN - 1].numpy()  # (1242, 1): a NumPy array
        with warnings.catch_warnings():  # numpy 2 warns about torch's __array_wrap__
            warnings.simplefilter("ignore", DeprecationWarning)
            diff = target - preds  # DEFECT (as written): broadcasts to (1242, 1242)
        signed = float((target - torch.from_numpy(preds[:, 0])).double().sum())
        out[name] = {"bias": float(torch.sum(diff)), "shape": list(diff.shape),
                     "signed_error_sum": signed, "n_x_signed_sum": len(target) * signed}
    return out


def corrected(seed: int = 0, epochs: int = EPOCHS, kinds: Sequence[str] = ("DRNN",),
              log: Callable[[str], None] = print) -> dict:
    """The same models, corrected: time forward, z-score fitted on the first 80%, the last
    20% held out, each model stepped by its own optimizer. Per epoch: the training loss
    (the article's measure, over the training windows) and the held-out loss."""
    close, _ = article_close(newest_first=False)
    n = len(close)
    n_train = n - int(round(n * TEST_FRACTION))
    fit = torch.tensor(close[:n_train], dtype=torch.float32)
    x = (torch.tensor(close, dtype=torch.float32) - fit.mean()) / fit.std()
    X_tr, Y_tr = windows(x[:n_train])
    X_all, Y_all = windows(x)
    first_val = n_train - 1  # every target of these windows lies in the held-out part
    X_val, Y_val = X_all[first_val:], Y_all[first_val:]
    naive = float(((X_val[:, :, 0] - Y_val) ** 2).mean())
    curves: Dict[str, dict] = {}
    out = {"n_train": n_train, "n_val_windows": len(X_val), "naive_val_loss": naive,
           "models": curves}
    for kind in kinds:
        torch.manual_seed(seed)
        model = ArticleNet(kind)
        opt = torch.optim.Adam(model.parameters(), LR)  # its own optimizer
        loader = train_loader(X_tr, Y_tr, seed)
        train_l, val_l = [], []
        for epoch in range(epochs):
            model.train()
            for xb, yb in loader:
                opt.zero_grad()
                _loss(model, xb, yb).mean().backward()
                opt.step()
            model.eval()
            train_l.append(mean_of_batch_means(model, loader))
            with torch.no_grad():
                val_l.append(float(_loss(model, X_val, Y_val).mean()))
            log(f"  corrected {kind}, epoch {epoch + 1}: training loss {train_l[-1]:.4f}, "
                f"held-out loss {val_l[-1]:.4f} (naive {naive:.4f})")
        curves[kind] = {"train_loss": train_l, "val_loss": val_l}
    return out


def run(quick: bool = False, seed: int = 0, log: Callable[[str], None] = print,
        corrected_kinds: Optional[List[str]] = None) -> dict:
    """Everything above in order; ``quick`` runs 2 epochs (5.3: 1) instead of 20."""
    t0 = time.perf_counter()
    epochs = 2 if quick else EPOCHS
    log("5.2 as written (newest-first frame, 'validation' over the training loader):")
    a = train_drnn_as_written(seed, epochs, log)
    log("5.3 as written (the loop steps 5.2's optimizer):")
    loop_epochs = 1 if quick else epochs
    f = four_models_as_written(a["trainer"], a["loader"], loop_epochs, seed)
    bias = bias_as_written(f["models"], a["x"], a["X"])
    for (name, b), change in zip(bias.items(), f["max_weight_change"]):
        log(f"  {name}: largest weight change {change:.3g}; 'bias' {b['bias']:.1f} = 1242 x "
            f"signed error sum {b['signed_error_sum']:.3f} (article: {ARTICLE_BIAS[name]:.1f})")
    log("corrected (time forward, last 20% held out, own optimizer per model; still the "
        "article's seq-to-seq task, which the BRNN solves by reading the answer):")
    c = corrected(seed, epochs, corrected_kinds or (["DRNN"] if quick else list(MODEL_NAMES)),
                  log)
    return {
        "experiment": "deep-RNN article, DJI, sections 5.2 and 5.3", "seed": seed,
        "epochs": epochs, "quick": quick,
        "as_written": {
            "frame_order": f"newest first ({a['first_date']} .. {a['last_date']})",
            "validation_data": "the training loader" if a["val_is_train"] else "held out",
            "val_loss": a["losses"], "article_val_loss": list(ARTICLE_VAL_LOSS[:epochs]),
            "four_models_epochs": loop_epochs,
            "naive_loss_same_windows": a["naive_loss"],
            "four_models_max_weight_change": dict(zip(MODEL_NAMES, f["max_weight_change"])),
            "four_models_grad_norm": dict(zip(MODEL_NAMES, f["grad_norm"])),
            "bias": bias, "article_bias": ARTICLE_BIAS},
        "corrected": c, "seconds": time.perf_counter() - t0}


def markdown(res: dict) -> list:
    a, c = res["as_written"], res["corrected"]
    loop = a.get("four_models_epochs", res["epochs"])
    def of(n: int) -> str:  # (a --quick run trains fewer epochs than the article)
        return f"{n} epochs" if n == EPOCHS else f"{n} of the article's {EPOCHS} epochs"

    lines = [f"**5.2 as written** (frame {a['frame_order']}; 'validation' over "
             f"{a['validation_data']}; seed {res['seed']}; {of(res['epochs'])}):", "",
             "| epoch | as written | article |", "|---|---|---|"]
    lines += [f"| {i + 1} | {v:.4f} | {w:.4f} |"
              for i, (v, w) in enumerate(zip(a["val_loss"], a["article_val_loss"]))]
    lines += ["", f"The naive forecast (each value = the one before) scores "
              f"{a['naive_loss_same_windows']:.4f} on the same windows.", "",
              f"**5.3 as written** (the loop steps 5.2's optimizer; {of(loop)}):", "",
              "| model | largest weight change | 'bias' | 1242 x signed error sum | article |",
              "|---|---|---|---|---|"]
    for name, b in a["bias"].items():
        lines.append(f"| {name} | {a['four_models_max_weight_change'][name]:.3g} | "
                     f"{b['bias']:.1f} | {b['n_x_signed_sum']:.1f} | "
                     f"{a['article_bias'][name]:.1f} |")
    lines += ["", f"**Corrected** (time forward, z-score on the first {c['n_train']} days, "
              f"{c['n_val_windows']} held-out windows; naive {c['naive_val_loss']:.4f}; "
              f"{of(res['epochs'])}):", "",
              "| model | training loss (last epoch) | held-out loss (last epoch) |",
              "|---|---|---|"]
    notes = ["", "The task is still the article's shifted-by-one seq-to-seq: the BRNN's "
             "backward pass reads x_(t+1), the value it must predict, so its low loss is a "
             "copy, not a forecast. `rnnlab recipe run e1-dji-compare` corrects the task too "
             "(seq-to-one) and scores every model in index points beside naive."]
    lines += [f"| {k} | {m['train_loss'][-1]:.4f} | {m['val_loss'][-1]:.4f} |"
              for k, m in c["models"].items()]
    return lines + notes
