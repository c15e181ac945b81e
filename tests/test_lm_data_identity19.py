"""`rnnlab lm train` records the same data identity as CharLM.fit (one rule, in
rnnlab.lm.fit_notes.data_identity): a text's SHA-256, or a prepared corpus's source's."""

import hashlib

from rnnlab.data.corpus_mmap import prepare_corpus
from rnnlab.lm.fit_notes import data_identity
from rnnlab.lm.train_command import _load_training_data

TEXT = "the cat sat on the mat and the dog sat on the log. " * 8


def test_command_and_fit_agree_on_a_text_and_a_prepared_corpus(tmp_path):
    src = tmp_path / "corpus.txt"
    src.write_text(TEXT, encoding="utf-8")
    text, sha = _load_training_data(str(src), 0.1)
    assert sha == data_identity(text) == hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    prepare_corpus(src, tmp_path / "prep", val_fraction=0.1)
    prepared, psha = _load_training_data(str(tmp_path / "prep"), 0.1)
    assert psha == data_identity(prepared) == prepared.meta["source_sha256"]
    assert psha == hashlib.sha256(src.read_bytes()).hexdigest()
