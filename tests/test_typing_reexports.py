"""A name the docs tell users to import from a module is exported there to type checkers.

``mypy --strict`` (no implicit re-export) refuses ``from rnnlab.data.corpus_mmap import
load_prepared`` when the module only imported it (load_corpus's error message names that
import; ``rnnlab.nn.registry.ARCHITECTURES`` and ``rnnlab.nn.dispatch.AUTO`` are named in
docstrings): a name is exported when the module defines it, lists it in ``__all__`` or
imports it as itself (``import X as X``)."""

import importlib
import inspect
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOTTED = re.compile(r"\b(rnnlab(?:\.[a-z_0-9]+)+)\.([A-Za-z][A-Za-z0-9_]*)\b")
FROM = re.compile(r"from (rnnlab(?:\.[a-z_0-9]+)*) import \(?([A-Za-z_, ]+)")


def _references():
    """(module, name) of every ``rnnlab.module.Name`` and ``from rnnlab.module import
    Name`` in README.md, docs/ and rnnlab's source (docstrings, messages)."""
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
             *sorted((ROOT / "src" / "rnnlab").rglob("*.py"))]
    found = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        found |= set(DOTTED.findall(text))
        for module, names in FROM.findall(text):
            found |= {(module, n.strip().split(" as ")[0]) for n in names.split(",")
                      if n.strip()}
    return found


def _exported(module, name: str) -> bool:
    if name in getattr(module, "__all__", ()):
        return True
    source = Path(module.__file__).read_text(encoding="utf-8")
    defined = rf"^(?:async def|def|class) {name}\b|^{name}\s*[:=]"
    return bool(re.search(defined, source, re.M) or re.search(rf"\b{name} as {name}\b",
                                                               source))


def test_names_the_docs_import_are_exported_to_checkers():
    missing, checked = [], 0
    for module_name, name in sorted(_references()):
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # (a word after "rnnlab." that is no module; an extra's)
            continue
        value = getattr(module, name, None)
        if value is None or inspect.ismodule(value) or name.startswith("_"):
            continue
        checked += 1
        if not _exported(module, name):
            missing.append(f"{module_name}.{name}")
    assert checked > 50
    assert not missing, missing
