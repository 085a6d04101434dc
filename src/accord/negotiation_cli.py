"""The negotiation's commands: `accord text ...`, `accord decision ...`, `accord statement`.

Every act is encrypted, signed and posted in the plenary through the node; every view
(`text show`, `decision show`) is recomputed from the node's verified replica.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from accord.core import events as ev
from accord.core.errors import AccordError
from accord.core.final_act import verify as verify_final_act
from accord.core.negotiation import Negotiation
from accord.core.texts import Version, diff_versions
from accord.core.times import format_time
from accord.docx_io import DocxImportError, export_compiled, import_docx
from accord.node import acts
from accord.node_cli import HOME, _node, _now, console, err
from accord.record_file import write_record
from accord.rendering import final_act_html, final_act_pdf, lines_pdf


def _read_version(path: Path, text_id: str | None = None, number: int = 1) -> dict[str, Any]:
    """A version from JSON, or from a Word document (then `text_id` names it)."""
    if path.suffix.lower() == ".docx":
        if text_id is None:
            raise typer.BadParameter("importing a Word document needs --text (the text's id)")
        try:
            return import_docx(path, text_id, number)
        except (DocxImportError, AccordError) as exc:
            raise typer.BadParameter(str(exc)) from exc
    try:
        value = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise typer.BadParameter(f"{path}: {exc}") from exc
    Version.parse(value)  # refuse here what every member would flag
    assert isinstance(value, dict)
    return value


def _version_of(negotiation: Negotiation, text: str, number: int | None) -> Version:
    try:
        return acts.version_of(negotiation, text, number)
    except acts.ActError as exc:
        raise typer.BadParameter(str(exc)) from exc


def _deadline(text: str, zone: str) -> int:
    try:
        return acts.deadline_ms(text, zone)
    except acts.ActError as exc:
        raise typer.BadParameter(str(exc)) from exc


def _posted(what: str, receipt: dict[str, Any], void: str | None = None) -> None:
    """The receipt of an act; one the record gives no effect is reported as refused."""
    where = (
        f"entry #{receipt['seq']}, receipt time {format_time(receipt['time'])}, "
        f"id {receipt['event']}"
    )
    if void is not None:
        err.print(f"[red]recorded, but without effect[/red] ({where}): {escape(void)}")
        raise typer.Exit(1)
    console.print(f"{what}: {where}")


def register(app: typer.Typer) -> None:
    text_app = typer.Typer(
        help="Negotiating texts: table, amend, revise, read.", no_args_is_help=True
    )
    decision_app = typer.Typer(help="Decisions: consensus, silence, vote.", no_args_is_help=True)
    app.add_typer(text_app, name="text")
    app.add_typer(decision_app, name="decision")
    conf_opt = typer.Option(..., "--conf")
    text_opt = typer.Option(..., "--text", help="The text's id.")

    @text_app.command("table")
    def table(
        conf: str = conf_opt,
        file: Path = typer.Argument(..., help="A JSON version, or a Word document (.docx)."),
        text: str | None = typer.Option(None, "--text", help="The text's id (for .docx)."),
        home: Path = HOME,
    ) -> None:
        """The chair tables a text: a JSON version (text, version 1, title, paragraphs), or
        a Word document with numbered paragraphs and square brackets."""
        version = _read_version(file, text)
        with _node(home) as node:
            receipt = node.negotiate(conf, ev.TEXT, acts.table(version), _now())
            void = node.effect(conf, receipt)
        _posted(f"{version['text']} version {version['version']} tabled", receipt, void)

    @text_app.command("revise")
    def revise(
        conf: str = conf_opt,
        file: Path = typer.Argument(..., help="The revised version, as JSON."),
        incorporate: list[str] = typer.Option([], "--incorporate", help="A proposal id."),
        merge: list[str] = typer.Option([], "--merge", help="A proposal id."),
        drop: list[str] = typer.Option([], "--drop", help="A proposal id."),
        home: Path = HOME,
    ) -> None:
        """The chair issues a revised version, saying what became of each proposal."""
        version = _read_version(file)  # JSON: a revision names its version number
        with _node(home) as node:
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
            receipt = node.negotiate(conf, ev.TEXT, content, _now())
            void = node.effect(conf, receipt)
        _posted(f"{version['text']} version {version['version']} issued", receipt, void)

    @text_app.command("show")
    def show(
        conf: str = conf_opt,
        text: str = text_opt,
        version: int | None = typer.Option(None, "--version"),
        home: Path = HOME,
    ) -> None:
        """The compiled text: brackets, alternatives, attributions, ad ref marks."""
        with _node(home) as node:
            node.sync(conf)
            negotiation = node.negotiation(conf)
        console.print(
            escape(negotiation.render(text, _version_of(negotiation, text, version).number))
        )
        for p in negotiation.proposals.values():
            if p.amendment.text_id == text and p.open:
                console.print(
                    f"  proposal {p.id.removeprefix('sha256:')[:12]} by {p.state}: "
                    f"{p.amendment.op} in {p.amendment.paragraph}"
                )
        for f in negotiation.flags:
            console.print(
                f"  [yellow]no effect[/yellow] #{f.seq} {escape(f.who)}: {escape(f.reason)}"
            )

    @text_app.command("export")
    def export_text(
        conf: str = conf_opt, text: str = text_opt,
        out: Path = typer.Option(..., "--out", help="A .docx or .pdf file."), home: Path = HOME,
    ) -> None:  # fmt: skip
        """The compiled text as a Word document a secretariat would circulate (.docx), or
        as PDF (.pdf)."""
        with _node(home) as node:
            node.sync(conf)
            negotiation = node.negotiation(conf)
        version = _version_of(negotiation, text, None)
        if out.suffix.lower() == ".pdf":
            lines = [c.render() for c in negotiation.compiled(text)]
            lines_pdf(out, version.title, lines,
                      footer=f"{text} version {version.number} {version.hash}")  # fmt: skip
        else:
            export_compiled(out, negotiation, text)
        console.print(f"compiled text of {text} written to {out}")

    @text_app.command("amend")
    def amend(
        conf: str = conf_opt,
        text: str = text_opt,
        paragraph: str = typer.Option(..., "--paragraph", help="The paragraph's id."),
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
        with _node(home) as node:
            node.sync(conf)
            current = _version_of(node.negotiation(conf), text, None)
            content = acts.amendment(
                current, paragraph, op, old, new, occurrence, new_id, new_number, rationale
            )
            receipt = node.negotiate(conf, ev.AMEND, content, _now())
            void = node.effect(conf, receipt)
        _posted("proposal made", receipt, void)

    def _stance(conf: str, proposal: str, what: str, home: Path) -> None:
        with _node(home) as node:
            node.sync(conf)
            content = acts.stance(node.negotiation(conf).proposal(proposal).id, what)
            receipt = node.negotiate(conf, ev.STANCE, content, _now())
            void = node.effect(conf, receipt)
        _posted(f"{what} recorded", receipt, void)

    @text_app.command("support")
    def support(
        conf: str = conf_opt, proposal: str = typer.Argument(...), home: Path = HOME
    ) -> None:
        """Support another delegation's proposal."""
        _stance(conf, proposal, "support", home)

    @text_app.command("oppose")
    def oppose(
        conf: str = conf_opt, proposal: str = typer.Argument(...), home: Path = HOME
    ) -> None:
        """Oppose another delegation's proposal."""
        _stance(conf, proposal, "oppose", home)

    @text_app.command("withdraw")
    def withdraw(
        conf: str = conf_opt, proposal: str = typer.Argument(...), home: Path = HOME
    ) -> None:
        """Withdraw your delegation's proposal."""
        _stance(conf, proposal, "withdraw", home)

    def _status(conf: str, text: str, paragraph: str, what: str, reason: str | None,
                home: Path, as_chair: bool = True) -> None:  # fmt: skip
        with _node(home) as node:
            node.sync(conf)
            current = _version_of(node.negotiation(conf), text, None)
            content = acts.paragraph_status(current, paragraph, what, reason)
            receipt = node.negotiate(conf, ev.PARAGRAPH_STATUS, content, _now(), as_chair)
            void = node.effect(conf, receipt)
        _posted(f"paragraph {paragraph} {what.replace('_', ' ')}", receipt, void)

    @text_app.command("agree")
    def agree(
        conf: str = conf_opt, text: str = text_opt,
        paragraph: str = typer.Option(..., "--paragraph"), home: Path = HOME,
    ) -> None:  # fmt: skip
        """The chair marks a paragraph agreed ad referendum."""
        _status(conf, text, paragraph, "agreed_ad_ref", None, home)

    @text_app.command("reopen")
    def reopen(
        conf: str = conf_opt, text: str = text_opt,
        paragraph: str = typer.Option(..., "--paragraph"),
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
        conf: str = conf_opt, text: str = text_opt,
        a: int = typer.Option(..., "--from"), b: int = typer.Option(..., "--to"),
        home: Path = HOME,
    ) -> None:  # fmt: skip
        """What changed between two versions, paragraph by paragraph."""
        with _node(home) as node:
            negotiation = node.negotiation(conf)
        before, after = _version_of(negotiation, text, a), _version_of(negotiation, text, b)
        for change in diff_versions(before, after):
            console.print(f"{change.number} ({change.change}): {escape(change.words)}")

    @decision_app.command("open")
    def open_decision(
        conf: str = conf_opt,
        decision: str = typer.Option(..., "--id"),
        text: str = text_opt,
        version: int | None = typer.Option(None, "--version", help="Default: the current one."),
        paragraph: str | None = typer.Option(None, "--paragraph"),
        procedure: str = typer.Option("consensus", "--procedure", help="consensus, silence, vote"),
        rule: str | None = typer.Option(
            None, "--rule", help="vote: simple_majority or two_thirds_majority"
        ),
        deadline: str | None = typer.Option(None, "--deadline", help="silence: 2026-12-04 12:00"),
        time_zone: str = typer.Option("UTC", "--time-zone", help="silence: e.g. Europe/Vienna"),
        home: Path = HOME,
    ) -> None:
        """The chair opens a decision on a version (or a paragraph of it)."""
        with _node(home) as node:
            node.sync(conf)
            v = _version_of(node.negotiation(conf), text, version)
            when = _deadline(deadline, time_zone) if deadline else None
            content = acts.decision(decision, v, paragraph, procedure, rule, when, time_zone)
            receipt = node.negotiate(conf, ev.DECISION, content, _now())
            void = node.effect(conf, receipt)
        _posted(f"decision {decision} opened ({procedure})", receipt, void)

    @decision_app.command("object")
    def object_(
        conf: str = conf_opt, decision: str = typer.Option(..., "--id"),
        reason: str = typer.Option(..., "--reason"),
        amendment: bool = typer.Option(False, "--amendment", help="Break silence with an "
                                       "amendment rather than an objection."),
        home: Path = HOME,
    ) -> None:  # fmt: skip
        """Object (consensus), or break silence; keep the receipt: it proves the time."""
        content = acts.objection(decision, reason, amendment)
        with _node(home) as node:
            receipt = node.negotiate(conf, ev.OBJECTION, content, _now())
            void = node.effect(conf, receipt)
        _posted("objection recorded", receipt, void)

    @decision_app.command("vote")
    def vote(
        conf: str = conf_opt, decision: str = typer.Option(..., "--id"),
        choice: str = typer.Argument(..., help="yes, no or abstain"),
        explanation: str | None = typer.Option(None, "--explanation"), home: Path = HOME,
    ) -> None:  # fmt: skip
        """Cast your state's vote (one per state)."""
        with _node(home) as node:
            content = acts.vote(decision, choice, explanation)
            receipt = node.negotiate(conf, ev.VOTE, content, _now())
            void = node.effect(conf, receipt)
        _posted("vote cast", receipt, void)

    @decision_app.command("close")
    def close(
        conf: str = conf_opt, decision: str = typer.Option(..., "--id"),
        outcome: str = typer.Option(..., "--outcome", help="adopted or not_adopted"),
        home: Path = HOME,
    ) -> None:  # fmt: skip
        """The chair closes a decision and declares its outcome (every member checks it)."""
        with _node(home) as node:
            receipt = node.negotiate(conf, ev.CLOSE, acts.close(decision, outcome), _now())
            void = node.effect(conf, receipt)
        _posted(f"decision {decision} closed", receipt, void)

    @decision_app.command("show")
    def show_decisions(conf: str = conf_opt, home: Path = HOME) -> None:
        """Every decision, its procedure, and the outcome recomputed from the record."""
        with _node(home) as node:
            node.sync(conf)
            negotiation = node.negotiation(conf)
        for d in negotiation.decisions.values():
            outcome = d.outcome(negotiation.last_time)
            line = f"{d.id}: {d.procedure} on {escape(d.subject.label())}: [bold]{outcome}[/bold]"
            if d.deadline is not None:
                line += f", deadline {format_time(d.deadline)} ({escape(d.time_zone or '')})"
            if d.procedure == "vote":
                line += f", {d.tally()}"
            console.print(line)
            for seq, time, state, kind, _ in d.objections:
                console.print(f"  {kind} by {state}, #{seq} received {format_time(time)}")
            for seq, time, state, kind in d.late:
                console.print(
                    f"  late {kind} by {state}, #{seq} received {format_time(time)}: no effect"
                )
        for s in negotiation.statements:
            console.print(
                f"statement ({s.kind}) by {s.state} on {escape(s.subject)}: {escape(s.text)}"
            )
        for f in negotiation.flags:
            console.print(
                f"[yellow]no effect[/yellow] #{f.seq} {escape(f.who)}: {escape(f.reason)}"
            )

    @app.command("final-act")
    def final_act_cmd(
        conf: str = conf_opt, text: str = text_opt,
        out: Path = typer.Option(..., "--out"),
        html: Path | None = typer.Option(None, "--html", help="Also a readable HTML copy."),
        pdf: Path | None = typer.Option(None, "--pdf", help="Also a readable PDF copy."),
        home: Path = HOME,
    ) -> None:  # fmt: skip
        """Export the final act of the latest adopted version: one file anyone verifies
        offline with `accord verify`, and readable renderings of what it proves."""
        with _node(home) as node:
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

    @app.command("signature")
    def signature_cmd(
        conf: str = conf_opt, text: str = text_opt,
        version: int | None = typer.Option(None, "--version", help="Default: the current one."),
        initial: bool = typer.Option(False, "--initial", help="Initial (authenticate) only."),
        ad_referendum: bool = typer.Option(False, "--ad-referendum",
                                           help="Pending until your state's root confirms."),
        home: Path = HOME,
    ) -> None:  # fmt: skip
        """Sign (or initial) an adopted version of a text for your state."""
        with _node(home) as node:
            node.sync(conf)
            v = _version_of(node.negotiation(conf), text, version)
            content = acts.signature(v, initial, ad_referendum)
            receipt = node.negotiate(conf, ev.SIGNATURE, content, _now())
            void = node.effect(conf, receipt)
        _posted(f"{content['act']} of {text} version {v.number}", receipt, void)

    @app.command("statement")
    def statement(
        conf: str = conf_opt,
        kind: str = typer.Option(
            ..., "--kind", help="reservation, interpretative, explanation_of_position, dissociation"
        ),
        words: str = typer.Argument(..., help="The statement."),
        decision: str | None = typer.Option(None, "--decision"),
        text: str | None = typer.Option(None, "--text"),
        paragraph: str | None = typer.Option(None, "--paragraph"),
        home: Path = HOME,
    ) -> None:
        """A statement attributed to your state, on a decision or a paragraph."""
        content = acts.statement(kind, words, decision, text, paragraph)
        with _node(home) as node:
            receipt = node.negotiate(conf, ev.STATEMENT, content, _now())
            void = node.effect(conf, receipt)
        _posted("statement recorded", receipt, void)
