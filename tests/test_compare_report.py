"""The comparison report: report.md, and a self-contained report.html whose table and
base64 PNG figures are checked with html.parser and, when a Chromium is installed, in a
headless browser."""

import base64
import json
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
import torch

from rnnlab.compare import CompareConfig, run_compare

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    out = tmp_path_factory.mktemp("report") / "run"
    cfg = CompareConfig(models=("rnn", "gru", "brnn"), seeds=(0, 1), epochs=3, hidden_size=6)
    run_compare(cfg, out, title="tiny <compare> & co", description="a **fair** test",
                command="rnnlab compare --models rnn gru brnn", log=lambda s: None)
    torch.set_num_threads(n)
    return out


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs, self.rows, self.tables, self._row, self._cell = [], [], 0, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a)
        elif tag == "table":
            self.tables += 1
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None


def test_html_report_is_self_contained(report_dir):
    text = (report_dir / "report.html").read_text()
    p = _Collect()
    p.feed(text)
    assert p.tables == 1
    header, body = p.rows[0], p.rows[1:]
    assert header[0] == "model" and "params" in header
    assert [r[0] for r in body[:3]] == ["rnn", "gru", "brnn"]
    assert {"naive", "seasonal_naive", "linear_ar"} <= {r[0] for r in body}
    assert all("±" in r[3] for r in body[:3])  # mean ± std over the 2 seeds
    assert len(p.imgs) == 4  # losses, forecasts, error by horizon, bars
    for img in p.imgs:
        assert img["alt"]
        prefix = "data:image/png;base64,"
        assert img["src"].startswith(prefix)
        data = base64.b64decode(img["src"][len(prefix):], validate=True)
        assert data.startswith(PNG) and len(data) > 1000
    assert "src=\"http" not in text and "<link" not in text  # nothing fetched
    assert "tiny &lt;compare&gt; &amp; co" in text and "<b>fair</b>" in text
    cfg = json.loads((report_dir / "results.json").read_text())["config"]
    assert f"&quot;hidden_size&quot;: {cfg['hidden_size']}" in text  # the exact configuration


def test_markdown_report_links_existing_figures(report_dir):
    md = (report_dir / "report.md").read_text()
    assert "| model | params |" in md and "| rnn |" in md and "| naive |" in md
    links = [l.split("](")[1].rstrip(")") for l in md.splitlines() if l.startswith("![")]
    assert len(links) == 4 and all((report_dir / l).is_file() for l in links)
    assert '"models": [' in md and "rnnlab compare --models rnn gru brnn" in md
    assert ("Series: airline, column 'passengers', 144 points; the last 12 held out; seasonal "
            "period 12." in md)  # the column read is named, even when chosen automatically


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_report_renders_in_headless_chromium(report_dir, tmp_path):
    exe = _chromium()
    if exe is None:
        pytest.skip("no chromium/chromium-browser binary on PATH "
                    "(apt-get install -y chromium to run this check)")
    flags = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}"]
    url = (report_dir / "report.html").resolve().as_uri()
    dom = subprocess.run(flags + ["--dump-dom", url], capture_output=True, text=True,
                         timeout=60).stdout
    p = _Collect()
    p.feed(dom)
    assert p.tables == 1 and [r[0] for r in p.rows[1:4]] == ["rnn", "gru", "brnn"]
    assert len(p.imgs) == 4 and all(i["src"].startswith("data:image/png;base64,") for i in p.imgs)
    shot = tmp_path / "shot.png"
    subprocess.run(flags + [f"--screenshot={shot}", "--window-size=1200,2000", url],
                   capture_output=True, timeout=60)
    assert shot.read_bytes().startswith(PNG) and shot.stat().st_size > 10_000
