"""The metaclass of :class:`~rnnlab.panel.GlobalForecaster`: a missing *class* attribute
that is a peer's classmethod (Darts' ``RNNModel.load_from_checkpoint(name)``) says what
does its work here; Python's bare "type object has no attribute" named nothing."""

from __future__ import annotations

from .peer_arguments import missing_method


class PeerNamedClass(type):
    """The metaclass of a class whose missing *class* attributes say what does a peer's
    classmethod's work (Darts' ``RNNModel.load_from_checkpoint(name)``)."""

    def __getattr__(cls, name: str):
        if name.startswith("__") or name == "_peer_methods":  # (probes: the plain error)
            raise AttributeError(f"type object {cls.__name__!r} has no attribute {name!r}")
        from . import peer_arguments

        # the table of the class's peers' methods: a panel model's, or (``_peer_methods``
        # of the one-series Forecaster) a one-series model's
        methods = getattr(peer_arguments, getattr(cls, "_peer_methods", "PEER_METHODS"))
        raise missing_method(f"type object {cls.__name__!r}", name, methods)
