"""What a type checker (mypy, pyright) sees of rnnlab's public names: rnnlab ships py.typed.

A package that loads names on first use (``_LAZY`` and a module ``__getattr__``) showed
them to checkers as ``Any`` (``from rnnlab.forecast import Forecaster``: every call on it
unchecked) and let a misspelt name pass; each such package now imports them under
``TYPE_CHECKING`` and hides its ``__getattr__`` there."""

import ast
import dataclasses
import functools
import importlib
import inspect
import typing
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "rnnlab"
# typing.get_overloads is Python 3.11+ (3.10 records no overload at run time); what a checker
# sees of these annotations does not depend on the Python that runs the tests
needs_get_overloads = pytest.mark.skipif(not hasattr(typing, "get_overloads"),
                                         reason="typing.get_overloads: Python 3.11+")
LAZY_PACKAGES = ["rnnlab", "rnnlab.bench", "rnnlab.compare", "rnnlab.forecast", "rnnlab.io",
                 "rnnlab.lm", "rnnlab.panel", "rnnlab.train"]


def _init_file(package: str) -> Path:
    parts = package.split(".")[1:]
    return SRC.joinpath(*parts, "__init__.py")


def _type_checking_blocks(tree: ast.Module):
    """(names imported under ``if TYPE_CHECKING:``, names defined in its ``else:``)."""
    imported, hidden = {}, set()
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) \
                and node.test.id == "TYPE_CHECKING":
            for stmt in node.body:
                if isinstance(stmt, ast.ImportFrom):
                    for alias in stmt.names:
                        imported[alias.asname or alias.name] = "." * stmt.level + (
                            stmt.module or "")
            hidden |= _defined(node.orelse)
    return imported, hidden


def _defined(statements) -> set:
    """Names the statements define: functions, and names assigned (``__getattr__,
    __dir__ = lazy_hooks(__name__)``)."""
    names = {s.name for s in statements if isinstance(s, ast.FunctionDef)}
    for s in statements:
        if isinstance(s, ast.Assign):
            for target in s.targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_lazy_names_are_imported_for_type_checkers(package):
    tree = ast.parse(_init_file(package).read_text())
    imported, hidden = _type_checking_blocks(tree)
    module = importlib.import_module(package)
    lazy = module._LAZY
    # every lazy name, from the module that defines it at run time
    assert imported == lazy, (package, set(lazy) ^ set(imported))
    # the module __getattr__ only at run time: a misspelt name is an error to a checker
    top_level = _defined(tree.body)
    assert "__getattr__" in hidden and "__getattr__" not in top_level
    # exported (pyright: "X is not exported from module" for a name outside __all__)
    assert set(lazy) <= set(module.__all__)
    for name in module.__all__:
        assert getattr(module, name) is not None
    with pytest.raises(AttributeError, match="has no attribute"):
        getattr(module, "Forcaster")


def test_import_rnnlab_still_loads_no_torch():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "import sys, rnnlab, rnnlab.io, rnnlab.train; "
                          "print('torch' in sys.modules)"], capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC.parent)}, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["False"]


# the special methods a user's code calls through syntax: ev["by_step"] (Evaluation's
# __getitem__ was unannotated: "partially unknown" to pyright strict), len(vocab), `in`
USED_DUNDERS = {"__init__", "__getitem__", "__contains__", "__len__", "__iter__", "__call__"}


def _methods(cls, where: str):
    """(qualified name, function) for each public method of ``cls`` (properties' getters
    too)."""
    for attr, member in vars(cls).items():
        if attr.startswith("_") and attr not in USED_DUNDERS:
            continue
        if inspect.isfunction(member) or isinstance(member, (classmethod, staticmethod)):
            yield f"{where}.{attr}", getattr(cls, attr)
        elif isinstance(member, property) and member.fget is not None:
            yield f"{where}.{attr}", member.fget


def _exported_callables():
    """(qualified name, function) for each public function and method of the names the
    packages export."""
    for package in LAZY_PACKAGES + ["rnnlab.nn", "rnnlab.data.text", "rnnlab.reference"]:
        module = importlib.import_module(package)
        for name in getattr(module, "__all__", []):
            value = getattr(module, name)
            if inspect.isclass(value):
                yield from _methods(value, f"{package}.{name}")
            elif inspect.isfunction(value):
                yield f"{package}.{name}", value


def _rnnlab_classes(hint):
    """rnnlab's classes that an annotation names, at any depth."""
    if inspect.isclass(hint) and hint.__module__.startswith("rnnlab"):
        yield hint
    for arg in typing.get_args(hint):
        yield from _rnnlab_classes(arg)


@functools.lru_cache(maxsize=None)
def _reached():
    """([(qualified name, function)], {class}): the exported functions and methods, and
    the methods of every rnnlab class their annotations name, at any depth: what a user's
    code reaches (``f.backtest(...)`` is a BacktestResult, whose ``plot`` and ``save``
    were unannotated: Any to mypy)."""
    todo, done, classes = list(_exported_callables()), [], set()
    while todo:
        qualname, function = todo.pop(0)
        if (qualname, function) in done:
            continue
        done.append((qualname, function))
        plain = inspect.unwrap(function)
        for each in [plain, *typing.get_overloads(plain)]:
            try:
                hints = typing.get_type_hints(each, localns=_checker_names(plain.__module__))
            except Exception:  # noqa: BLE001 (test_public_annotations_resolve names it)
                continue
            for cls in {c for hint in hints.values() for c in _rnnlab_classes(hint)} - classes:
                classes.add(cls)
                todo += _methods(cls, f"{cls.__module__}.{cls.__name__}")
    return done, classes


def _public_callables():
    """(qualified name, function) for each function and method :func:`_reached`."""
    return iter(_reached()[0])


@functools.lru_cache(maxsize=None)
def _checker_names(module_name: str) -> dict:
    """The names a module imports under ``if TYPE_CHECKING:`` (matplotlib's Figure, say),
    which a type checker sees and the running module does not."""
    module = importlib.import_module(module_name)
    tree = ast.parse(inspect.getsource(module))
    names = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) \
                and node.test.id == "TYPE_CHECKING":
            for stmt in node.body:
                if isinstance(stmt, ast.ImportFrom):
                    where = importlib.import_module("." * stmt.level + (stmt.module or ""),
                                                    module.__package__)
                    for alias in stmt.names:
                        names[alias.asname or alias.name] = getattr(where, alias.name)
    return names


@needs_get_overloads
def test_public_annotations_resolve():
    # a checker and typing.get_type_hints read the same strings: a name missing from the
    # defining module (a NameError here) is an unknown type to mypy and pyright
    checked = 0
    for qualname, function in _public_callables():
        function = inspect.unwrap(function)
        for each in [function, *typing.get_overloads(function)]:
            try:
                typing.get_type_hints(each, localns=_checker_names(function.__module__))
            except Exception as e:  # noqa: BLE001 (the message names the function)
                pytest.fail(f"{qualname}: its annotations do not resolve: {e!r}")
            checked += 1
    assert checked > 100


def test_panel_backtest_marks_its_none_horizon_and_exports_its_result():
    # horizon: int = None was an implicit Optional (mypy: incompatible default), and
    # BacktestResult, which the docs name as rnnlab.panel.backtest.BacktestResult, was
    # "not explicitly exported" there
    module = importlib.import_module("rnnlab.panel.backtest")
    hints = typing.get_type_hints(module.backtest)
    assert type(None) in typing.get_args(hints["horizon"])
    assert {"backtest", "BacktestResult"} <= set(module.__all__)
    for name in module.__all__:
        assert getattr(module, name) is not None


# declared for checkers under TYPE_CHECKING (test_typing_returns checks them against torch)
CHECKER_SIGNATURES = {"rnnlab.nn.RNN.__init__", "rnnlab.nn.GRU.__init__",
                      "rnnlab.nn.LSTM.__init__"}


@needs_get_overloads
def test_public_signatures_are_annotated():
    # an unannotated parameter is Any to mypy and "partially unknown" to pyright strict at
    # each call (was: paths, columns, **kwargs and several returns: Forecaster.fit/save/
    # load, read_panel, CharLM.fit, train.fit, save_weights, metrics, ...)
    missing = []
    for qualname, function in _public_callables():
        function = inspect.unwrap(function)
        if not function.__module__.startswith("rnnlab") or qualname in CHECKER_SIGNATURES \
                or typing.get_overloads(function):
            continue
        signature = inspect.signature(function)
        bare = [p for p in signature.parameters if p not in ("self", "cls")
                and p not in function.__annotations__]
        no_return = "return" not in function.__annotations__ and \
            function.__name__ != "__init__"
        if bare or no_return:
            missing.append(f"{qualname}: parameters {bare}, return "
                           f"{'missing' if no_return else 'ok'}")
    assert not missing, "\n".join(missing)


def _bare(hint) -> bool:
    """A ``dict``/``list``/``tuple`` without its item types, at any depth of ``hint``."""
    if hint in (dict, list, tuple, set, typing.Dict, typing.List, typing.Tuple, typing.Set):
        return True
    return any(_bare(a) for a in typing.get_args(hint) if a is not Ellipsis)


@needs_get_overloads
def test_no_bare_containers_in_public_signatures():
    # a bare dict is dict[Unknown, Unknown] to pyright strict: History.to_dict(),
    # history.epochs, run_compare(), ForecastConfig.to_dict() were "partially unknown"
    from rnnlab.train import History

    bare = [f"History.{k}" for k, v in typing.get_type_hints(History).items() if _bare(v)]
    # the fields of the results and configs the API gives (BacktestResult.models was a
    # Dict[str, dict], its origin_dates a bare List)
    for cls in _reached()[1]:
        if dataclasses.is_dataclass(cls):
            hints = typing.get_type_hints(cls, localns=_checker_names(cls.__module__))
            bare += [f"{cls.__name__}.{f.name}" for f in dataclasses.fields(cls)
                     if _bare(hints[f.name])]
    for qualname, function in _public_callables():
        function = inspect.unwrap(function)
        for each in [function, *typing.get_overloads(function)]:
            hints = typing.get_type_hints(each, localns=_checker_names(function.__module__))
            bare += [f"{qualname}: {k}" for k, v in hints.items() if _bare(v)]
    assert not bare, bare
