"""``--encoding``: input files written in another encoding than UTF-8 (a latin-1 CSV, a
cp1252 text). Without it they are refused naming the file, the byte and now the
``--encoding`` to pass; with it every command that reads input files converts them to
UTF-8 once, and a run records the UTF-8 copy it read (so ``--resume`` and ``--config``
read it back), with ``encoding`` utf-8."""

import json

import pytest

from rnnlab.cli import main

TEXT = "Ça va — “quoted” text, naïve café. " * 40


def _latin1_csv(path):
    rows = "".join(f"2000-{m:02d},{100 + m}\n" for m in range(1, 13))
    rows += "".join(f"2001-{m:02d},{112 + m}\n" for m in range(1, 13))
    path.write_bytes(("Monat,Umsätze\n" + rows).encode("latin-1"))
    return path


def _latin1_panel(path):
    rows = [f"Zürich{i},20{y:02d}-{m:02d}-01,{m + i + y}" for i in range(2)
            for y in (1, 2, 3) for m in range(1, 13)]
    path.write_bytes(("unique_id,ds,y\n" + "\n".join(rows) + "\n").encode("latin-1"))
    return path


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path / "cache"))


@pytest.mark.parametrize("argv, enc", [
    (["forecast", "--data", "{csv}", "--epochs", "1"], "latin1"),
    (["forecast", "--data", "{panel}", "--model", "naive"], "latin1"),
    (["lm", "train", "--corpus", "{txt}", "--epochs", "1"], "cp1252"),
    (["score", "{csv}", "--actuals", "{csv}"], "latin1"),
])
def test_a_file_that_is_not_utf8_names_the_byte_and_the_encoding_to_pass(
        tmp_path, capsys, argv, enc):
    files = {"csv": _latin1_csv(tmp_path / "s.csv"), "panel": _latin1_panel(tmp_path / "p.csv"),
             "txt": tmp_path / "t.txt"}
    files["txt"].write_bytes(TEXT.encode("cp1252"))
    argv = [a.format(**files) for a in argv]
    assert main([*argv, "--out", str(tmp_path / "run")] if argv[0] != "score" else argv) == 1
    err = capsys.readouterr().err
    assert "not valid UTF-8 (byte " in err and f"; or pass --encoding {enc} (the command " \
        f"converts it as it reads)" in err, err
    assert "encoding='" not in err  # (the Python readers' hint: encoding= is not an option)


@pytest.mark.slow
def test_a_latin1_panel_and_a_cp1252_corpus_are_read_with_encoding(tmp_path, capsys):
    data = _latin1_panel(tmp_path / "p.csv")
    run = tmp_path / "panel"
    assert main(["forecast", "--data", str(data), "--encoding", "latin1", "--model", "naive",
                 "--baselines", "none", "--no-progress", "--out", str(run)]) == 0
    assert "Zürich0" in (run / "forecasts.csv").read_text(encoding="utf-8")
    options = json.loads((run / "config.json").read_text())["config"]["options"]
    assert options["encoding"] == "utf-8"  # (the record names the UTF-8 copy it read)
    kept = options["data"]
    assert str(tmp_path / "cache") in kept and "Zürich0" in open(kept, encoding="utf-8").read()
    assert "converted from latin1 to UTF-8" in capsys.readouterr().err
    text = tmp_path / "t.txt"
    text.write_bytes(TEXT.encode("cp1252"))
    lm = tmp_path / "lm"
    assert main(["lm", "train", "--corpus", str(text), "--encoding", "cp1252", "--epochs", "1",
                 "--hidden-size", "8", "--seq-len", "16", "--no-progress",
                 "--out", str(lm)]) == 0
    saved = json.loads((lm / "cli.json").read_text())["options"]
    assert saved["encoding"] == "utf-8"
    assert open(saved["corpus"], encoding="utf-8").read() == TEXT
    capsys.readouterr()
    assert main(["lm", "eval", "--run", str(lm), "--text", str(text), "--encoding", "cp1252",
                 "--json"]) == 0
    assert "bpc" in json.loads(capsys.readouterr().out)


def test_a_later_error_names_the_file_as_typed_not_its_utf8_copy(tmp_path, capsys):
    data = _latin1_csv(tmp_path / "s.csv")
    assert main(["forecast", "--data", str(data), "--encoding", "latin1", "--column", "nope",
                 "--out", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert f"error: {data}: column 'nope' not found; columns are ['Monat', 'Umsätze']" in err


@pytest.mark.parametrize("content, enc, said", [
    ("Umsätze\n1\n".encode("utf-8"), "latin1", "is UTF-8 already (1 characters beyond ASCII "
                                               "decode), which --encoding latin1 would read"),
    (b"a\x81b\n1\n", "cp1252", "not valid cp1252 (byte 1: b'\\x81'), the --encoding given"),
    # was: "contains NUL bytes (at byte 5); this looks like a binary file, not a CSV text file"
    ("Umsätze\n1\n".encode("utf-16"), "latin1", "is UTF-16 text (its byte-order mark), which "
                                                "--encoding latin1 would read as other "
                                                "characters; pass --encoding utf-16"),
])
def test_a_wrong_encoding_is_refused_not_read_as_other_characters(tmp_path, capsys, content,
                                                                   enc, said):
    f = tmp_path / "s.csv"
    f.write_bytes(content)
    assert main(["forecast", "--data", str(f), "--encoding", enc, "--out",
                 str(tmp_path / "r")]) == 1
    assert said in capsys.readouterr().err


def test_an_ascii_file_is_read_as_it_is_with_no_copy(tmp_path, capsys):
    from rnnlab.io.encoded_input import encoded_inputs

    f = tmp_path / "s.csv"
    f.write_bytes(b"month,sales\n2000-01,1\n")
    args = type("Args", (), {})()
    args.command, args.data, args.encoding = "forecast", str(f), "cp1252"
    with encoded_inputs(args):
        assert (args.data, args.encoding) == (str(f), "utf-8")
    assert args.encoding == "cp1252" and not (tmp_path / "cache").exists()


def test_an_unknown_encoding_is_a_usage_error(capsys):
    assert main(["forecast", "--encoding", "klingon"]) == 2
    assert "unknown encoding 'klingon'; e.g. utf-8, cp1252" in capsys.readouterr().err


def test_a_bom_utf8_file_named_utf8_sig_is_read_as_it_is(tmp_path, capsys):
    # was: "is UTF-8 already (2 characters beyond ASCII decode), which --encoding utf-8-sig
    # would read as other characters" (the BOM and the ä), though UTF-8 is what it reads
    from rnnlab.io.encoded_input import encoded_inputs

    f = tmp_path / "s.csv"
    f.write_bytes("Umsätze\n1\n".encode("utf-8-sig"))
    args = type("Args", (), {})()
    args.command, args.data, args.encoding = "forecast", str(f), "utf-8-sig"
    with encoded_inputs(args):
        assert args.data == str(f)
    assert not (tmp_path / "cache").exists()


def test_an_ascii_file_given_utf16_is_still_read_as_it_is(tmp_path):
    # (UTF-16 text of ASCII characters has a zero byte in every pair: a file without any is
    # the UTF-8 it was read as before, not CJK characters decoded from its pairs)
    from rnnlab.io.encoded_input import encoded_inputs

    f = tmp_path / "s.csv"
    f.write_bytes(b"month,sales\n2000-01,1\n")
    args = type("Args", (), {})()
    args.command, args.data, args.encoding = "forecast", str(f), "utf-16"
    with encoded_inputs(args):
        assert args.data == str(f)


@pytest.mark.slow
def test_a_utf16le_file_of_ascii_characters_is_converted(tmp_path, capsys):
    # without a BOM every byte is ASCII (every other one 0): was passed on as it was, and
    # refused as "UTF-16 text ...; or pass --encoding UTF-16LE", the option given
    f = tmp_path / "s.csv"
    rows = "".join(f"200{y}-{m:02d},{100 + 3 * m + y}\n" for y in range(4) for m in range(1, 13))
    f.write_bytes(("month,sales\n" + rows).encode("utf-16-le"))
    assert main(["forecast", "--data", str(f), "--encoding", "utf-16-le", "--epochs", "1",
                 "--ensemble", "1", "--hidden-size", "4", "--no-progress",
                 "--out", str(tmp_path / "r")]) == 0, capsys.readouterr().err
    assert "converted from utf-16-le to UTF-8" in capsys.readouterr().err


@pytest.mark.parametrize("command, files", [(["score"], "(FORECAST.csv, --actuals)"),
                                            (["lm", "eval"], "(--text)"),
                                            (["lm", "train"], "(--corpus, --val-text)")])
def test_the_help_names_the_commands_own_input_files(command, files, capsys, monkeypatch):
    # was: "the input files (--data, --corpus, ...)" on every command, rnnlab score's too
    monkeypatch.setenv("COLUMNS", "300")  # (no line wrapped inside an option's name)
    main(command + ["--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert f"the text encoding of the input files {files}:" in said, said


@pytest.mark.slow
def test_run_with_new_data_in_another_encoding_does_not_call_encoding_ignored(tmp_path, capsys):
    # `--run DIR --data new.csv --encoding latin1` converted the file and read it, and warned
    # "--run forecasts with the saved model as it was trained; ignored --encoding"
    data = _latin1_panel(tmp_path / "p.csv")
    run = tmp_path / "panel"
    assert main(["forecast", "--data", str(data), "--encoding", "latin1", "--model", "gru",
                 "--epochs", "1", "--hidden-size", "4", "--head-size", "4", "--lookback", "4",
                 "--horizon", "2", "--batches-per-epoch", "1", "--baselines", "none",
                 "--no-progress", "--out", str(run)]) == 0
    capsys.readouterr()
    out = tmp_path / "out.csv"
    assert main(["forecast", "--run", str(run), "--data", str(data), "--encoding", "latin1",
                 "--output", str(out)]) == 0
    assert "ignored" not in capsys.readouterr().err
    assert "Zürich0" in out.read_text(encoding="utf-8")
    series = _latin1_csv(tmp_path / "s.csv")
    one = tmp_path / "one"
    assert main(["forecast", "--data", str(series), "--encoding", "latin1", "--epochs", "1",
                 "--ensemble", "1", "--hidden-size", "4", "--lookback", "3", "--horizon", "3",
                 "--no-progress", "--out", str(one)]) == 0
    capsys.readouterr()
    assert main(["forecast", "--run", str(one), "--data", str(series), "--encoding", "latin1",
                 "--output", str(tmp_path / "one.csv")]) == 0
    assert "ignored" not in capsys.readouterr().err


def test_a_utf8_forecast_beside_latin1_actuals_names_converting_the_other(tmp_path, capsys):
    # a rnnlab forecast (UTF-8) scored against latin1 actuals: the refusal said "drop
    # --encoding", which then refused the actuals; one --encoding converts every file
    actuals = _latin1_panel(tmp_path / "p.csv")
    fc = tmp_path / "fc.csv"
    fc.write_text("unique_id,ds,mean\nZürich0,2004-01-01,1.0\n", encoding="utf-8")
    assert main(["score", str(fc), "--actuals", str(actuals), "--encoding", "latin1"]) == 1
    err = capsys.readouterr().err
    assert f"{fc}: is UTF-8 already" in err and "drop --encoding" in err
    assert (f"--encoding converts every input file: where {actuals} is latin1, convert it "
            f"alone first (`iconv -f latin1 -t utf-8 {actuals} > utf8.csv`)") in err


def test_a_codec_that_is_no_text_encoding_is_a_usage_error(tmp_path, monkeypatch, capsys):
    # was: an internal error (LookupError: 'rot13' is not a text encoding) after parsing
    monkeypatch.chdir(tmp_path)  # (where it ran: the airline forecast, into runs/)
    assert main(["forecast", "--encoding", "rot13"]) == 2
    assert "'rot13' is not a text encoding (it turns bytes into bytes or text into text); " \
           "e.g. utf-8, cp1252" in capsys.readouterr().err
