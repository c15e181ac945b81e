"""matplotlib's pyplot for rnnlab's plots: Agg where nobody chose a backend (a script, a
command run over ssh), the user's own where one is in use.

``matplotlib.use("Agg")`` with pyplot imported switches the backend, which closes every
open figure: in a notebook (the inline backend), ``Forecaster.plot()`` closed the user's
figures, its ``ax=`` figure among them, and the notebook showed no plot made after it.
"""

from __future__ import annotations

import sys


def pyplot():
    """``matplotlib.pyplot``, switched to Agg unless pyplot is loaded already (its backend
    is the user's) or this is IPython or Jupyter (whose kernel names the inline backend in
    ``MPLBACKEND``, read when pyplot is first imported)."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules and "IPython" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt
