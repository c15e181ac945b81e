"""``Forecaster(refit=True).fit(data, on_epoch=fn)``: the refit after the choice trained each
member again without ever calling ``fn`` (a user's logger saw the validation phase's
epochs only); now ``fn`` runs after each refit epoch too, ``record["refit"]`` True."""

import numpy as np

from rnnlab import Forecaster

TINY = dict(hidden_size=4, epochs=3, ensemble=2, progress=False, lookback=6, horizon=6,
            patience=None, select="network")


def _series():
    t = np.arange(120)
    return 10 + np.sin(2 * np.pi * t / 12) + 0.01 * t


def test_the_refit_calls_on_epoch_for_each_member_and_epoch():
    seen = []

    def hook(epoch, record):
        seen.append((record["member"], epoch, record.get("refit", False)))
        # (README: nothing is validated in a refit epoch; its val_loss is None)
        assert (record["val_loss"] is None) == record.get("refit", False)
        record["mine"] = 1.0

    f = Forecaster(**TINY, refit=True).fit(_series(), on_epoch=hook)
    assert "network" in f.choice["refit"]
    trained = [(m, e, False) for m in range(2) for e in range(1, 4)]
    refit = [(m, e, True) for m, h in enumerate(f.histories)
             for e in range(1, h["refit"]["epochs"] + 1)]
    assert len(refit) >= 2 and seen == trained + refit
    for h in f.histories:  # (the hook's fields stay; member and refit are not kept)
        assert all(e["mine"] == 1.0 and "refit" not in e and "member" not in e
                   for e in h["epochs"])


def test_the_hook_changes_no_refitted_weight():
    plain = Forecaster(**TINY, refit=True).fit(_series())
    hooked = Forecaster(**TINY, refit=True).fit(_series(), on_epoch=lambda e, r: None)
    np.testing.assert_array_equal(plain.predict(), hooked.predict())


def test_without_refit_the_hook_sees_the_training_alone():
    seen = []
    Forecaster(**TINY).fit(_series(), on_epoch=lambda e, r: seen.append(r.get("refit")))
    assert seen == [None] * 6
