"""rnnlab.panel.accuracy is the function, even once its submodule of that name is imported
(an import of rnnlab.panel.accuracy, the module, set the package's attribute to it)."""

import importlib
import sys


def test_accuracy_stays_the_function_after_its_module_is_imported():
    import rnnlab.panel as panel

    module = importlib.import_module("rnnlab.panel.accuracy")
    assert sys.modules["rnnlab.panel.accuracy"] is module
    assert callable(panel.accuracy) and panel.accuracy is module.accuracy
    from rnnlab.panel import accuracy

    assert accuracy is module.accuracy
