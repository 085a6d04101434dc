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
        f"{c['conference']['title']} ({c['conference']['id']}), genesis "
        f"{c['conference']['genesis']}",
        f"Adopted by {d['procedure']}{' (' + d['rule'] + ')' if d['rule'] else ''}: decision "
        f"{d['id']} opened at entry #{d['seq']} ({d['opened']})",
        "",
        *(f"{p['number']}. {p['plain']}" for p in c["version"]["paragraphs"]),
        "",
        TESTIMONIUM.format(title=c["version"]["title"]),
        done_at(c),
        "",
        *(line for block in c["signature_blocks"] for line in _signature_block(block)),
        "",
        "Annex I. Record of the decision",
        f"Under {c['rules']}.",
        *(_roll_call(d)),
        "Participating states: " + ", ".join(
            f"{p['name']}{' (observer)' if p['role'] == 'observer' else ''}"
            f"{' (' + p['seating'] + ')' if p['seating'] else ''}"
            for p in c["participants"]),
        "",
        "Annex II. Statements",
        *(_statement(s) for s in c["statements"]),
        *(["", "Annex III. Contributions of observers"] if c["observers_statements"] else []),
        *(_statement(s) for s in c["observers_statements"]),
        "",
        "Fingerprints to check by hand:",
        *(f"{x['label']}: key {x['key']}; root {x['root']}" for x in c["full_powers"]),
    ]  # fmt: skip
    lines_pdf(path, c["version"]["title"], lines,
              footer=f"Final act verified from {c['entries']} log entries")  # fmt: skip


TESTIMONIUM = (
    "In witness whereof the undersigned, being duly authorised thereto, have signed this {title}."
)


def done_at(c: dict[str, Any]) -> str:
    """ "Done at Vienna, ...": the place, or the conference, and the date of adoption."""
    where = c["conference"]["place"] or f"the conference {c['conference']['title']}"
    when = c["decision"]["adopted_at"]
    return f"Done at {where}" + (f", {when}." if when else ".")


def _signature_block(block: dict[str, Any]) -> list[str]:
    signed = [f"  {s['signer']}, {s['capacity']}: {s['act']}"
              f"{' ad referendum' if s['ad_referendum'] else ''}"
              f"{' (' + s['meaning'] + ')' if s['meaning'] else ''} ({s['status']}, {s['time']})"
              for s in block["signatures"]]  # fmt: skip
    return [f"For {block['state']}:", *(signed or ["  (not signed)"])]


def _roll_call(d: dict[str, Any]) -> list[str]:
    if d["procedure"] != "vote":
        return []
    answers = d["roll_call"] or d["votes"]
    return [f"{'Roll-call' if d['roll_call'] else 'Votes'}: "
            + ", ".join(f"{code} {answer}" for code, answer in answers)]  # fmt: skip


def _statement(s: dict[str, Any]) -> str:
    when = f", {s['timing']}" if s["timing"] else ""
    seated = f" ({s['seating']})" if s["seating"] else ""
    return f"{s['state']}{seated}, {s['kind']}{when}, on {s['subject']}: {s['text']}"


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
