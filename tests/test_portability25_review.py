"""Review of the portability branch (session 25): what it missed, reproduced."""

import functools
import sys
from types import ModuleType

import pytest


def _notebook(monkeypatch):
    """A notebook's ``__main__`` (IPython's: no file, no module spec) holding ``cb``."""
    def cb(tag, epoch, record):
        pass

    cb.__module__, cb.__qualname__ = "__main__", "cb"
    notebook = ModuleType("__main__")
    notebook.cb = cb
    monkeypatch.setitem(sys.modules, "__main__", notebook)
    return notebook


def test_a_partial_of_a_notebook_function_with_devices_is_refused(monkeypatch):
    """`fit(y, devices=2, on_epoch=functools.partial(cb, "run1"))` from a notebook (or
    `python -c`): the partial pickles, its function by name, which the spawned workers do
    not have: each died on "Can't get attribute 'cb'", the fit on "worker process(es)
    died" (reproduced with python -c); only a bare function of the notebook was refused."""
    from rnnlab.io.errors import OptionError
    from rnnlab.lm.fit_process import check_picklable

    notebook = _notebook(monkeypatch)
    with pytest.raises(OptionError, match=r"on_epoch \(a partial\) uses 'cb', which is defined "
                                          r"in a notebook.*\.py module"):
        check_picklable(functools.partial(notebook.cb, "run1"), 2)
    check_picklable(functools.partial(print, "run1"), 2)  # (a module's function: fine)
    notebook.__file__ = "job.py"  # (a script: each worker imports it again)
    check_picklable(functools.partial(notebook.cb, "run1"), 2)


def test_an_instance_of_a_notebook_class_with_devices_is_refused(monkeypatch):
    from rnnlab.io.errors import OptionError
    from rnnlab.lm.fit_process import check_picklable

    notebook = _notebook(monkeypatch)

    class Logger:
        def __call__(self, epoch, record):
            pass

    Logger.__module__, Logger.__qualname__ = "__main__", "Logger"
    notebook.Logger = Logger
    with pytest.raises(OptionError, match=r"uses 'Logger', which is defined in a notebook"):
        check_picklable(Logger(), 2)
