"""Figures docs/articles.md gives that no other test tied to their source: each is read
from the page and compared with the run record, the shipped data or the computation it
comes from (benchmarks/results/articles, written by benchmarks/articles.sh)."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RECORDS = ROOT / "benchmarks" / "results" / "articles"


def _doc() -> str:
    return " ".join((ROOT / "docs" / "articles.md").read_text(encoding="utf-8").split())


def _results(folder: Path, name: str) -> dict:
    if not folder.parent.is_dir():  # (an unpacked sdist has no benchmarks/results)
        pytest.skip("benchmarks/results is not here")
    return json.loads((folder / name / "results.json").read_text(encoding="utf-8"))


def test_e1_untrained_models_and_the_articles_bias_arithmetic_are_the_record():
    a = _results(RECORDS, "e1-as-written")["as_written"]
    doc = _doc()
    said = re.search(r"after the loop every weight of the four is unchanged \(largest change "
                     r"([\d.]+)\)", doc)
    assert said, "docs/articles.md: the E1 untrained-models sentence moved"
    assert f"{max(a['four_models_max_weight_change'].values()):.1f}" == said.group(1)
    told = re.search(r"The article's DRNN value, ([\d.]+), is 1242 × ([\d.]+): a mean error of "
                     r"([\d.]+) standard deviations", doc)
    assert told, "docs/articles.md: the E1 bias arithmetic moved"
    drnn = a["article_bias"]["DRNN"]
    assert [f"{drnn:.1f}", f"{drnn / 1242:.1f}", f"{drnn / 1242 / 1242:.2f}"] == list(
        told.groups())


def test_e5_state_reset_figure_beside_the_corrected_result_is_the_record():
    r = _results(RECORDS, "e5-as-written")
    said = re.search(r"This is much better than the as-written run's ([\d.]+) with the state "
                     r"reset", _doc())
    assert said, "docs/articles.md: the E5 comparison sentence moved"
    assert f"{r['corrected']['rmse']:.1f}" == said.group(1)


def test_e1_snapshot_is_the_articles_rows_and_windows():
    from rnnlab.data.catalog import dji

    s = dji()
    said = re.search(r"`pandas_datareader` reads \^DJI from stooq: ([\d,]+) rows, "
                     r"(\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d), .*? Windows of 16 with labels "
                     r"shifted by one step \(([\d,]+) windows\)", _doc())
    assert said, "docs/articles.md: the E1 data sentence moved"
    first, last = str(s.index[0].date()), str(s.index[-1].date())
    assert [f"{len(s):,}", first, last, f"{len(s) - 16:,}"] == list(said.groups())


def test_e3_corpus_size_and_batches_per_epoch_are_the_recipes():
    # d2l's lyrics loader keeps 10,000 characters; its consecutive sampler cuts them into
    # batch_size rows and each row into (row length - 1) // num_steps batches
    import torch

    from rnnlab.compare import get_recipe
    from rnnlab.compare.lm_run import corpus_parts
    from rnnlab.data.text import Vocab, load_corpus
    from rnnlab.data.text_sampling import TextSampler

    [cfg] = get_recipe("e3-char-lm").configs().values()
    doc = _doc()
    said = re.search(r"keeps the first ([\d,]+) characters: (\d+) batches of (\d+) × (\d+) an "
                     r"epoch, where the recipe's Time Machine gives (\d+)\.", doc)
    assert said, "docs/articles.md: the E3 batches sentence moved"
    kept, d2l, batch, steps = (int(x.replace(",", "")) for x in said.groups()[:4])
    assert (batch, steps) == (cfg.batch_size, cfg.seq_len)
    assert d2l == (kept // batch - 1) // steps
    train, _, _ = corpus_parts(cfg)
    ids = torch.tensor(Vocab.build(train, "char").encode(train))
    sampler = TextSampler(ids, batch_size=batch, seq_len=steps, sampling="sequential", seed=0)
    ours = {sampler.num_batches(e) for e in range(3)}
    assert ours == {int(said.group(5))}
    row = re.search(r"The Time Machine \(shipped\), ([\d,]+) characters, (\d+)% of them trained "
                    r"on: (\d+) batches an epoch .*? The same 160 epochs train on about (\d+) "
                    r"times as many characters", doc)
    assert row, "docs/articles.md: the E3 corpus row moved"
    text = load_corpus(cfg.data)
    assert [f"{len(text):,}", f"{100 * len(train) / len(text):.0f}", said.group(5),
            f"{int(said.group(5)) / d2l:.0f}"] == list(row.groups())
