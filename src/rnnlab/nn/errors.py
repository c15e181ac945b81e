"""The errors rnnlab.nn raises for a tensor its modules cannot take.

Each is a ValueError and a RuntimeError, so code written for torch.nn catches it as it
caught torch's own, and a :class:`~rnnlab.io.errors.RnnlabError`, so ``except
RnnlabError`` catches every failure rnnlab raises (it let these two through)."""

from ..io.errors import RnnlabError


class ShapeError(RnnlabError, ValueError, RuntimeError):
    """A tensor of the wrong shape for a layer or a cell (features, state, no steps): a
    ValueError, as rnnlab's other input errors, and a RuntimeError, as torch.nn raises for
    the same mistakes ("Expected hidden size ...", "input.size(-1) must be equal to
    input_size"), so code written for torch.nn (``except RuntimeError``) still catches it."""


class MismatchError(RnnlabError, ValueError, RuntimeError):
    """A tensor of another dtype or device than a module's parameters: a ValueError, as
    torch.nn's RNNs raise for their input, and a RuntimeError, as torch.nn's cells (and
    its RNNs, for the state) raise ("mat1 and mat2 must have the same dtype")."""
