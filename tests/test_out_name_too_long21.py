"""An --out whose name is over the file system's limit says to shorten it."""


def test_an_out_with_a_name_over_255_bytes_says_to_shorten_it(tmp_path, capsys):
    from rnnlab.cli import main

    out = tmp_path / ("x" * 300)
    code = main(["forecast", "--data", "airline", "--epochs", "1", "--ensemble", "1",
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "choose a shorter path" in err and "parent folders must be folders" not in err
