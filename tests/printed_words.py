"""Printed text as its words: notes wrap at 80 columns, so a test that looks for a sentence
reads the text with its line breaks and runs of spaces made single spaces."""


def words(text: str) -> str:
    """``text`` with every run of whitespace (a wrapped line's break and indent) one space."""
    return " ".join(text.split())
