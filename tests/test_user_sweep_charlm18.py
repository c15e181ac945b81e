"""A student's sweep of the character language model (session 18): their own small
texts (unicode, line endings, bytes that are not UTF-8), generation and its options,
seeds and the saved model. Tiny and fast."""

from __future__ import annotations

import pytest

from rnnlab.lm import CharLM

TINY_LM = dict(model="rnn", hidden_size=4, num_layers=1, embedding=0, dropout=0.0)
FAST_FIT = dict(epochs=1, batch_size=4, seq_len=8, progress=False)


def test_a_text_read_with_surrogateescape_trains_saves_and_loads(tmp_path):
    """A text read with ``errors="surrogateescape"`` (bytes that are not UTF-8 kept as lone
    surrogates) trained to the end, then fit raised UnicodeEncodeError while hashing it
    for the run record: the trained model was lost."""
    raw = ("café naïve. " * 60).encode("latin-1")
    (tmp_path / "latin1.txt").write_bytes(raw)
    text = (tmp_path / "latin1.txt").read_text("utf-8", errors="surrogateescape")
    lm = CharLM(**TINY_LM).fit(text, **FAST_FIT)
    assert "\udce9" in lm.vocab.tokens  # the byte 0xE9, escaped
    back = CharLM.load(lm.save(tmp_path / "model"))
    assert back.vocab == lm.vocab
    assert back.bits_per_char(text[-200:]) == lm.bits_per_char(text[-200:])
    # the hash is of the bytes the text was read from (surrogateescape's inverse)
    import hashlib

    assert lm.info["data_sha256"] != CharLM(**TINY_LM).fit(text.replace("\udce9", "é"),
                                                           **FAST_FIT).info["data_sha256"]
    assert len(lm.info["data_sha256"]) == len(hashlib.sha256().hexdigest())


def _nfd_model():
    import unicodedata

    text = unicodedata.normalize("NFD", "Le café est près de la forêt, où l'élève lit. " * 30)
    return CharLM(**TINY_LM).fit(text, **FAST_FIT), text


def test_a_prefix_typed_composed_is_read_as_the_decomposed_training_text_writes_it():
    """A text saved decomposed (NFD: "e" + U+0301, as macOS writes file names) and a
    prefix typed on a keyboard (NFC: one "é"): generate read the "é" as the unknown token
    (and refused a prefix of accented letters only), though the model knows the letter."""
    import unicodedata
    import warnings

    lm, _ = _nfd_model()
    typed = "Le caf\u00e9 "
    with pytest.warns(UserWarning, match="normal form NFD") as seen:
        out = lm.generate(typed, 12, seed=3)
    assert not any("never saw" in str(w.message) for w in seen)
    assert out.startswith(typed)  # the prefix as it was typed
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the same prefix written as the text writes it
        same = lm.generate(unicodedata.normalize("NFD", typed), 12, seed=3)
    assert out[len(typed):] == same[len(unicodedata.normalize("NFD", typed)):]
    with pytest.warns(UserWarning, match="normal form NFD"):
        assert lm.generate("\u00e9", 3, seed=0).startswith("\u00e9")  # no longer refused


def test_scoring_and_lm_eval_say_when_the_text_is_in_another_normal_form(tmp_path, capsys):
    """A text scored in NFC by a model trained in NFD: six accented letters "not in the
    model's vocabulary", with nothing saying they are, written another way."""
    import unicodedata

    from rnnlab.cli import main

    lm, text = _nfd_model()
    composed = unicodedata.normalize("NFC", text)
    with pytest.warns(UserWarning, match=r"another Unicode form \(NFD.*normalize\('NFD', text\)"):
        lm.bits_per_char(composed)
    with pytest.warns(UserWarning) as seen:  # an unknown letter that no form knows: no hint
        lm.bits_per_char(text + "Zzz")
    assert "Unicode" not in str(seen[0].message)
    lm.save(tmp_path / "run" / "model")
    (tmp_path / "nfc.txt").write_text(composed, encoding="utf-8")
    assert main(["lm", "eval", "--run", str(tmp_path / "run"),
                 "--text", str(tmp_path / "nfc.txt")]) == 0
    out = capsys.readouterr().out
    assert "note: the model's training text writes accents in another Unicode form (NFD" in out
    assert "normalize('NFD', sys.stdin.read())" in out


def test_lm_train_gives_the_known_bits_whenever_the_validation_part_has_unknown_chars(
        tmp_path, capsys):
    """A text whose last line alone has a character ("Z"): its validation part has 0.2%
    unknown characters, below the 1% warning, and each weighed many bits on the printed
    validation bits, with nothing printed beside them; lm eval printed the known bits."""
    import json

    from rnnlab.cli import main

    (tmp_path / "t.txt").write_text("abc abd abe. " * 300 + "Z", encoding="utf-8")
    run = tmp_path / "run"
    assert main(["lm", "train", "--corpus", str(tmp_path / "t.txt"), "--model", "rnn",
                 "--hidden-size", "4", "--num-layers", "1", "--embedding", "0",
                 "--seq-len", "8", "--batch-size", "4", "--epochs", "1", "--sample-every",
                 "0", "--no-progress", "--threads", "1", "--out", str(run)]) == 0
    out, err = capsys.readouterr()
    assert "warning" not in err  # (0.26%: below the warning's 1%)
    metrics = json.loads((run / "metrics.json").read_text())
    assert 0 < metrics["val_unknown_share"] < 0.01
    assert metrics["val_bpc_known"] < metrics["val_bpc"]
    assert f"on the known chars alone: {metrics['val_bpc_known']:.3f} bits per char" in out
    assert "sample: " in out  # --sample-every 0, as its help says: samples after training
    from rnnlab.data.text import load_corpus, split_text

    val = split_text(load_corpus(str(tmp_path / "t.txt")), 0.1)[1]
    (tmp_path / "val.txt").write_text(val, encoding="utf-8")
    assert main(["lm", "eval", "--run", str(run), "--text", str(tmp_path / "val.txt"),
                 "--json"]) == 0  # (the same measure as lm eval's, on the same part)
    r = json.loads(capsys.readouterr().out)
    assert r["unknown_tokens"] == ["Z"]
    assert r["bpc_known"] == pytest.approx(metrics["val_bpc_known"], rel=1e-9)
    assert r["bpc"] == pytest.approx(metrics["val_bpc"], rel=1e-9)


def test_the_sample_every_help_says_that_lm_train_samples_after_training_anyway(capsys):
    """--sample-every said "0: never", and lm train printed its samples all the same."""
    from rnnlab.cli import main

    assert main(["lm", "train", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--sample-every SAMPLE_EVERY print samples every N epochs while training (0: " \
           "never; `lm train` draws its samples after training either way)" in text


def test_generate_and_scoring_warnings_point_at_the_callers_line():
    """lm.generate's warnings about its prefix were attributed to rnnlab/lm/api.py, not
    to the line of the script that called it."""
    import warnings

    from rnnlab.lm.generate import generate

    lm, text = _nfd_model()
    for call in (lambda: lm.generate("Le caf\u00e9 Z", 2),
                 lambda: generate(lm.net, lm.vocab, "Le caf\u00e9 Z", 2),
                 lambda: lm.bits_per_char(text + "Z")):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            call()
        assert seen and {w.filename for w in seen} == {__file__}


def test_a_text_too_short_names_the_settings_in_pythons_words_too():
    """fit on a text shorter than one batch said "smaller --batch-size/--seq-len", the
    command line's words, to a Python caller."""
    from rnnlab.io.errors import DataError

    with pytest.raises(DataError, match=r"has 5 chars; .*a smaller batch_size / seq_len "
                                        r"\(--batch-size / --seq-len\)"):
        CharLM(**TINY_LM).fit("abcdef", **FAST_FIT)


@pytest.mark.parametrize("seed", [-1, 2 ** 64])
def test_a_seed_the_random_generators_cannot_take_is_refused_naming_the_seed(seed, tmp_path,
                                                                            capsys):
    """seed=-1 failed in numpy's seed sequence ("expected non-negative integer") and
    2**64 in torch's ("Overflow when unpacking long long"): neither named the seed."""
    from rnnlab.cli import main
    from rnnlab.lm.config import LMTrainConfig

    with pytest.raises(ValueError, match=rf"seed must be a whole number from 0 to .*got {seed}"):
        LMTrainConfig(seed=seed)
    # (the command line takes the seeds every command takes: a usage error, exit status 2)
    assert main(["lm", "train", "--seed", str(seed), "--out", str(tmp_path / "run")]) == 2
    assert "argument --seed: expected a seed: a whole number >= 0" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def test_scoring_a_file_read_with_open_names_its_byte_order_mark_and_cr(tmp_path):
    """A file read with open(encoding="utf-8", newline="") keeps its byte-order mark and
    the \\r of its line ends, which load_corpus drops: scored, they were named only as
    '\\ufeff' and '\\r' among the characters the model does not know."""
    from rnnlab.data.text import load_corpus

    path = tmp_path / "notes.txt"
    path.write_bytes(b"\xef\xbb\xbf" + b"the cat sat on the mat.\r\n" * 60)
    lm = CharLM(**TINY_LM).fit(load_corpus(str(path)), **FAST_FIT)
    with path.open(encoding="utf-8", newline="") as f:
        raw = f.read()
    with pytest.warns(UserWarning, match=r"a byte-order mark \(U\+FEFF\) and the \\r of "
                                         r"\\r\\n line ends are in the text .*load_corpus"):
        lm.bits_per_char(raw)
    with pytest.warns(UserWarning) as seen:  # other unknown characters: no such note
        lm.bits_per_char(load_corpus(str(path)) + "Zz")
    assert "byte-order" not in str(seen[0].message)


def test_lm_train_warns_of_a_samples_unknown_prefix_character_once(tmp_path, recwarn):
    """The samples drawn after training (one set sampled, one greedy) each warned of the
    same --prefix character the model never saw."""
    from rnnlab.cli import main

    (tmp_path / "t.txt").write_text("the cat sat on the mat. " * 80, encoding="utf-8")
    assert main(["lm", "train", "--corpus", str(tmp_path / "t.txt"), "--model", "rnn",
                 "--hidden-size", "4", "--num-layers", "1", "--embedding", "0",
                 "--seq-len", "8", "--batch-size", "4", "--epochs", "1", "--sample-every",
                 "0", "--no-progress", "--prefix", "the Z", "--out", str(tmp_path / "run")]) == 0
    said = [w for w in recwarn if "the prefix has 1 char the model never saw ('Z')"
            in str(w.message)]
    assert len(said) == 1


def test_a_sample_prefix_typed_composed_is_not_refused_before_training():
    """fit(sample_prefixes=("é",)) on a decomposed text was refused before training as a
    prefix of characters the model never saw."""
    import unicodedata

    text = unicodedata.normalize("NFD", "élève étudie. " * 60)
    with pytest.warns(UserWarning, match="normal form NFD"):
        lm = CharLM(**TINY_LM).fit(text, **FAST_FIT, sample_every=1, sample_prefixes=("\u00e9",))
    assert lm.history[0]["samples"]["\u00e9"].startswith("\u00e9")
