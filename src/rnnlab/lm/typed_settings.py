"""LMSettings and LMTrainSettings: ``CharLM(**settings)``'s and ``CharLM.fit(**settings)``'s
keyword settings, as TypedDicts.

Type checkers read ``**kwargs: Unpack[LMSettings]``, so a misspelt setting
(``CharLM(hiden_size=32)``) or a training one given to the constructor (``CharLM(epochs=2)``)
is an error before anything runs; at run time the checks are as before. One key per
:class:`~rnnlab.lm.LMConfig` / :class:`~rnnlab.lm.LMTrainConfig` field
(tests/test_typed_settings.py keeps them equal); a tuple field is any sequence here."""

from __future__ import annotations

from typing import Optional, Sequence, TypedDict, Union

from ..typed_optim import OptimizerSettings


class LMSettings(TypedDict, total=False):
    """Every :class:`LMConfig` field (``help(LMConfig)`` documents each)."""

    model: str
    hidden_size: int
    num_layers: int
    embedding: int
    dropout: float
    input_dropout: float
    recurrent_dropout: float
    level: str
    max_vocab: Optional[int]
    depth: int
    nonlinearity: str
    width: Optional[int]
    out_depth: int
    out_width: Optional[int]


class LMTrainSettings(OptimizerSettings, total=False):
    """Every :class:`LMTrainConfig` field (``help(LMTrainConfig)`` documents each)."""

    seq_len: int
    batch_size: int
    sampling: str
    epochs: int
    minutes: Optional[float]
    val_fraction: float
    eval_streams: int
    seed: int
    device: str
    sample_every: int
    sample_prefixes: Sequence[str]
    sample_length: int
    progress: Union[bool, str]
    checkpoint_every: int
    on_nonfinite: str
    accelerator: str
    devices: int
    num_nodes: int
    strategy: str
    precision: str
    impl: str
    cuda_graphs: str
