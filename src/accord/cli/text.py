"""Negotiating texts: `accord text ...` (table, revise, show, export, amend, support,
oppose, withdraw, agree, reopen, diff), `accord signature`, `accord final-act`.

Every act is encrypted, signed and posted in the plenary through the node; every view
(`text show`) is recomputed from the node's verified replica. Word and PDF load only in
the commands that read or write them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from accord.cli.common import CONF, HOME, TEXT, console, open_node, posted, refresh, version_of
from accord.core import events as ev
from accord.core.errors import AccordError
from accord.core.revision import describe
from accord.core.texts import Version, diff_versions
from accord.documents.typed_text import Reading, read_lines
from accord.infra.clock import now_ms
from accord.infra.record_file import write_record
from accord.node import acts


def _read_version(path: Path, text_id: str | None = None, number: int = 1) -> dict[str, Any]:
    """A version from JSON, or from a Word document or a typed text file (then `text_id`
    names it); what was read of a document is shown."""
    if path.suffix.lower() in (".docx", ".txt"):
        reading = _read_typed(path, text_id, number)
        _show_reading(reading)
        return reading.version
    try:
        value = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise typer.BadParameter(f"{path}: {exc}") from exc
    Version.parse(value)  # refuse here what every member would flag
    assert isinstance(value, dict)
    return value


def _read_typed(path: Path, text_id: str | None, number: int) -> Reading:
    from accord.documents.word import DocxImportError, read_docx  # noqa: PLC0415

    if text_id is None:
        raise typer.BadParameter("reading a document needs --text (the text's id)")
    try:
        if path.suffix.lower() == ".docx":
            return read_docx(path, text_id, number)
        return read_lines(path.read_text("utf-8").splitlines(), text_id, number)
    except (DocxImportError, AccordError, OSError) as exc:
        raise typer.BadParameter(str(exc)) from exc


def _show_reading(reading: Reading) -> None:
    """Each paragraph as read, and each line not taken, with why."""
    v = reading.version
    console.print(f"[bold]{escape(v['title'])}[/bold]: {len(v['paragraphs'])} paragraph(s)")
    for p in v["paragraphs"]:
        words = Version.parse(v).paragraph(p["id"])
        first = (words.plain if words else "")[:70]
        console.print(f"  {escape(p['number'])} ({p['kind']}, id {p['id']}): {escape(first)}")
    for at, line, why in reading.skipped:
        console.print(f"  [yellow]line {at} not taken[/yellow] ({why}): {escape(line[:70])}")


PARAGRAPH_HELP = "The paragraph, as `text show` prints it (2, PP1, 1 bis, Article 5 bis) or its id."
text_app = typer.Typer(help="Negotiating texts: table, amend, revise, read.", no_args_is_help=True)


@text_app.command("table")
def table(
    conf: str = CONF,
    file: Path = typer.Argument(
        ..., help="A JSON version, a Word document (.docx) or a typed text (.txt)."
    ),
    text: str | None = typer.Option(None, "--text", help="The text's id (.docx, .txt)."),
    preview: bool = typer.Option(
        False, "--preview", help="Show how the document is read; table nothing."
    ),
    home: Path = HOME,
) -> None:
    """The chair tables a text: a JSON version (text, version 1, title, paragraphs), or
    a Word document or typed text with numbered paragraphs and square brackets (how it
    was read is shown first)."""
    version = _read_version(file, text)
    if preview:
        return
    with open_node(home) as node:
        receipt = node.negotiate(conf, ev.TEXT, acts.table(version), now_ms())
        void = node.effect(conf, receipt)
    posted(f"{version['text']} version {version['version']} tabled", receipt, void)


@text_app.command("revise")
def revise(
    conf: str = CONF,
    file: Path | None = typer.Argument(
        None, help="The old way: the whole revised version as JSON (with --incorporate, "
        "--merge, --drop)."
    ),
    text: str | None = typer.Option(None, "--text", help="The text's id."),
    accept: list[str] = typer.Option(
        [], "--accept", help="A proposal (its id or a prefix) applied as proposed: incorporated."
    ),
    merge: list[str] = typer.Option(
        [], "--merge", help="A proposal merged in your own words (--wording, or --typed)."
    ),
    reject: list[str] = typer.Option([], "--reject", help="A proposal dropped."),
    carry: list[str] = typer.Option(
        [], "--carry", help="A proposal kept open against the next version (rules of "
        "procedure 2)."
    ),
    wording: list[str] = typer.Option(
        [], "--wording", help="PARAGRAPH=WORDS: your wording for a paragraph, named as "
        "`text show` prints it (2, PP1, Article 5 bis)."
    ),
    typed: Path | None = typer.Option(
        None, "--typed", help="The computed text as you edited it (from --out): issued with "
        "the same choices, each checked against it."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Write the computed text as typed text, to edit; nothing is issued."
    ),
    preview: bool = typer.Option(
        False, "--preview", help="Show the next version and each proposal's fate; sign nothing."
    ),
    incorporate: list[str] = typer.Option([], "--incorporate", help="The old way: a proposal "
                                          "the JSON version incorporates."),
    drop: list[str] = typer.Option([], "--drop", help="The old way: a proposal dropped."),
    home: Path = HOME,
) -> None:  # fmt: skip
    """The chair issues the next version by deciding each open proposal of the current
    one: --accept (applied as proposed), --merge (in your own words), --reject, or --carry
    (it stays open). The next version and what becomes of each proposal are shown first;
    --out writes it as typed text to edit, --typed issues the edited text."""
    if file is not None:
        if accept or reject or carry or wording or typed or out or preview:
            raise typer.BadParameter(
                "a JSON version is the old way (--incorporate, --merge, --drop); to revise by "
                "deciding the proposals, give --text and no file"
            )
        _revise_retyped(conf, file, incorporate, merge, drop, home)
        return
    if incorporate or drop:
        raise typer.BadParameter("--incorporate and --drop go with a JSON version; "
                                 "here: --accept and --reject")  # fmt: skip
    if text is None:
        raise typer.BadParameter("name the text revised: --text")
    choices = _choices({"accept": accept, "merge": merge, "reject": reject, "carry": carry})
    words = _wording(wording)
    edited = None
    if typed is not None:
        try:
            edited = typed.read_text("utf-8")
        except OSError as exc:
            raise typer.BadParameter(f"{typed}: {exc}") from exc
    with open_node(home) as node:
        node.sync(conf)
        negotiation = node.negotiation(conf)
        draft = preview or out is not None
        made = acts.proposed_revision(negotiation, text, choices, edited, words, draft)
        console.print(escape(made.summary))
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(acts.typed(Version.parse(made.version)), "utf-8")
            console.print(
                f"written to {escape(str(out))}: edit it, keeping the paragraph numbers, then "
                f"issue it with --typed {escape(str(out))} and the same choices"
            )
        if draft:
            return
        content = acts.revision(made.version, made.outcomes)
        receipt = node.negotiate(conf, ev.TEXT, content, now_ms())
        void = node.effect(conf, receipt)
    posted(f"{text} version {made.version['version']} issued", receipt, void)


def _choices(given: dict[str, list[str]]) -> dict[str, str]:
    """Proposal (id or prefix) -> the chair's choice; one proposal, one choice."""
    choices: dict[str, str] = {}
    for choice, prefixes in given.items():
        for prefix in prefixes:
            if choices.setdefault(prefix, choice) != choice:
                raise typer.BadParameter(f"proposal {prefix} is given two choices "
                                         f"({choices[prefix]}, {choice})")  # fmt: skip
    return choices


def _wording(items: list[str]) -> dict[str, str]:
    """`--wording PARAGRAPH=WORDS`, by paragraph as given."""
    words: dict[str, str] = {}
    for item in items:
        where, sep, said = item.partition("=")
        if not sep or not where.strip() or not said.strip():
            raise typer.BadParameter(f"--wording {item!r}: write PARAGRAPH=WORDS, e.g. 2=...")
        words[where.strip()] = said.strip()
    return words


def _revise_retyped(
    conf: str, file: Path, incorporate: list[str], merge: list[str], drop: list[str],
    home: Path,
) -> None:  # fmt: skip
    """The old way: a whole version retyped as JSON, with what became of each proposal."""
    version = _read_version(file)  # JSON: a revision names its version number
    with open_node(home) as node:
        node.sync(conf)
        negotiation = node.negotiation(conf)
        outcomes = [
            (negotiation.proposal(p).id, outcome)
            for outcome, ids in (("incorporated", incorporate), ("merged", merge),
                                 ("dropped", drop))
            for p in ids
        ]  # fmt: skip
        try:
            content = acts.revision(version, outcomes)
        except acts.ActError as exc:
            raise typer.BadParameter(str(exc)) from exc
        receipt = node.negotiate(conf, ev.TEXT, content, now_ms())
        void = node.effect(conf, receipt)
    posted(f"{version['text']} version {version['version']} issued", receipt, void)


@text_app.command("show")
def show(
    conf: str = CONF,
    text: str = TEXT,
    version: int | None = typer.Option(None, "--version"),
    home: Path = HOME,
) -> None:
    """The compiled text: brackets, alternatives, attributions, ad ref marks."""
    with open_node(home) as node:
        refresh(node, conf)
        negotiation = node.negotiation(conf)
    shown = version_of(negotiation, text, version)
    console.print(escape(negotiation.render(text, shown.number)))
    console.print(
        "  (name a paragraph by its number as printed, or by its id: "
        + escape(", ".join(f"{acts.printed(p)} = {p.id}" for p in shown.paragraphs))
        + ")"
    )
    versions = negotiation.texts[text].versions
    for p in negotiation.proposals.values():
        if p.amendment.text_id == text and p.open:
            made_on = versions[p.amendment.version - 1]
            console.print(
                f"  proposal {p.id.removeprefix('sha256:')[:12]} on version {made_on.number}: "
                + escape(describe(p, made_on))
            )
    for f in negotiation.flags:
        console.print(f"  [yellow]no effect[/yellow] #{f.seq} {escape(f.who)}: {escape(f.reason)}")


@text_app.command("export")
def export_text(
    conf: str = CONF, text: str = TEXT,
    out: Path = typer.Option(..., "--out", help="A .docx or .pdf file."), home: Path = HOME,
) -> None:  # fmt: skip
    """The compiled text as a Word document a secretariat would circulate (.docx), or
    as PDF (.pdf)."""
    with open_node(home) as node:
        node.sync(conf)
        negotiation = node.negotiation(conf)
    version = version_of(negotiation, text, None)
    if out.suffix.lower() == ".pdf":
        from accord.documents.pdf import lines_pdf  # noqa: PLC0415

        lines = [c.render() for c in negotiation.compiled(text)]
        lines_pdf(out, version.title, lines,
                  footer=f"{text} version {version.number} {version.hash}")  # fmt: skip
    else:
        from accord.documents.word import export_compiled  # noqa: PLC0415

        export_compiled(out, negotiation, text)
    console.print(f"compiled text of {text} written to {out}")


@text_app.command("amend")
def amend(
    conf: str = CONF,
    text: str = TEXT,
    paragraph: str = typer.Option(..., "--paragraph", help=PARAGRAPH_HELP),
    op: str = typer.Option(
        ...,
        "--op",
        help="replace_words, insert_words, delete_words, "
        "replace_paragraph, add_after, delete_paragraph",
    ),
    old: str | None = typer.Option(
        None, "--old", help="The words replaced, deleted, or after which to insert."
    ),
    new: str | None = typer.Option(None, "--new", help="The new words or paragraph text."),
    occurrence: int = typer.Option(1, "--occurrence"),
    new_id: str | None = typer.Option(None, "--new-id", help="add_after: the new id."),
    new_number: str | None = typer.Option(None, "--new-number"),
    rationale: str | None = typer.Option(None, "--rationale"),
    home: Path = HOME,
) -> None:
    """Propose an amendment to a paragraph of the current version."""
    with open_node(home) as node:
        node.sync(conf)
        current = version_of(node.negotiation(conf), text, None)
        content = acts.amendment(
            current, paragraph, op, old, new, occurrence, new_id, new_number, rationale
        )
        receipt = node.negotiate(conf, ev.AMEND, content, now_ms())
        void = node.effect(conf, receipt)
    posted("proposal made", receipt, void)


def _stance(conf: str, proposal: str, what: str, home: Path) -> None:
    with open_node(home) as node:
        node.sync(conf)
        content = acts.stance(node.negotiation(conf).proposal(proposal).id, what)
        receipt = node.negotiate(conf, ev.STANCE, content, now_ms())
        void = node.effect(conf, receipt)
    posted(f"{what} recorded", receipt, void)


@text_app.command("support")
def support(conf: str = CONF, proposal: str = typer.Argument(...), home: Path = HOME) -> None:
    """Support another delegation's proposal."""
    _stance(conf, proposal, "support", home)


@text_app.command("oppose")
def oppose(conf: str = CONF, proposal: str = typer.Argument(...), home: Path = HOME) -> None:
    """Oppose another delegation's proposal."""
    _stance(conf, proposal, "oppose", home)


@text_app.command("withdraw")
def withdraw(conf: str = CONF, proposal: str = typer.Argument(...), home: Path = HOME) -> None:
    """Withdraw your delegation's proposal."""
    _stance(conf, proposal, "withdraw", home)


def _status(conf: str, text: str, paragraph: str, what: str, reason: str | None,
            home: Path, as_chair: bool = True) -> None:  # fmt: skip
    with open_node(home) as node:
        node.sync(conf)
        current = version_of(node.negotiation(conf), text, None)
        content = acts.paragraph_status(current, paragraph, what, reason)
        receipt = node.negotiate(conf, ev.PARAGRAPH_STATUS, content, now_ms(), as_chair)
        void = node.effect(conf, receipt)
    posted(f"paragraph {paragraph} {what.replace('_', ' ')}", receipt, void)


@text_app.command("agree")
def agree(
    conf: str = CONF, text: str = TEXT,
    paragraph: str = typer.Option(..., "--paragraph", help=PARAGRAPH_HELP), home: Path = HOME,
) -> None:  # fmt: skip
    """The chair marks a paragraph agreed ad referendum."""
    _status(conf, text, paragraph, "agreed_ad_ref", None, home)


@text_app.command("reopen")
def reopen(
    conf: str = CONF, text: str = TEXT,
    paragraph: str = typer.Option(..., "--paragraph", help=PARAGRAPH_HELP),
    reason: str = typer.Option(..., "--reason"), home: Path = HOME,
    as_chair: bool = typer.Option(
        True, "--as-chair/--as-state",
        help="A presiding delegate reopens as chair (default) or for its state.",
    ),
) -> None:  # fmt: skip
    """Reopen a paragraph agreed ad ref (the reason is recorded)."""
    _status(conf, text, paragraph, "open", reason, home, as_chair)


@text_app.command("diff")
def diff(
    conf: str = CONF, text: str = TEXT,
    a: int = typer.Option(..., "--from"), b: int = typer.Option(..., "--to"),
    home: Path = HOME,
) -> None:  # fmt: skip
    """What changed between two versions, paragraph by paragraph."""
    with open_node(home) as node:
        refresh(node, conf)
        negotiation = node.negotiation(conf)
    before, after = version_of(negotiation, text, a), version_of(negotiation, text, b)
    for change in diff_versions(before, after):
        console.print(f"{change.number} ({change.change}): {escape(change.words)}")


def final_act_cmd(
    conf: str = CONF, text: str = TEXT,
    out: Path = typer.Option(..., "--out"),
    html: Path | None = typer.Option(None, "--html", help="Also a readable HTML copy."),
    pdf: Path | None = typer.Option(None, "--pdf", help="Also a readable PDF copy."),
    home: Path = HOME,
) -> None:  # fmt: skip
    """Export the final act of the latest adopted version: one file anyone verifies
    offline with `accord verify`, and readable renderings of what it proves."""
    from accord.core.final_act import verify as verify_final_act  # noqa: PLC0415

    if html:  # a missing extra is said before anything is written
        from accord.documents.html import final_act_html  # noqa: PLC0415
    if pdf:
        from accord.documents.pdf import final_act_pdf  # noqa: PLC0415
    with open_node(home) as node:
        data = node.final_act(conf, text)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_record(out, [data])
    console.print(f"final act written to {out}; check it with `accord verify {out}`")
    if html or pdf:
        report = verify_final_act(data)  # renderings show only what verification shows
        if html:
            html.write_text(final_act_html(report), "utf-8")
            console.print(f"HTML rendering: {html}")
        if pdf:
            final_act_pdf(report, pdf)
            console.print(f"PDF rendering: {pdf}")


def signature_cmd(
    conf: str = CONF, text: str = TEXT,
    version: int | None = typer.Option(None, "--version", help="Default: the current one."),
    initial: bool = typer.Option(False, "--initial", help="Initial (authenticate) only."),
    ad_referendum: bool = typer.Option(False, "--ad-referendum",
                                       help="Pending until your state's root confirms."),
    home: Path = HOME,
) -> None:  # fmt: skip
    """Sign (or initial) an adopted version of a text for your state."""
    with open_node(home) as node:
        node.sync(conf)
        v = version_of(node.negotiation(conf), text, version)
        content = acts.signature(v, initial, ad_referendum)
        receipt = node.negotiate(conf, ev.SIGNATURE, content, now_ms())
        void = node.effect(conf, receipt)
    posted(f"{content['act']} of {text} version {v.number}", receipt, void)
