"""``--config FILE.yaml``: YAML settings files (the extra rnnlab[yaml]), read with PyYAML's
safe loader and checked as the JSON and TOML ones are."""

import json
import sys

import pytest

from rnnlab.cli import main


def _printed(capsys, *argv):
    assert main([*argv, "--print-config"]) == 0
    return json.loads(capsys.readouterr().out)


def _refused(capsys, tmp_path, text, name="bad.yaml"):
    f = tmp_path / name
    f.write_text(text)
    assert main(["forecast", "--config", str(f), "--out", str(tmp_path / "o")]) == 2
    assert not (tmp_path / "o").exists()
    err = capsys.readouterr().err
    assert f"--config {f}" in err
    return err


def test_yaml_sets_options_merges_with_toml_and_the_command_line_wins(tmp_path, capsys):
    pytest.importorskip("yaml")
    base = tmp_path / "base.yml"
    base.write_text("# a base\nmodel: gru\nhidden-size: 8\nepochs: 2\nlr: 1e-3\n"
                    "quantiles: [0.2, 0.8]\nno_progress: true\nclip_norm: null\n")
    exp = tmp_path / "exp.toml"
    exp.write_text("epochs = 3\n")
    got = _printed(capsys, "forecast", "--config", str(base), "--config", str(exp),
                   "--hidden-size", "16")
    opts = got["options"]
    assert (opts["model"], opts["hidden_size"], opts["epochs"], opts["lr"]) == (
        "gru", 16, 3, 0.001)  # (PyYAML reads 1e-3 as text: the option's parser reads it)
    assert opts["quantiles"] == [0.2, 0.8] and opts["no_progress"] is True
    assert opts["clip_norm"] is None
    assert got["sources"]["model"] == str(base) and got["sources"]["epochs"] == str(exp)


def test_yaml_1_1_booleans_are_text_and_dates_their_text(tmp_path, capsys):
    """``cuda_graphs: off`` is the choice off (PyYAML's YAML 1.1 made it false, refused
    as "expected one of auto, on, off, found false"); a switch takes true/false."""
    pytest.importorskip("yaml")
    f = tmp_path / "g.yaml"
    f.write_text("cuda_graphs: off\ncountry: NO\n")  # (YAML 1.1's "Norway problem": false)
    got = _printed(capsys, "forecast", "--config", str(f))["options"]
    assert (got["cuda_graphs"], got["country"]) == ("off", "NO")
    err = _refused(capsys, tmp_path, "no_progress: yes\n")
    assert "key 'no_progress': expected true or false, found \"yes\"" in err
    from rnnlab.config_file import read_settings

    (tmp_path / "d.yaml").write_text("start: 2024-01-31\nwhen: [2024-02-01]\n")
    assert read_settings(str(tmp_path / "d.yaml")).values == {
        "start": "2024-01-31", "when": ["2024-02-01"]}


def test_yaml_merge_keys_and_an_empty_file(tmp_path, capsys):
    pytest.importorskip("yaml")
    f = tmp_path / "m.yaml"
    from rnnlab.config_file import read_settings

    (tmp_path / "e.yaml").write_text("# all commented out\n")
    assert read_settings(str(tmp_path / "e.yaml")).values == {}
    f.write_text("epochs: 2\n<<: {hidden_size: 8, epochs: 5}\n")
    assert read_settings(str(f)).values == {"epochs": 2, "hidden_size": 8}  # (its own wins)


@pytest.mark.parametrize("text", ["base: &base\n  epochs: 2\n<<: *base\nlr: 0.1\n",
                                  "a: &a {epochs: 2}\nb: &b {lr: 0.1}\n<<: [*a, *b]\n"])
def test_a_block_kept_for_a_merge_is_refused_naming_the_way_to_share_options(tmp_path,
                                                                            capsys, text):
    # (docker compose's way: refused as a nested table, whose fix -- unindent, drop the
    # `base:` line -- left `*base` undefined; the README said `<<` merges work)
    pytest.importorskip("yaml")
    err = _refused(capsys, tmp_path, text)
    assert "(line 1) holds the block that `<<` merges, and rnnlab reads every top-level key " \
           "as an option; keep the shared options in a file of their own, given first " \
           "(--config base.yaml --config" in err


@pytest.mark.parametrize("text, said", [
    ("epochs: 2\nhidden_size: 4\nepochs: 3\n", "key 'epochs' is given twice (line 3); keep "
                                               "one of them"),
    ("epochs: [1,\n", "not valid YAML (expected the node content"),
    ("epochs: 2\n---\nepochs: 3\n", "expected a single document in the stream, but found "
                                    "another document at line 2"),
    ("- 1\n- 2\n", "expected a YAML mapping of option names and values"),
    ("x: !!python/object/apply:os.system ['echo no']\n", "not valid YAML (could not "
                                                          "determine a constructor"),
    ("seed: !!binary aGVsbG8=\n", "key 'seed': a YAML bytes value"),
    ("a: &a [*a]\n", "an alias (line 1) refers to the value it is in"),
    ("model:\n  hidden_size: 8\n", "key 'model' is a mapping of hidden_size; rnnlab reads "
                                   "options at the top level of the file: unindent them"),
    ("hiden_size: 8\n", "did you mean 'hidden_size'"),
    ("hidden_size: big\n", "key 'hidden_size': expected a whole number, found \"big\""),
    ("e: " + "[" * 3000 + "]" * 3000 + "\n", "YAML nested more than 100 deep"),
])
def test_bad_yaml_is_refused_naming_file_and_key(tmp_path, capsys, text, said):
    pytest.importorskip("yaml")
    assert said in _refused(capsys, tmp_path, text)


def test_aliases_that_stand_for_billions_of_values_are_refused(tmp_path, capsys):
    pytest.importorskip("yaml")
    lines, prev = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"], "a0"
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*{prev}'] * 10)}]")
        prev = f"a{i}"
    err = _refused(capsys, tmp_path, "\n".join(lines) + "\n")
    assert "its aliases stand for more than 1000000 values" in err


def test_a_huge_yaml_file_is_refused_before_it_is_parsed(tmp_path, capsys):
    pytest.importorskip("yaml")
    from rnnlab.config_yaml import MAX_CHARS

    err = _refused(capsys, tmp_path, "x: [" + "1, " * (MAX_CHARS // 3) + "1]\n")
    assert f"more than a YAML settings file holds ({MAX_CHARS})" in err


def test_without_pyyaml_the_extra_is_named(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)  # (import yaml: ImportError)
    err = _refused(capsys, tmp_path, "epochs: 2\n", name="run.yml")
    assert "needs yaml, which is not installed: pip install 'rnnlab[yaml]'" in err
    assert "or give the settings as a .json or .toml file" in err


@pytest.mark.parametrize("text, epochs, seeds", [
    ("epochs: 010\n", 10, None),  # (YAML 1.1's octal 8; --epochs 010 is 10)
    ("seeds: [0, 010]\n", 300, [0, 10]),
    ("epochs: 00\n", 0, None),
    ("epochs: 12\nseeds: [0x1]\n", 12, [1]),  # (hex reads as YAML 1.2 reads it)
])
def test_yaml_1_1_octal_numbers_read_as_typed(tmp_path, capsys, text, epochs, seeds):
    pytest.importorskip("yaml")
    f = tmp_path / "n.yaml"
    f.write_text(text)
    got = _printed(capsys, "forecast", "--config", str(f))["options"]
    assert (got["epochs"], got["seeds"]) == (epochs, seeds)


@pytest.mark.parametrize("text, said", [
    ("epochs: 1:30\n", "key 'epochs': expected a whole number, found \"1:30\""),  # (was 90)
    ("lr: 1:0.5\n", "key 'lr': expected a number, found \"1:0.5\""),  # (was 60.5)
    ("quantiles: [{a: !!binary aGVsbG8=}]\n", "key 'quantiles': a YAML bytes value"),
    ("betas: null\n", "key 'betas': expected 2 values, each a number, found null"),  # (was
])  # "expected a number", as if one were taken)
def test_yaml_1_1_base_60_numbers_and_nested_bytes_are_refused(tmp_path, capsys, text, said):
    """Base 60 (YAML 1.1's ``1:30``, 90) is refused as ``--epochs 1:30`` is; a value that is
    not plain data below a list's mapping was an internal error (bytes not JSON)."""
    pytest.importorskip("yaml")
    assert said in _refused(capsys, tmp_path, text)


def test_yaml_text_options_keep_a_leading_zero(tmp_path):
    pytest.importorskip("yaml")
    from rnnlab.config_file import read_settings

    (tmp_path / "c.yaml").write_text("column: 010\nwhen: [{2024-01-31: 07}]\n")
    assert read_settings(str(tmp_path / "c.yaml")).values == {
        "column": "010", "when": [{"2024-01-31": "07"}]}


def test_a_yaml_file_past_a_quarter_mebibyte_is_refused_unparsed(tmp_path, capsys):
    # (was 2 MiB: a file just under it held the parser for 20 s of CPU before any refusal)
    pytest.importorskip("yaml")
    err = _refused(capsys, tmp_path, "x: [" + "1, " * 100_000 + "1]\n")
    assert "more than a YAML settings file holds (262144)" in err
