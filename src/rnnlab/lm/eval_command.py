"""``rnnlab lm eval``: a trained model scored on a text (perplexity and bits per character,
per token at word level), or without ``--text`` on the text its run held out
(:mod:`rnnlab.lm.held_out`). The parser is :func:`rnnlab.lm.cli.register`."""

from __future__ import annotations

import json
import math
import sys

from ..io.atomic import finite_json
from ..io.errors import DataError, OptionError
from .run_model import model_dir, set_threads
from .run_report import bits_unit, eval_table, perplexity_of_bits, unknown_share

__all__ = ["cmd_eval"]


def cmd_eval(a) -> int:
    from ..data.corpus_mmap import is_prepared
    from ..data.text import load_corpus
    from ..io.stdin_input import as_typed
    from .api import CharLM
    from .held_out import held_out_text
    from .normal_forms import form_hint
    from .model import streams_used
    from .unknown_tokens import scored_unknown

    if a.text is None:
        _refuse_encoding(a)
    set_threads(a.threads)
    lm = CharLM.load(model_dir(a.run, "rnnlab lm eval"))
    _, vocab = lm._need_model()  # (loaded: set)
    text, held = None, None  # (a prepared corpus: its ids)
    if a.text is None:  # the run's own held-out text (or ids), as its record names it
        held = held_out_text(a.run)
        text, ids = held.text, held.ids
    elif is_prepared(a.text):  # a prepared corpus: its memory-mapped ids, read in chunks
        ids, share, unk = _prepared_ids(lm, a.text)
    else:
        text = load_corpus(a.text)
    if text is not None:
        import torch

        ids = torch.from_numpy(vocab.encode_array(text, vocab.id_dtype()))
        # (the share and the names of the tokens scored: every one but the first, which
        # only sets the context; over all of them they disagreed with the counts beside)
        share, unk = unknown_share(ids[1:].numpy()), scored_unknown(vocab, text)
    elif held is not None:  # (a prepared corpus's validation ids: no text to name them)
        share, unk = unknown_share(ids[1:]), []
    # (the parts the text is cut into change the number a little: said beside it)
    asked = a.streams or getattr(lm.train_config, "eval_streams", 16)
    total, n = lm.nll_ids(ids, asked)
    bpc = total / n / math.log(2)
    # the unknown token stands for every character the model never saw, and a model that
    # never saw it predicts it with a tiny probability: their bits measure the vocabulary
    # more than the model, so the score on the known ones alone is shown beside
    try:
        known, n_known = lm.nll_ids(ids, asked, skip_unknown=True) if share else (total, n)
    except DataError:  # every token scored is unknown: no known ones (bpc_known NaN)
        known, n_known = math.nan, 0
    result = {
        # (`--text -`: "-", not its temporary copy; none given: the run's text, and which
        # part of it was scored)
        "text": as_typed(a.text, a) if held is None else held.source,
        **({} if held is None else {"scored": held.what}),
        "tokens": n, "streams": streams_used(n, asked),
        "perplexity": perplexity_of_bits(bpc), "bpc": bpc,
        "unit": bits_unit(lm.config.level),  # "bpc" is per token at word level
        "unknown_share": share, "unknown_distinct": len(unk), "unknown_tokens": unk[:50],
        "tokens_known": n_known, "bpc_known": known / n_known / math.log(2) if n_known
        else math.nan}
    from ..io.text_streams import writes_any_text

    utf = writes_any_text(sys.stdout)  # (the text itself escaped otherwise: rnnlab.cli.main)
    if getattr(a, "json", False):  # (\u escapes where stdout cannot take the characters)
        print(json.dumps(finite_json(result), ensure_ascii=not utf))
    else:
        # (accented letters unknown only for being written in another Unicode form)
        hint = form_hint(vocab, text, convert="file") if unk else ""
        print(eval_table(result, lm.baselines, hint))
    return 0


def _refuse_encoding(a) -> None:
    """Without --text, a --encoding given (typed, or by --config) is refused: it converts
    the file --text names, and the run's held-out text is read in the encoding its run
    recorded (cli.json). Taken without a word, it seemed applied. (Its value is not
    seen here: :func:`rnnlab.io.encoded_input.encoded_inputs` sets utf-8 within the
    command, there being no file to convert; so --encoding utf-8 is refused too.)"""
    if "encoding" in (getattr(a, "given_options", None) or ()):
        raise OptionError("--encoding converts the file given as --text, and no --text is "
                          "given: the run's held-out text is read in the encoding the run "
                          "recorded (its cli.json); leave --encoding out, or pass --text "
                          "FILE with it")


def _prepared_ids(lm, folder: str):
    """(ids, unknown share, unknown tokens) of a prepared corpus folder, whose ids mean
    something to the model only when its vocabulary is the model's."""
    from ..data.corpus_mmap import load_prepared
    from .inputs import check_prepared_vocab

    corpus = load_prepared(folder)
    check_prepared_vocab(corpus, lm.vocab, "pass the text file it was prepared from instead")
    return corpus.tokens, unknown_share(corpus.ids[1:]), []  # (as cmd_eval's: those scored)
