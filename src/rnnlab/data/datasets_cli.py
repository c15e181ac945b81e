"""``rnnlab datasets``: the built-in series and panels with their size, frequency and
source, and the built-in text corpora."""

from __future__ import annotations

from .catalog import DATASETS, PANEL_DATASETS  # (not .datasets: pandas, a second to import)


def register(sub) -> None:
    p = sub.add_parser("datasets", help="list the built-in datasets",
                       description="List the built-in series and panels (usable offline by "
                                   "name with --data), the text corpora of `rnnlab lm`, and "
                                   "how to use any stooq symbol or CSV file.")
    p.set_defaults(func=run)


def run(args) -> int:
    print(f"{'name':<8} {'size':>14}  {'frequency':<14} {'source':<32} description")
    for d in DATASETS.values():
        print(f"{d.name:<8} {d.size:>14}  {d.frequency:<14} {d.source:<32} {d.description}")
    print("panels (many series: rnnlab forecast / rnnlab backtest --data NAME; their id, date "
          "and target columns are known):")
    for p in PANEL_DATASETS.values():
        print(f"{p.name:<13} {p.size:>14}  {p.frequency:<9} {p.source:<32} {p.description}")
    from .text import BUILTIN_CORPORA, CORPUS_ALIASES

    print("text corpora (rnnlab lm train --corpus NAME, rnnlab lm eval --text NAME; "
          "load_corpus(NAME)):")
    for name, (_, description) in BUILTIN_CORPORA.items():
        also = [a for a, n in CORPUS_ALIASES.items() if n == name]
        print(f"{name:<13} {description}" + (f" (also: {', '.join(also)})" if also else ""))
    from importlib import resources

    # the installed file (before: "rnnlab/data/builtin/README.md", a path relative to the
    # source tree, which an installed package's user has not got)
    notes = resources.files("rnnlab") / "data" / "builtin" / "README.md"
    print(f"sources and licences: {notes}")
    print("also: stooq:SYMBOL (e.g. stooq:^DJI, stooq:AAPL.US; downloaded once, cached in "
          "$RNNLAB_CACHE or ~/.cache/rnnlab), or any CSV file with --column")
    return 0
