"""PDF (reportlab): a verified final act, and a compiled text (any lines under a title)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from accord.core.final_act import FinalActReport
from accord.documents.final_act import final_act_context


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
