"""Review of research32 (session 32): what the review found, each pinned by a test that
failed before its fix."""

import pytest
import torch

from rnnlab.train import TensorTask, TrainConfig, fit


def test_a_cpu_fit_with_checkpoints_on_a_gpu_machine_leaves_cuda_unstarted(
        monkeypatch, tmp_path):
    # each checkpoint's RNG states took CUDA's too where CUDA was available, which starts
    # CUDA (memory on the GPU, seconds) for a CPU fit: and versions() then named the GPU
    # (versions.gpu) in the records of a run that never used it
    from rnnlab.io.versions import versions

    started = []
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_initialized", lambda: bool(started))
    monkeypatch.setattr(torch.cuda, "get_rng_state_all",
                        lambda: started.append(1) or [torch.zeros(8, dtype=torch.uint8)])
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda i=None: "a GPU")
    # torch's own optimizers ask torch.accelerator, which follows torch.cuda.is_available on
    # a CUDA build (PyPI's, the only torch for Python 3.12/3.13 here): without a driver
    # Adam.step then failed "Found no NVIDIA driver". The fake GPU is for rnnlab's checks.
    monkeypatch.setattr(torch.accelerator, "is_available", lambda: False)
    torch.manual_seed(0)
    x, y = torch.randn(16, 3), torch.randn(16, 1)
    fit(torch.nn.Linear(3, 1), TensorTask(x, y, batch_size=8),
        TrainConfig(epochs=2, device="cpu", progress=False), checkpoint_dir=tmp_path / "ck")
    assert not started
    assert "gpu" not in versions()
    fit(torch.nn.Linear(3, 1), TensorTask(x, y, batch_size=8),  # (a resume: the same)
        TrainConfig(epochs=3, device="cpu", progress=False), checkpoint_dir=tmp_path / "ck",
        resume=True)
    assert not started


def test_a_pair_left_with_one_seed_says_1_seed_not_1_seeds():
    # one pair of several with a single seed both models finished: "paired t over 1
    # seeds: no test (1 seeds; ...)" (the note for all pairs alike said "1 seed")
    pytest.importorskip("scipy")
    from rnnlab.compare import CompareConfig
    from rnnlab.compare.seed_tests import seed_tests_said
    from rnnlab.stats import paired_t

    vals = {"rnn": [1.0, 1.1, 1.3], "lstm": [1.4, 1.2, 1.9], "gru": [None, None, 2.5]}
    rows = [{"kind": "model", "name": m, "seeds": [0, 1, 2],
             "metrics": {"forecast.rmse": {"mean": 1.0, "values": v}}} for m, v in vals.items()]
    note, _ = seed_tests_said(CompareConfig(models=tuple(vals), seeds=(0, 1, 2)), rows)
    assert "rnn vs gru: paired t over 1 seed: no test (1 seed; the test needs at least 3)" \
        in note and "1 seeds" not in note
    assert "over 1 origin:" in paired_t([1.0], [2.0], unit="origins").text()
    assert "over 1 series:" in paired_t([1.0], [2.0], unit="series").text()
    assert "over 2 seeds:" in paired_t([1.0, 2.0], [2.0, 1.0]).text()


@pytest.mark.parametrize("kw,said", [
    ({"num_layers": 2},
     r"'num_layers' \(a cell, or Recurrent\(cell\), is one layer.*Stacked.*num_layers=2"),
    ({"recurrent_dropout": 0.1}, r"Keras'.*Recurrent\(cell, recurrent_dropout=p\)"),
    ({"hiden_size": 4}, r"'hiden_size'. DTRNNCell takes \(input_size, hidden_size, depth"),
])
def test_a_deep_transition_cell_refuses_a_keyword_it_lacks_with_what_to_use(kw, said):
    # DTRNNCell(2, 4, num_layers=2) was Python's bare TypeError ("unexpected keyword
    # argument"), where RNNCell, GRUCell and LSTMCell name what to use
    from rnnlab.io.errors import ConfigTypeError
    from rnnlab.nn import DTRNNCell, RNNCell

    with pytest.raises(ConfigTypeError, match=said):
        DTRNNCell(2, 4, **kw)
    if "num_layers" in kw:
        with pytest.raises(ConfigTypeError, match=said):
            RNNCell(2, 4, **kw)
    assert DTRNNCell(2, 4, depth=3).depth == 3  # (its own keywords still bind)


def test_compare_refuses_a_depth_its_model_cannot_take_in_compares_words(tmp_path):
    # `rnnlab compare --models rnn,dts-rnn --depth 1` said "ForecastConfig: model
    # 'dts-rnn' ... needs depth >= 2": a config the compare user never wrote
    from rnnlab.compare import CompareConfig
    from rnnlab.compare.runner import run_compare
    from rnnlab.io.errors import ConfigError

    cfg = CompareConfig(models=("rnn", "dts-rnn"), depth=1, data="airline", epochs=1,
                        seeds=(0,))
    with pytest.raises(ConfigError, match=r"^CompareConfig: model 'dts-rnn' \(DT\(S\)-RNN\) "
                                          r"needs depth >= 2.*--depth") as e:
        run_compare(cfg, tmp_path / "run", log=lambda s: None)
    assert "ForecastConfig" not in str(e.value) and not (tmp_path / "run").exists()


def test_compare_config_is_under_the_house_limit_and_still_refuses_an_unread_shape():
    # research32's lr_schedule took compare/config.py to 306 lines (house limit ~300):
    # which shape options each model reads is an idea of its own, in .shape_options
    from pathlib import Path

    from rnnlab.compare import CompareConfig, config
    from rnnlab.io.errors import ConfigError

    assert len(Path(config.__file__).read_text().splitlines()) < 300
    with pytest.raises(ConfigError, match=r"depth \(--depth\) 3 shapes .*none of the compared"):
        CompareConfig(models=("lstm", "gru"), depth=3)
    assert CompareConfig(models=("dt-rnn",), depth=1).shape_for("dt-rnn") == \
        {"depth": 1, "nonlinearity": "tanh"}


def _checkout(root, head, refs=None, packed=None, worktree=False):
    """A repository's files as git writes them, rnnlab's package under src/."""
    (root / "src" / "rnnlab").mkdir(parents=True)
    (root / "src" / "rnnlab" / "__init__.py").write_text("")
    git = root / ("main.git" if worktree else ".git")
    gitdir = git / "worktrees" / "wt" if worktree else git
    gitdir.mkdir(parents=True)
    (gitdir / "HEAD").write_text(head + "\n")
    for ref, sha in (refs or {}).items():
        (git / ref).parent.mkdir(parents=True, exist_ok=True)
        (git / ref).write_text(sha + "\n")
    if packed:
        (git / "packed-refs").write_text("# pack-refs with: peeled fully-peeled sorted \n"
                                         + "".join(f"{s} {r}\n" for r, s in packed.items()))
    if worktree:
        (gitdir / "commondir").write_text("../..\n")
        (root / ".git").write_text(f"gitdir: {gitdir}\n")
    return root / "src" / "rnnlab" / "__init__.py"


def test_a_record_names_the_commit_rnnlab_runs_from(tmp_path):
    # every record said rnnlab 0.1.0 whatever code made it: a run from a checkout now
    # records the commit, read from .git's files (a branch's ref, packed-refs, a
    # worktree's, a detached HEAD); an installed package records none
    from rnnlab.io.source_commit import source_commit

    a, b, c = "1" * 40, "2" * 40, "3" * 40
    assert source_commit(_checkout(tmp_path / "r1", "ref: refs/heads/main",
                                   refs={"refs/heads/main": a})) == a
    assert source_commit(_checkout(tmp_path / "r2", "ref: refs/heads/dev",
                                   packed={"refs/heads/main": a, "refs/heads/dev": b})) == b
    assert source_commit(_checkout(tmp_path / "r3", "ref: refs/heads/wt", worktree=True,
                                   packed={"refs/heads/wt": c})) == c
    assert source_commit(_checkout(tmp_path / "r4", a)) == a  # (detached)
    assert source_commit(_checkout(tmp_path / "r5", "ref: refs/heads/gone")) is None
    site = tmp_path / "site-packages" / "rnnlab"
    site.mkdir(parents=True)
    assert source_commit(site / "__init__.py") is None


def test_versions_and_the_compare_report_name_the_checkouts_commit():
    import subprocess
    from pathlib import Path

    import rnnlab
    from rnnlab.compare.report import provenance_notes
    from rnnlab.io.versions import versions

    root = Path(rnnlab.__file__).resolve().parents[2]
    if not (root / ".git").exists():
        pytest.skip("rnnlab runs from no git checkout here")
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    v = versions()
    assert v["rnnlab_commit"] == head
    (line,) = [n for n in provenance_notes({"versions": v}) if n.startswith("Versions")]
    assert f"rnnlab {v['rnnlab']} (commit {head[:12]})" in line


def test_bench_on_a_cpu_says_the_triton_paths_it_cannot_time_in_one_line(monkeypatch):
    # `rnnlab bench` on a CPU said "no triton rows: ... Triton kernels need a CUDA device",
    # then the same for triton-split and triton-resident: three lines, one reason
    from rnnlab.bench import suite
    from rnnlab.bench.configs import CONFIGS
    from rnnlab.bench.suite_settings import suite_settings
    from rnnlab.nn.fast import triton_common

    monkeypatch.setattr(triton_common, "_INTERPRETED", False)  # (the tests' interpreter off)
    models, run = suite_settings(["dt-rnn", "dts-rnn"], torch.float32, torch.device("cpu"),
                                 1, 1, 2, True, False, suite.FAST_IMPLS, "full", None)
    said = []
    suite._plan_rows(CONFIGS["C0"], models, run, suite._SkipOnce(said.append))
    triton = [i for i in suite.FAST_IMPLS if i.startswith("triton")]
    if len(triton) < 2 or torch.cuda.is_available():
        pytest.skip("needs a CPU-only run with two Triton paths or more")
    assert len([s for s in said if "CUDA device" in s]) == 1, said
    assert f"no {', '.join(triton)} rows: " in said[0]


def test_a_gpu_runs_config_json_written_before_training_names_its_gpu(monkeypatch, tmp_path):
    # rnnlab forecast and lm train write config.json before training starts CUDA, so
    # versions.gpu (named only where CUDA had started) was missing from a GPU run's record
    import json

    from rnnlab.io.rundir import write_run_info
    from rnnlab.train.device import record_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_initialized", lambda: False)
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda i=None: f"GPU {i}")
    monkeypatch.setattr(torch.version, "cuda", "12.8")
    assert record_device("auto", "auto") == torch.device("cuda")
    assert record_device("auto", "cpu").type == record_device("cpu", "auto").type == "cpu"
    assert record_device("cuda", "cuda:1") == torch.device("cuda", 1)
    assert record_device("auto", "auto", processes=2) is None  # (its workers train)
    write_run_info(tmp_path, {}, 0, device=record_device("auto", "cuda:1"))
    v = json.loads((tmp_path / "config.json").read_text())["versions"]
    assert (v["gpu"], v["cuda"]) == ("GPU 1", "12.8")
    monkeypatch.setattr(torch.cuda, "is_initialized", lambda: True)  # (used before: a notebook)
    (tmp_path / "cpu").mkdir()
    write_run_info(tmp_path / "cpu", {}, 0, device=torch.device("cpu"))
    assert "gpu" not in json.loads((tmp_path / "cpu" / "config.json").read_text())["versions"]
