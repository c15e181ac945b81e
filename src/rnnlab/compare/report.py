"""The run directory's report: ``report.md`` (figures linked) and a self-contained
``report.html`` (figures embedded as base64 PNG), each with the results table, the
figures, the loss check and the exact configuration."""

from __future__ import annotations

import base64
import html
import json
import os
from pathlib import Path
from typing import List

from ..io.atomic import atomic_write_text
from .fairness import fairness_notes
from .summary import markdown_table, percent, table_rows
from .summary_notes import baseline_notes, budget_notes, diverged_notes, nonfinite_notes

CSS = """body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
table.results{border-collapse:collapse;font-size:13px;margin:1em 0}
table.results th,table.results td{border:1px solid #bbb;padding:3px 7px;text-align:right}
table.results td:first-child,table.results th:first-child{text-align:left}
tr.baseline{color:#666;font-style:italic} img{max-width:100%;border:1px solid #ddd;margin:.5em 0}
pre{background:#f6f6f6;padding:.8em;overflow-x:auto;font-size:12px} .fail{color:#b00;font-weight:bold}"""


def _notes(sec: dict) -> List[str]:
    res, cfg = sec["results"], sec["config"]
    notes = [f"Held-out metric: **{res['main_metric']}** (lower is better); mean ± sample std "
             f"over seeds {list(cfg.seeds)}"
             + (" (less the diverged runs named below)" if res.get("diverged") else "")
             + "; baselines are deterministic (one value)."]
    s = res.get("series")
    if s:  # forecasting: which column was read, and the split
        notes.append(f"Series: {sec.get('data') or cfg.data}, column {s['name']!r}, {len(s['actual'])} points; "
                     f"the last {s['test_size']} held out"
                     + (f"; seasonal period {s['period']}." if s.get("period") else "."))
        if s.get("extreme_values"):  # (every model's errors, and MASE's scale, hold them)
            notes.append(f"**Extreme values**: {s['extreme_values']}.")
    if res.get("param_target"):
        notes.append(f"Parameter matching: every hidden size chosen so the whole network has "
                     f"{res['param_target']:,} ± {percent(cfg.tolerance)} parameters "
                     + ("(the target given, --param-target)." if cfg.param_target else
                        f"({cfg.match_to}'s count at hidden size {cfg.hidden_size})."))
    notes += fairness_notes(cfg, res["rows"], res.get("param_target"))
    notes += nonfinite_notes(res["rows"], res["main_metric"], name=lambda m: f"**{m}**")
    notes += [f"**{n.split(' ')[0]}** {n.split(' ', 1)[1]}."
              for n in diverged_notes(res.get("diverged"))]
    notes += budget_notes(cfg, res["rows"])  # runs --max-seconds cut short
    notes += baseline_notes(res["rows"])  # drift without differencing: the mean level
    models = [r for r in res["rows"] if r["kind"] == "model"]
    bad = [r["name"] for r in models if r["loss_fell"] is False]
    unknown = [r["name"] for r in models if r["loss_fell"] is None]
    notes.append("Training loss fell (last epoch below first) for every model and seed"
                 + (" that did not diverge." if res.get("diverged") else ".")
                 if not bad and not unknown else
                 (f"Training loss did NOT fall for at least one seed of: {', '.join(bad)}. "
                  if bad else "")
                 + (f"Too few epochs to tell whether it fell for: {', '.join(unknown)}."
                    if unknown else ""))
    notes.append(f"Compute: {res['seconds']:.0f} s for this comparison" + _cpu_said(res)
                 + f"; 'train s' is the training "
                 f"loop's time per model and seed (validation included); 'train CPU s' is the "
                 f"training process's CPU time over the same loop (every thread counted; under "
                 f"DDP rank 0's alone): the wall clock swings where other work shares the "
                 f"machine, CPU time much less, so compare runs by it (it is still no speed "
                 f"benchmark: threads add up, waits count); 'time steps/s' counts "
                 f"input time steps trained on per second; 'path' is the implementation the "
                 f"recurrent layers ran on (impl={cfg.impl!r}: 'fused' is torch's kernel, "
                 f"'fast-*' rnnlab's whole-sequence kernels, 'reference' the step loop), so "
                 f"speeds compare architectures only where the paths are alike.")
    if cfg.task == "lm":  # (the deviation table promised a sample; only results.json had it)
        from .lm_run import sample_notes

        notes += sample_notes(res.get("records") or [])
    return notes + provenance_notes(res)


def _cpu_said(res: dict) -> str:
    """The comparison's CPU seconds, as results.json has them (``time.process_time()``):
    this process's alone, so not the workers ``--devices N`` spawned; "" in results an
    earlier rnnlab wrote, which have none."""
    cpu = res.get("cpu_seconds")
    if cpu is None:
        return ""
    workers = (res.get("device_settings") or {}).get("devices")
    spawned = f": not the {workers} --devices workers'" if isinstance(workers, int) and workers > 1 else ""
    return f" ({cpu:.0f} s of CPU time: this process's, not its child processes'{spawned})"


def provenance_notes(res: dict) -> List[str]:
    """What made these numbers, in the report itself (config.json had it; the report, read
    alone, named the settings and seeds but neither the software nor the data)."""
    v, notes = res.get("versions") or {}, []
    if v:
        said = dict(v)  # (run from a checkout: the commit, as the version says little)
        if v.get("rnnlab") and v.get("rnnlab_commit"):
            said["rnnlab"] = f"{v['rnnlab']} (commit {str(v['rnnlab_commit'])[:12]})"
        soft = ", ".join(f"{k} {said[k]}" for k in ("rnnlab", "torch", "numpy", "pandas",
                                                     "python") if said.get(k))
        notes.append(f"Versions: {soft}; {v.get('platform')}, CPU {v.get('cpu')!r}, torch CPU "
                     f"kernels {v.get('torch_cpu_kernels')}, {v.get('threads', '?')} threads"
                     + (f", GPU {v['gpu']!r} (CUDA {v.get('cuda')})" if v.get("gpu") else "")
                     + " (the same seeds give other last bits on other machines).")
    if res.get("data_sha256"):
        notes.append(f"Data SHA-256: {res['data_sha256']}.")
    if res.get("device_settings"):  # (given to every model alike; not in the config below)
        notes.append("Device settings, the same for every model: " + ", ".join(
            f"{k} {v}" for k, v in res["device_settings"].items()) + ".")
    return notes


def section_markdown(sec: dict, base: Path) -> str:
    cfg, res = sec["config"], sec["results"]
    lines = [f"## {sec['title']}", ""]
    if sec["description"]:
        lines += [sec["description"], ""]
    if sec["command"]:
        lines += ["Command:", "", "```", sec["command"], "```", ""]
    lines += [markdown_table(cfg, res["rows"]), ""]
    lines += [f"- {n}" for n in _notes(sec)] + [""]
    for caption, name in sec["plots"].items():
        rel = os.path.relpath(Path(sec["dir"]) / name, base)
        lines += [f"![{caption}]({rel})", "", f"*{caption}*", ""]
    lines += ["Configuration:", "", "```json", json.dumps(cfg.to_dict(), indent=2), "```", ""]
    return "\n".join(lines)


def _md_inline(text: str) -> str:
    """Escape, then render **bold** (the only markup the notes use)."""
    parts = html.escape(text).split("**")
    return "".join(f"<b>{p}</b>" if i % 2 else p for i, p in enumerate(parts))


def _paragraph_html(text: str) -> str:
    """A paragraph, or a markdown table (every line starts with '|') as an HTML table."""
    lines = text.splitlines()
    if len(lines) < 3 or not all(line.startswith("|") for line in lines):
        return f"<p>{_md_inline(text)}</p>"
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines]
    head = "".join(f"<th>{_md_inline(c)}</th>" for c in cells[0])
    body = "".join("<tr>" + "".join(f"<td>{_md_inline(c)}</td>" for c in row) + "</tr>"
                   for row in cells[2:])
    return f'<table class="results"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def section_html(sec: dict) -> str:
    cfg, res = sec["config"], sec["results"]
    header, cells = table_rows(cfg, res["rows"])
    h = [f"<section><h2>{html.escape(sec['title'])}</h2>"]
    if sec["description"]:
        h += [_paragraph_html(p) for p in sec["description"].split("\n\n")]
    if sec["command"]:
        h.append(f"<p>Command:</p><pre>{html.escape(sec['command'])}</pre>")
    h.append('<table class="results"><thead><tr>'
             + "".join(f"<th>{html.escape(c)}</th>" for c in header) + "</tr></thead><tbody>")
    for row, r in zip(cells, res["rows"]):
        cls = ' class="baseline"' if r["kind"] == "baseline" else ""
        tds = "".join(f'<td class="fail">{html.escape(c)}</td>' if c == "NO"
                      else f"<td>{html.escape(c)}</td>" for c in row)
        h.append(f"<tr{cls}>{tds}</tr>")
    h.append("</tbody></table><ul>" + "".join(f"<li>{_md_inline(n)}</li>" for n in _notes(sec))
             + "</ul>")
    for caption, name in sec["plots"].items():
        data = base64.b64encode((Path(sec["dir"]) / name).read_bytes()).decode("ascii")
        h.append(f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
                 f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    h.append("<details open><summary>Configuration</summary><pre>"
             + html.escape(json.dumps(cfg.to_dict(), indent=2)) + "</pre></details></section>")
    return "\n".join(h)


def write_report(out, sections: List[dict], title: str, intro: str = "") -> None:
    out = Path(out)
    md = [f"# {title}", ""] + ([intro, ""] if intro else [])
    md += [section_markdown(s, out) for s in sections]
    atomic_write_text(out / "report.md", "\n".join(md))
    body = [f"<h1>{html.escape(title)}</h1>"] + ([f"<p>{_md_inline(intro)}</p>"] if intro else [])
    body += [section_html(s) for s in sections]
    atomic_write_text(out / "report.html",
                      f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                      f"<title>{html.escape(title)}</title><style>{CSS}</style></head>\n"
                      f"<body>\n" + "\n".join(body) + "\n</body></html>\n")
