"""``rnnlab bench --json`` writes its result with the project's JSON writer
(rnnlab.io.atomic.atomic_write_json): strict JSON (a NaN is null), laid out as every other
JSON file rnnlab writes."""

from __future__ import annotations

import json
import math


def test_bench_json_is_written_as_rnnlabs_other_json_files(monkeypatch, tmp_path):
    from rnnlab.bench import run_record as record
    from rnnlab.cli import main

    real = record.RunRecord.document

    def with_nan(self, rows, interrupted):
        return dict(real(self, rows, interrupted), probe=math.nan)

    monkeypatch.setattr(record.RunRecord, "document", with_nan)
    out = tmp_path / "b.json"
    assert main(["bench", "--configs", "C0", "--models", "rnn", "--repeats", "1",
                 "--warmup", "0", "--threads", "1", "--json", str(out)]) == 0
    text = out.read_text()
    doc = json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    assert doc["probe"] is None and doc["interrupted"] is False and doc["rows"]
    assert text == json.dumps(doc, indent=2) + "\n"
