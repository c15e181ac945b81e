"""Data: series (loading, splits, scalers, windows), text (corpora, vocabulary, samplers),
and the built-in datasets shipped in ``builtin/``."""
