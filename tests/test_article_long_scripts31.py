"""What the benchmark scripts and rnnlab's own texts (the e4-sine recipe, its deviation
table, the as-written module) say of the two long article runs, held to their run records
(benchmarks/results/articles-amd-epyc: e3-char-lm, e4-as-written)."""

import re

from test_article_long_runs31 import ROOT, _flat, _minutes
from test_article_records30 import _second


def test_the_minutes_e4_as_written_takes_are_its_records_wherever_given():
    # "half an hour per seed" (no record) became the record's 68 minutes in the recipe's
    # text, its deviation table (rnnlab recipes -v, every e4-sine report, this page), the
    # as-written module and the Xeon's script (which names the CPU that took them): each is
    # held to e4-as-written's seconds
    from rnnlab.compare import get_recipe
    from rnnlab.compare.article_deviations import DEVIATIONS
    from rnnlab.compare.as_written import sine_lstm

    minutes = _minutes("e4-as-written")
    [why] = [d.why for d in DEVIATIONS["e4-sine"] if d.setting == "optimisation"]
    texts = {"deviation": why, "recipe": " ".join(get_recipe("e4-sine").description.split()),
             "module": " ".join(sine_lstm.__doc__.split()),
             "page": _flat("docs/articles.md"), "script": _flat("benchmarks/articles.sh")}
    for where, text in texts.items():
        said = re.findall(r"(\d+) minutes (?:for one seed|on one|a seed on the AMD EPYC)", text)
        assert said and set(said) == {minutes}, (where, said)
    assert f"iterations took {minutes} minutes for one seed on one shared CPU core (the " \
           f"e4-as-written record)" in texts["page"]  # the deviation table's row


def _comments(script: str) -> str:
    """A shell script's comments as one line of words (their "#" marks dropped)."""
    lines = (ROOT / script).read_text(encoding="utf-8").splitlines()
    return " ".join(" ".join(x.lstrip()[1:] for x in lines if x.lstrip().startswith("#")).split())


def test_the_seconds_articles_long_sh_gives_are_its_records():
    said = re.search(r"the records' runs took ([\d,]+) s for E3's seed 0, its GRU ([\d,]+) s "
                     r"of them, ([\d,]+) s for its seed 1, its GRU ([\d,]+) s of them, and "
                     r"([\d,]+) s for E4\)", _comments("benchmarks/articles_long.sh"))
    assert said, "benchmarks/articles_long.sh: the records' seconds moved"
    got = []
    for name in ("e3-char-lm", "e3-char-lm-seed1"):
        e3 = _second(name)
        [gru] = [x for x in e3["records"] if x["model"] == "gru"]
        got += [f"{e3['seconds']:,.0f}", f"{gru['train_seconds']:,.0f}"]
    assert list(said.groups()) == got + [f"{_second('e4-as-written')['seconds']:,.0f}"]


def test_articles_runs_sh_names_every_script_that_sources_it():
    shared = ROOT / "benchmarks" / "articles_runs.sh"
    header = " ".join(shared.read_text(encoding="utf-8").split("\nexport")[0].split())
    sourcing = [p.name for p in sorted(shared.parent.glob("*.sh"))
                if '/articles_runs.sh"' in p.read_text(encoding="utf-8")]
    assert "articles_long.sh" in sourcing
    assert [n for n in sourcing if f"benchmarks/{n}" not in header] == []
