"""``rnnlab recipe run NAME --print-config`` prints NAME, and the printed config runs the
same recipe back (it printed no NAME: ``recipe run --config PRINTED`` was refused as
without one, and ``compare --config PRINTED`` as another command's options)."""

import json

from rnnlab.cli import main


def _printed(capsys, *argv):
    assert main(["recipe", "run", *argv, "--print-config"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_printed_config_names_the_recipe_and_runs_it_back(tmp_path, capsys,
                                                              monkeypatch):
    printed = _printed(capsys, "e4-sine", "--quick")
    assert printed["options"]["name"] == "e4-sine"
    (tmp_path / "p.json").write_text(json.dumps(printed))
    again = _printed(capsys, "--config", str(tmp_path / "p.json"))
    assert again["options"] == printed["options"]
    assert again["sources"]["name"] == str(tmp_path / "p.json")
    from rnnlab.compare import cli

    ran = []
    monkeypatch.setattr(cli, "cmd_compare", lambda a: ran.append((a.recipe, a.quick)) or 0)
    assert main(["recipe", "run", "--config", str(tmp_path / "p.json")]) == 0
    assert ran == [("e4-sine", True)]


def test_a_name_typed_wins_over_the_files_and_a_bad_one_is_refused(tmp_path, capsys):
    (tmp_path / "p.json").write_text(json.dumps({"name": "e4-sine", "quick": True}))
    got = _printed(capsys, "e2-lookback2-lstm", "--config", str(tmp_path / "p.json"))
    assert got["options"]["name"] == "e2-lookback2-lstm"
    assert got["sources"]["name"] == "command line"
    (tmp_path / "p.json").write_text(json.dumps({"name": "e9"}))
    assert main(["recipe", "run", "--config", str(tmp_path / "p.json"), "--print-config"]) == 2
    err = capsys.readouterr().err
    assert "key 'name': expected one of e1-dji-compare" in err
    assert "found \"e9\"; correct it (or give NAME on the command line)" in err


def test_without_a_name_anywhere_it_is_still_required(tmp_path, capsys):
    (tmp_path / "p.json").write_text(json.dumps({"quick": True}))
    assert main(["recipe", "run", "--config", str(tmp_path / "p.json")]) == 2
    assert "required: NAME" in capsys.readouterr().err
