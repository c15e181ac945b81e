"""matplotlib for rnnlab's plots, which leave the process's matplotlib as they found it:
the user's pyplot where it is in use, else figures of rnnlab's own, made without pyplot.

``matplotlib.use("Agg")`` with pyplot imported switches the backend, which closes every
open figure: in a notebook (the inline backend), ``Forecaster.plot()`` closed the user's
figures, its ``ax=`` figure among them, and the notebook showed no plot made after it.
Before pyplot was imported it chose Agg for the whole process: a script's own
``matplotlib.use("svg")`` (or its ``MPLBACKEND``) was replaced, and its ``plt.show()``
after ``f.plot("forecast.png")`` showed no window. A ``matplotlib.figure.Figure`` made
directly (matplotlib's advice for a web server) needs no backend and no display: it is
written to a file on Agg, and pyplot knows nothing of it.

Each way in imports matplotlib after :func:`rnnlab.matplotlib_home.
use_private_dir_if_home_is_read_only`: a read-only home folder gets a temporary settings
folder of rnnlab's own, not matplotlib's two warnings about it.
"""

from __future__ import annotations

import sys

from .matplotlib_home import use_private_dir_if_home_is_read_only


class OwnFigures:
    """What rnnlab's plots use of pyplot (``subplots``, ``close``, ``get_cmap``), for
    figures that pyplot does not manage: no backend chosen, no figure kept open."""

    @staticmethod
    def subplots(*args, figsize=None, **kwargs):
        use_private_dir_if_home_is_read_only()
        from matplotlib.figure import Figure

        fig = Figure(figsize=figsize)
        return fig, fig.subplots(*args, **kwargs)

    @staticmethod
    def close(fig) -> None:
        """Nothing to close: pyplot never held the figure."""

    @staticmethod
    def get_cmap(name: str):
        use_private_dir_if_home_is_read_only()
        import matplotlib

        return matplotlib.colormaps[name]


def pyplot():
    """``matplotlib.pyplot`` where pyplot is loaded already (its backend is the user's) or
    this is IPython or Jupyter (whose kernel names the inline backend in ``MPLBACKEND``,
    read when pyplot is first imported, and shows the figure a cell returns); elsewhere
    :class:`OwnFigures` (a script, a command run over ssh, a web service)."""
    if "matplotlib.pyplot" not in sys.modules and "IPython" not in sys.modules:
        return OwnFigures
    use_private_dir_if_home_is_read_only()  # (IPython: pyplot perhaps not yet imported)
    import matplotlib.pyplot as plt

    return plt
