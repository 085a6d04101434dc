"""Human-readable renderings: a verified final act as HTML and PDF, and a compiled text
as PDF. Rendering is done only from what verification established."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from jinja2 import Environment, PackageLoader, select_autoescape
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from accord.core.final_act import FinalActReport
from accord.core.keys import fingerprint
from accord.core.times import format_time

_ENV = Environment(
    loader=PackageLoader("accord", "templates"), autoescape=select_autoescape(["html", "j2"])
)


def final_act_context(report: FinalActReport) -> dict[str, Any]:
    """What the renderings show, from a verified final act."""
    if not report.ok:
        raise ValueError(f"only a valid final act is rendered: {report.problem}")
    assert report.version and report.decision and report.record and report.record.state
    state, v, d = report.record.state, report.version, report.decision
    signers = {s.signer for s in report.signatures}
    return {
        "version": {"title": v.title, "number": v.number, "hash": v.hash,
                    "paragraphs": [{"number": p.number, "plain": p.plain} for p in v.paragraphs]},
        "conference": {"title": state.genesis.title, "id": state.conf,
                       "genesis": state.genesis_hash},
        "decision": {
            "id": d.id, "procedure": d.procedure, "rule": (d.rule or "").replace("_", " "),
            "seq": d.seq, "opened": format_time(d.opened_at), "closed_seq": d.closed_seq,
            "deadline": format_time(d.deadline) if d.deadline else None,
            "time_zone": d.time_zone,
            "tally": d.tally() if d.procedure == "vote" else None,
        },
        "statements": [{"state": s.state, "kind": s.kind.replace("_", " "), "text": s.text}
                       for s in report.statements],
        "signatures": [
            {"signer": s.signer, "act": s.act, "ad_referendum": s.ad_referendum, "seq": s.seq,
             "time": format_time(s.time), "pending": s.pending,
             "status": "pending confirmation" if s.pending
             else "confirmed by its state" if s.ad_referendum else "signed"}
            for s in report.signatures
        ],
        "credentials": [
            {"label": fp.label(), "key": fingerprint(fp.key),
             "root": fingerprint(state.states[fp.state].root)}
            for fp in state.credentials.values() if fp.label() in signers
        ],
        "entries": report.record.entries,
    }  # fmt: skip


def final_act_html(report: FinalActReport) -> str:
    return _ENV.get_template("final_act.html.j2").render(**final_act_context(report))


def final_act_pdf(report: FinalActReport, path: Path) -> None:
    c = final_act_context(report)
    d = c["decision"]
    lines = [
        f"Version {c['version']['number']}, text hash {c['version']['hash']}",
        f"Conference {c['conference']['title']} ({c['conference']['id']}), genesis "
        f"{c['conference']['genesis']}",
        f"Adopted by {d['procedure']}{' (' + d['rule'] + ')' if d['rule'] else ''}: decision "
        f"{d['id']} opened at entry #{d['seq']} ({d['opened']})",
        "",
        *(f"{p['number']}. {p['plain']}" for p in c["version"]["paragraphs"]),
        "",
        *(f"Statement ({s['kind']}) by {s['state']}: {s['text']}" for s in c["statements"]),
        *(f"{s['act']} by {s['signer']}, entry #{s['seq']}, {s['time']}: {s['status']}"
          for s in c["signatures"]),
        "",
        "Fingerprints to check by hand:",
        *(f"{x['label']}: key {x['key']}; root {x['root']}" for x in c["credentials"]),
    ]  # fmt: skip
    lines_pdf(path, c["version"]["title"], lines,
              footer=f"Final act verified from {c['entries']} log entries")  # fmt: skip


def lines_pdf(path: Path, title: str, lines: list[str], footer: str) -> None:
    """A plain document: a title, one paragraph per line (brackets kept as typed)."""
    styles = getSampleStyleSheet()
    story: list[Any] = [Paragraph(escape(title), styles["Title"])]
    for line in lines:
        for part in line.split("\n"):
            if part.strip():
                story.append(Paragraph(escape(part), styles["BodyText"]))
            else:
                story.append(Spacer(1, 8))
    story.append(Spacer(1, 16))
    story.append(Paragraph(escape(footer), styles["Italic"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    SimpleDocTemplate(str(path), pagesize=A4, title=title).build(story)
