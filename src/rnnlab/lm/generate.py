"""Text generation: the prefix warms the state up, then greedy, temperature or top-k sampling."""

from __future__ import annotations

import math
from typing import Iterator, List, Optional

import torch

from ..callers_line import callers_level
from ..data.text import Vocab, token_repr
from ..listing import first_few
from ..number_kinds import is_real, is_whole
from .eval_mode import in_eval_mode
from .model import LMNet
from .normal_forms import form_note, in_model_form
from ..io.errors import ConfigError, ConfigTypeError


def check_prefix(vocab: Vocab, prefix: str) -> List[str]:
    """The prefix's tokens that are not in the vocabulary (each is read as the unknown
    token). An empty prefix, or one whose every token is unknown (the model would start
    from nothing it knows), raises ValueError."""
    if not isinstance(prefix, str):
        raise ConfigTypeError(f"generate: the prefix must be a str, got {type(prefix).__name__} "
                              f"({prefix!r:.40}); pass the text to start from, e.g. \"The \"")
    if not prefix:
        raise ConfigError("generate: the prefix is empty; give at least one character to start "
                          "from, or no prefix at all (None; on the command line, leave "
                          "--prefix out) to start after a newline")
    unknown = vocab.unknown(prefix)
    if unknown and all(i == vocab.unk_id for i in vocab.encode(prefix)):
        raise ConfigError(f"generate: none of the prefix's {vocab.level}s is in the model's "
                          f"vocabulary ({_shown(unknown)}); the model would start from nothing "
                          f"it knows. Give a prefix with {vocab.level}s of its training text")
    return unknown


def check_sample_prefixes(vocab: Vocab, prefixes, option: str) -> None:
    """Refuse, before training starts, a sample prefix that :func:`generate` would refuse
    once training is over (an empty one, or one of unknown tokens only): the samples of
    ``rnnlab lm train`` are drawn after the last epoch, and with ``sample_every`` during it."""
    for p in prefixes:
        if p == "":  # (check_prefix's hint, to leave the prefix out, is generate's)
            raise ConfigError(f"{option} '': the prefix is empty; give at least one character "
                              f"to start the samples from (the samples would fail after "
                              f"training; nothing has been trained yet)")
        try:
            check_prefix(vocab, in_model_form(vocab, p)[0])  # (as generate reads it)
        except (TypeError, ValueError) as e:
            raise type(e)(f"{option} {p!r}: {str(e).replace('generate: ', '', 1)}; the "
                          f"samples would fail after training (nothing has been trained "
                          f"yet)") from None


def _shown(tokens: List[str], most: int = 10) -> str:
    return first_few(tokens, most, show=token_repr)


def unknown_note(vocab: Vocab, unknown: List[str]) -> str:
    """One line naming a prefix's unknown tokens."""
    return (f"the prefix has {len(unknown)} {vocab.level}{'s' if len(unknown) != 1 else ''} the "
            f"model never saw ({_shown(unknown)}); each is read as the unknown token")


def generate(net: LMNet, vocab: Vocab, prefix: Optional[str] = None, n: int = 100,
             temperature: float = 1.0, top_k: Optional[int] = None, seed: int = 0) -> str:
    """``prefix`` followed by ``n`` generated tokens; with no ``prefix`` (None), the ``n``
    tokens alone, drawn after the start token :func:`.start_token.start_token` picks (a
    newline where the vocabulary has one), which the text returned leaves out.

    ``temperature=0`` is greedy (always the most likely token); otherwise the scores are
    divided by ``temperature`` and, when ``top_k`` is given, only the ``top_k`` most
    likely tokens can be drawn. The draw uses its own generator seeded with ``seed``, so
    the same call gives the same text and leaves torch's global RNG untouched.
    Prefix tokens not in the vocabulary are read as the unknown token (and shown as
    they were typed), with a warning naming them; a prefix of unknown tokens only is
    refused. A prefix typed in another Unicode normal form than the training text (an
    "é" composed where the text has "e" and a combining accent, or the other way round)
    is read in the text's form, with a warning (:mod:`.normal_forms`); the text returned
    starts with the prefix as typed. The model never generates the unknown token.
    """
    return drawn(net, vocab, prefix, n, temperature, top_k, seed, stacklevel=4)


def drawn(net: LMNet, vocab: Vocab, prefix: Optional[str], n: int, temperature: float,
          top_k: Optional[int], seed: int, stacklevel: int) -> str:
    """:func:`generate`'s text (and ``CharLM.generate``'s): the prefix given and the tokens
    drawn after it, or with none, the tokens drawn after the start token alone; the
    warnings name the frame ``stacklevel`` up from here."""
    if prefix is None:
        from .start_token import start_token

        return "".join(stream(net, vocab, start_token(vocab), n, temperature, top_k, seed))
    read = read_prefix(vocab, prefix, stacklevel=stacklevel)
    return prefix + "".join(stream(net, vocab, read, n, temperature, top_k, seed))


def read_prefix(vocab: Vocab, prefix: str, stacklevel: int) -> str:
    """The prefix as :func:`generate` reads it (:func:`.normal_forms.in_model_form`),
    refused as :func:`check_prefix` refuses it; the warnings name the frame
    ``stacklevel`` up from here (the caller's code, not rnnlab's)."""
    import warnings

    stacklevel = callers_level(stacklevel)  # (CharLM.fit's samples: past its worker)
    read, form = in_model_form(vocab, prefix)
    if form is not None:
        warnings.warn(form_note(form), stacklevel=stacklevel)
    unknown = check_prefix(vocab, read)
    if unknown:
        warnings.warn(unknown_note(vocab, unknown), stacklevel=stacklevel)
    return read


def stream(net: LMNet, vocab: Vocab, prefix: str, n: int, temperature: float = 1.0,
           top_k: Optional[int] = None, seed: int = 0) -> Iterator[str]:
    """The text of each of the ``n`` tokens :func:`generate` adds to ``prefix``, yielded
    as it is drawn (the same tokens as :func:`generate` with the same arguments, given
    the prefix as :func:`.normal_forms.in_model_form` reads it)."""
    check_prefix(vocab, prefix)
    if not is_whole(n) or n < 0:
        raise ConfigError(f"generate: n must be a whole number of tokens >= 0, got {n!r}")
    if not is_real(temperature) or not math.isfinite(temperature) or temperature < 0:
        raise ConfigError(f"generate: temperature must be a finite number >= 0 (0 = greedy), "
                          f"got {temperature!r}")
    if top_k is not None and not (is_whole(top_k) and top_k >= 1):
        raise ConfigError(f"generate: top_k must be a whole number >= 1 or None, got {top_k!r}")
    if not (is_whole(seed) and -2**63 <= seed < 2**64):
        raise ConfigError(f"generate: seed must be a whole number (64 bits; the same seed gives "
                          f"the same text), got {seed!r}; e.g. seed=0")
    # numpy integers pass the checks; torch's generator takes Python ints only
    return _tokens(net, vocab, prefix, int(n), float(temperature),
                   None if top_k is None else int(top_k), int(seed))


@torch.no_grad()
def _tokens(net, vocab, prefix, n, temperature, top_k, seed) -> Iterator[str]:
    device = net.head.weight.device
    gen = torch.Generator().manual_seed(seed)
    ids = torch.tensor([vocab.encode(prefix)], dtype=torch.long, device=device)  # (1, P)
    # each step in eval mode (a lock held across the yields would wait on the consumer)
    with in_eval_mode(net):
        logits, state = net(ids, None)
    last = logits[0, -1].float().cpu()  # (V,)
    for _ in range(n):
        if bool(torch.isnan(last).any() or (last == float("inf")).any()):
            from ..io.errors import RnnlabError  # (torch.multinomial raised, unexplained)

            raise RnnlabError(
                "cannot sample: the model's next-character scores are not finite (NaN or "
                "+inf: its weights diverged in training); train it again with a lower "
                "learning rate or gradient clipping")
        last[vocab.unk_id] = -float("inf")
        if temperature == 0:
            nxt = int(last.argmax())
        else:
            scores = last / temperature
            if not bool(torch.isfinite(scores.max())):  # a float32 overflow (t < ~1e-38,
                # or t past float32's range): shifted by the max and in float64, the
                # same distribution for any finite temperature > 0
                scores = (last.double() - last.max()) / temperature
            if top_k is not None and top_k < scores.numel():
                kth = torch.topk(scores, top_k).values[-1]
                scores = scores.masked_fill(scores < kth, -float("inf"))
            nxt = int(torch.multinomial(torch.softmax(scores, -1), 1, generator=gen))
        yield vocab.decode([nxt])
        with in_eval_mode(net):
            logits, state = net(torch.tensor([[nxt]], device=device), state)
        last = logits[0, -1].float().cpu()
