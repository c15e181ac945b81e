"""A comparison under bf16-mixed says what precision each model trained in: on a CPU
without a bf16 LSTM kernel the LSTM layers train in fp32 and the other models' layers in
bf16, so the models are not on identical terms (neither results.json nor the report said
so, nor even that the comparison ran in bf16)."""

import rnnlab.train.precision as P
from rnnlab.compare import CompareConfig, run_models
from rnnlab.compare.fairness import precision_note
from rnnlab.compare.summary import precision_text, terminal_table


def _run(monkeypatch, lstm_kernel: bool):
    monkeypatch.setattr(P, "cpu_bf16_lstm_supported", lambda: lstm_kernel)
    cfg = CompareConfig(models=("lstm", "gru"), seeds=(0,), epochs=1, hidden_size=2,
                        device="cpu")
    return cfg, run_models(cfg, log=lambda s: None, device_settings={"precision": "bf16-mixed"})


def test_a_precision_that_differs_between_the_models_is_said(monkeypatch):
    cfg, res = _run(monkeypatch, lstm_kernel=False)
    by_model = {r["name"]: r["precision"] for r in res["rows"] if r["kind"] == "model"}
    assert by_model["gru"] == "bf16-mixed"
    assert by_model["lstm"].startswith("body.body: 32 (this CPU has no bf16 LSTM kernel")
    assert by_model["lstm"].endswith("other layers: bf16-mixed")
    note = precision_note(res["rows"])
    assert note.startswith("Precision is NOT the same for every model: lstm [body.body: 32")
    assert "gru [bf16-mixed]" in note and "--precision 32 trains every model alike" in note
    assert note in " ".join(terminal_table(cfg, res["rows"]).split())  # (its notes wrapped at 80 columns)


def test_one_precision_for_every_model_is_said_once_and_fp32_not_at_all(monkeypatch):
    cfg, res = _run(monkeypatch, lstm_kernel=True)
    assert precision_note(res["rows"]) == "Precision: every model trained in bf16-mixed."
    plain = [dict(r, precision="32") for r in res["rows"]]
    assert precision_note(plain) is None
    assert precision_text(None) == "32" and precision_text({"all layers": "32"}) == "32"


def test_the_report_names_the_device_settings_every_model_had():
    from rnnlab.compare.report import provenance_notes

    notes = provenance_notes({"device_settings": {"precision": "bf16-mixed", "devices": 2}})
    assert notes == ["Device settings, the same for every model: precision bf16-mixed, "
                     "devices 2."]
    assert provenance_notes({"device_settings": {}}) == []
