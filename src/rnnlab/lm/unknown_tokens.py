"""The tokens of a scored text that the model does not know, counted among those scored.

Perplexity and bits per token score every token of a text but the first, which only sets
the context (:func:`.model.token_nll`). The counts and names that ``CharLM.nll``'s warning
and ``rnnlab lm eval`` give are of those scored tokens: a text whose first character is
unknown was said to have it "scored" (and "1 of the 39 chars scored" where 38 were).
Torch-free: ``rnnlab lm eval`` and ``CharLM`` both use it.
"""

from __future__ import annotations

from typing import List, Optional

from ..data.text import Vocab, token_noun, tokenize
from ..listing import first_few
from .normal_forms import file_marks_hint, form_hint


def scored_unknown(vocab: Vocab, text) -> List[str]:
    """The distinct tokens of ``text`` past its first that are not in ``vocab`` (sorted,
    as :meth:`Vocab.unknown`): the unknown tokens that are scored."""
    if not isinstance(text, str):  # (a list of tokens)
        return vocab.unknown(list(text)[1:])
    if vocab.level != "char":
        return vocab.unknown(tokenize(text, vocab.level)[1:])
    names = vocab.unknown(text)  # (not of text[1:]: a copy of a text of gigabytes)
    if text[:1] in names and text.find(text[0], 1) < 0:  # the first char, there alone
        names.remove(text[0])
    return names


def unknown_warning(vocab: Vocab, text, ids) -> Optional[str]:
    """The warning of ``CharLM.nll`` (``ids``: the text's ids, a numpy array or tensor),
    or None where no token scored is unknown (the first one alone only sets the context,
    it weighs on no score)."""
    from ..data.text import token_repr

    scored = len(ids) - 1
    unknown = int((ids[1:] == vocab.unk_id).sum())
    if not unknown:
        return None
    noun = token_noun(vocab.level)
    seen = scored_unknown(vocab, text)
    # a byte-order mark is the text's first character: named, though it is not scored
    hints = [h for h in (file_marks_hint(vocab, vocab.unknown(text)),  # (open() kept it)
                         form_hint(vocab, text)) if h]  # (accents written another way)
    return (f"{unknown:,} of the {scored:,} {noun}s scored {'is' if unknown == 1 else 'are'} "
            f"not in the model's vocabulary ({first_few(seen, 10, show=token_repr)}); each "
            f"is scored as the unknown token, which the model rarely predicts: they weigh on "
            f"the score. skip_unknown=True scores the known {noun}s alone"
            + "".join(f"; {h}" for h in hints))
