"""A run repeated from its record (``--config RUN_DIR``) or resumed under other threads, CPU
kernels or versions says that its numbers may differ and what to set to repeat it exactly:
before, ``lm train --config RUN`` on torch's default threads of another machine (or with
``OMP_NUM_THREADS=1``), or under ``ONEDNN_MAX_CPU_ISA=AVX2``, silently gave other metrics
than the record's (val_loss 2.714463753579035 on 2 threads, 2.714463745121084 on 1)."""

from __future__ import annotations

import json

from cli_run import run

from printed_words import words
from rnnlab.io.record_drift import differences, drift_warning, fixes


def _record(folder, **changed):
    """A forecast run's record as rnnlab writes it, its versions this process's but for
    ``changed`` (None: a field the record lacks)."""
    import importlib

    from rnnlab.io.versions import versions

    importlib.import_module("torch")  # (versions() names its kernels where it is imported)

    folder.mkdir()
    was = {**versions(), "threads": 1, **changed}
    was = {k: v for k, v in was.items() if v is not None}
    options = {"data": "airline", "epochs": 1, "threads": 1, "seed": 0}
    (folder / "cli.json").write_text(json.dumps({"options": options,
                                                 "command": "rnnlab forecast"}))
    (folder / "config.json").write_text(json.dumps({"config": options, "seed": 0,
                                                    "versions": was, "command": ["rnnlab"]}))
    return folder


def _repeat(folder, capsys, *typed):
    code, err = run(["forecast", "--config", str(folder), *typed, "--print-config"], capsys)
    assert code == 0, err
    return words(err)  # (its words: a warning wraps at 80 columns)


def test_a_repeat_on_other_threads_says_so_and_how_to_repeat_it(tmp_path, capsys,
                                                                 monkeypatch):
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    monkeypatch.delenv("DNNL_MAX_CPU_ISA", raising=False)
    folder = _record(tmp_path / "run")
    assert "warning" not in _repeat(folder, capsys)  # the same threads, kernels, versions
    err = _repeat(folder, capsys, "--threads", "2")
    assert "threads 1 (now 2)" in err and "to repeat it exactly: --threads 1" in err


def test_a_repeat_under_another_onednn_limit_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DNNL_MAX_CPU_ISA", raising=False)
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    folder = _record(tmp_path / "run")
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    err = _repeat(folder, capsys)
    assert "onednn_max_cpu_isa none (now AVX2)" in err and "unset ONEDNN_MAX_CPU_ISA" in err
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA")
    err = _repeat(_record(tmp_path / "run2", onednn_max_cpu_isa="AVX2"), capsys)
    assert "onednn_max_cpu_isa AVX2 (now none)" in err and "ONEDNN_MAX_CPU_ISA=AVX2" in err


def test_a_repeat_with_another_torch_or_kernels_names_them(tmp_path, capsys):
    err = _repeat(_record(tmp_path / "run", torch="1.13.1", torch_cpu_kernels="ZZZ"), capsys)
    assert "torch 1.13.1 (now " in err and "torch_cpu_kernels ZZZ (now " in err
    assert "ATEN_CPU_CAPABILITY=zzz" in err


def test_fields_an_older_record_lacks_are_not_compared():
    now = {"rnnlab": "1", "torch": "2", "torch_cpu_kernels": "AVX512", "threads": 4,
           "onednn_max_cpu_isa": "AVX2"}
    assert differences({"rnnlab": "1", "torch": "2"}, now) == []
    assert drift_warning("x", {"rnnlab": "1", "torch": "2"}, now) is None
    # a record naming the kernels names oneDNN's limit where there was one: none here
    was = {"rnnlab": "1", "torch": "2", "torch_cpu_kernels": "AVX512", "threads": 4}
    assert differences(was, now) == ["onednn_max_cpu_isa none (now AVX2)"]
    assert fixes(was, now) == ["unset ONEDNN_MAX_CPU_ISA"]


def test_a_resume_on_other_threads_says_it_may_not_match(tmp_path, capsys):
    # before: a resume compared rnnlab's and torch's versions only, so a run resumed on
    # other threads (which --resume lets one give anew) or CPU kernels said nothing
    import torch
    from tiny_task import TinyTask, tiny_model

    from rnnlab.train import TrainConfig, fit

    def fit_for(epochs, resume=False):
        cfg = TrainConfig(epochs=epochs, lr=1e-2, progress=False)
        fit(tiny_model("gru", 4), TinyTask(16), cfg, checkpoint_dir=tmp_path / "ck",
            resume=resume)

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        fit_for(1)
        capsys.readouterr()
        torch.set_num_threads(2)
        fit_for(2, resume=True)
    finally:
        torch.set_num_threads(before)
    err = capsys.readouterr().err
    assert "written by threads 1 (now 2)" in err and "bit for bit" in err
