"""Decisions: `accord decision ...` (open, object, vote, close, show), `accord statement`.

Every act is encrypted, signed and posted in the plenary through the node; `decision
show` is recomputed from the node's verified replica.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from accord.cli.common import CONF, HOME, console, open_node, posted, refresh, version_of
from accord.core import events as ev
from accord.core.times import format_time
from accord.infra.clock import now_ms
from accord.node import acts
from accord.node.local_time import at

if TYPE_CHECKING:
    from accord.core.negotiation import Negotiation
    from accord.core.texts import Version
    from accord.node.session import Node


def _deadline(text: str, zone: str) -> int:
    try:
        return acts.deadline_ms(text, zone, now_ms())
    except acts.ActError as exc:
        raise typer.BadParameter(str(exc)) from exc


def _post(
    home: Path,
    conf: str,
    type: str,
    content: dict[str, Any] | Callable[[Node], dict[str, Any]],
    done: str,
) -> None:
    """Post the negotiation act of `type` in the plenary and report its receipt (`done`),
    or the reason the record gives it no effect. Its `content`, or what makes it from the
    open node (content that cites the record)."""
    with open_node(home) as node:
        made = content(node) if callable(content) else content
        receipt = node.negotiate(conf, type, made, now_ms())
        void = node.effect(conf, receipt)
    posted(done, receipt, void)


decision_app = typer.Typer(help="Decisions: consensus, silence, vote.", no_args_is_help=True)


@decision_app.command("open")
def open_decision(
    conf: str = CONF,
    decision: str = typer.Option(..., "--id"),
    text: str | None = typer.Option(None, "--text", help="The text's id (not for credentials)."),
    version: int | None = typer.Option(None, "--version", help="Default: the current one."),
    paragraph: str | None = typer.Option(
        None, "--paragraph", help="As `text show` prints it (2, PP1, Article 5 bis) or its id."
    ),
    procedure: str = typer.Option("consensus", "--procedure", help="consensus, silence, vote"),
    rule: str | None = typer.Option(
        None, "--rule", help="vote: simple_majority or two_thirds_majority"
    ),
    deadline: str | None = typer.Option(
        None, "--deadline", help="silence: 2026-12-04 12:00, or from now: +96h, +4d"
    ),
    time_zone: str = typer.Option("UTC", "--time-zone", help="silence: e.g. Europe/Vienna"),
    kind: str = typer.Option(
        "adoption", "--kind",
        help="Under rules of procedure 2: adoption, basis (accept the version as the basis "
        "for negotiation), proposal (decide on a delegation's proposal, --proposal), motion "
        "(a procedural motion, --motion) or credentials (approve a credentials report, "
        "--report).",
    ),
    proposal: str | None = typer.Option(None, "--proposal", help="The proposal's id (prefix)."),
    motion: str | None = typer.Option(
        None, "--motion", help="The motion's id (prefix), as `decision show` lists it."
    ),
    report: str | None = typer.Option(
        None, "--report", help="The credentials report's id (prefix)."
    ),
    home: Path = HOME,
) -> None:  # fmt: skip
    """The chair opens a decision on a version (or a paragraph of it), on a proposal, or
    on a report of the credentials committee."""

    def content(node: Node) -> dict[str, Any]:
        node.sync(conf)
        when = _deadline(deadline, time_zone) if deadline else None
        if kind == "credentials":
            if report is None:
                raise typer.BadParameter("a decision on credentials names the report: --report")
            full = node.report_hash(conf, report)
            return acts.credentials_decision(decision, full, procedure, rule, when, time_zone)
        if text is None:
            raise typer.BadParameter("name the text decided on: --text")
        negotiation = node.negotiation(conf)
        v = version_of(negotiation, text, version)
        if negotiation.state.genesis.rules.procedure.version == 1:
            if kind != "adoption" or proposal:
                raise typer.BadParameter("this conference decides under rules of procedure 1: "
                                         "adoption of a version or paragraph only")  # fmt: skip
            return acts.decision(decision, v, paragraph, procedure, rule, when, time_zone)
        if kind == "motion":
            prefix = motion or ""
            full = prefix if prefix.startswith("sha256:") else "sha256:" + prefix
            found = [m for m in negotiation.motions if m.startswith(full)]
            if len(found) != 1:
                raise typer.BadParameter(f"{'no' if not found else 'more than one'} motion "
                                         f"starts with {motion!r}")  # fmt: skip
            pid: str | None = found[0]
        else:
            pid = negotiation.proposal(proposal).id if proposal else None
        return acts.decision(decision, v, paragraph, procedure, rule, when, time_zone, kind, pid)

    _post(home, conf, ev.DECISION, content, f"decision {decision} opened ({procedure})")


@decision_app.command("move")
def move(
    conf: str = CONF,
    motion: str = typer.Option(
        ..., "--motion", help="closure_of_debate, adjournment_of_debate or division"
    ),
    text: str = typer.Option(..., "--text", help="The text's id."),
    reason: str = typer.Option(..., "--reason"),
    part: list[str] = typer.Option(
        [],
        "--part",
        help="division: a paragraph decided separately, as `text show` prints "
        "it or its id (repeat).",
    ),
    home: Path = HOME,
) -> None:
    """Move a procedural motion on a text's current version (rules of procedure 2); the
    chair puts it to the body (`decision open --kind motion`)."""

    def content(node: Node) -> dict[str, Any]:
        node.sync(conf)
        current = version_of(node.negotiation(conf), text, None)
        parts = [acts.paragraph_id(current, p) for p in part]
        return acts.motion(motion, text, reason, parts)

    _post(home, conf, ev.MOTION, content, f"motion for {motion.replace('_', ' ')} moved")


@decision_app.command("object")
def object_(
    conf: str = CONF, decision: str = typer.Option(..., "--id"),
    reason: str = typer.Option(..., "--reason"),
    amendment: bool = typer.Option(False, "--amendment", help="Break silence with an "
                                   "amendment rather than an objection."),
    request_vote: bool = typer.Option(False, "--request-vote", help="Request a vote "
                                      "(rules of procedure 2): there is then no consensus."),
    home: Path = HOME,
) -> None:  # fmt: skip
    """Object (consensus), or break silence; keep the receipt: it proves the time."""
    content = acts.objection(decision, reason, amendment, request_vote)
    done = "objection recorded"
    if request_vote or amendment:
        done = "request for a vote recorded" if request_vote else "silence broken by an amendment"
    _post(home, conf, ev.OBJECTION, content, done)


@decision_app.command("vote")
def vote(
    conf: str = CONF, decision: str = typer.Option(..., "--id"),
    choice: str = typer.Argument(
        ..., help="yes, no or abstain; under rules of procedure 2 also present (not voting)"
    ),
    explanation: str | None = typer.Option(None, "--explanation"), home: Path = HOME,
) -> None:  # fmt: skip
    """Cast your state's vote (one per state)."""
    _post(home, conf, ev.VOTE, acts.vote(decision, choice, explanation), "vote cast")


@decision_app.command("close")
def close(
    conf: str = CONF, decision: str = typer.Option(..., "--id"),
    outcome: str = typer.Option(..., "--outcome", help="adopted or not_adopted"),
    home: Path = HOME,
) -> None:  # fmt: skip
    """The chair closes a decision and declares its outcome (every member checks it)."""
    _post(home, conf, ev.CLOSE, acts.close(decision, outcome), f"decision {decision} closed")


@decision_app.command("show")
def show_decisions(conf: str = CONF, home: Path = HOME) -> None:
    """Every decision, its procedure, and the outcome recomputed from the record."""
    with open_node(home) as node:
        refresh(node, conf)
        negotiation = node.negotiation(conf)
    for d in negotiation.decisions.values():
        outcome = d.outcome(negotiation.last_time).replace("_", " ")
        line = f"{d.id}: {d.procedure} on {escape(d.subject.label())}: [bold]{outcome}[/bold]"
        if d.deadline is not None:
            line += f", deadline {escape(at(d.deadline, d.time_zone or 'UTC'))}"
        if d.procedure == "vote":
            t = d.tally()
            line += f", {t['yes']} yes, {t['no']} no, {t['abstain']} abstaining"
            if d.settings.version > 1:
                roll = ", ".join(f"{state} {answer}" for state, answer in d.roll_call())
                quorum = "" if d.quorum_met else f"; no quorum ({d.settings.quorum} needed)"
                line += f"; roll-call: {roll}{quorum}"
        console.print(line)
        for seq, time, state, kind, _ in d.objections:
            console.print(f"  {kind} by {state}, #{seq} received {format_time(time)}")
        for seq, time, state, kind in d.late:
            console.print(
                f"  late {kind} by {state}, #{seq} received {format_time(time)}: no effect"
            )
    for m in negotiation.motions.values():
        parts = f" ({', '.join(m.parts)})" if m.parts else ""
        console.print(f"motion {m.id}: {escape(m.label())}{parts}, #{m.seq}: "
                      f"{m.decided or 'not yet decided'}")  # fmt: skip
    for s in negotiation.statements:
        when = f", {s.timing} the decision" if s.timing else ""
        by = f"{s.state} (observer)" if s.observer else s.state
        if s.on_behalf_of:
            by += f", on behalf of {s.on_behalf_of}"
        if s.aligns_with is not None:
            by += f", aligning with #{s.aligns_with}"
        console.print(
            f"statement ({s.kind}{when}) by {by} on {escape(s.subject)}: {escape(s.text)}"
        )
    for f in negotiation.flags:
        console.print(f"[yellow]no effect[/yellow] #{f.seq} {escape(f.who)}: {escape(f.reason)}")


def statement(
    conf: str = CONF,
    kind: str = typer.Option(
        ..., "--kind",
        help="reservation, interpretative, explanation_of_position, explanation_of_vote, "
        "dissociation; under rules of procedure 2 also alignment (--aligns-with) and "
        "facilitator_report",
    ),
    words: str = typer.Argument(..., help="The statement."),
    decision: str | None = typer.Option(None, "--decision"),
    text: str | None = typer.Option(None, "--text"),
    paragraph: str | None = typer.Option(
        None, "--paragraph", help="As `text show` prints it (2, PP1, Article 5 bis) or its id."
    ),
    on_behalf_of: str | None = typer.Option(
        None, "--on-behalf-of", help="As spokesperson, on behalf of this group (its id)."
    ),
    aligns_with: int | None = typer.Option(
        None, "--aligns-with", help="The entry of the group statement you align with."
    ),
    home: Path = HOME,
) -> None:  # fmt: skip
    """A statement attributed to your state, on a decision or a paragraph."""

    def content(node: Node) -> dict[str, Any]:
        where = paragraph
        if paragraph is not None:
            node.sync(conf)
            where = acts.paragraph_id(_stated_on(node.negotiation(conf), decision, text),
                                      paragraph)  # fmt: skip
        return acts.statement(kind, words, decision, text, where, on_behalf_of, aligns_with)

    _post(home, conf, ev.STATEMENT, content, "statement recorded")


def _stated_on(negotiation: Negotiation, decision: str | None, text: str | None) -> Version:
    """The version a statement's paragraph is in: the one decided on, or the text's
    current one."""
    if decision is not None:
        d = negotiation.decisions.get(decision)
        if d is None or not d.subject.text_id:
            raise typer.BadParameter(f"no decision {decision!r} on a text to name a paragraph of")
        return version_of(negotiation, d.subject.text_id, d.subject.version)
    if text is None:
        raise typer.BadParameter("a paragraph is of a text: --text, or --decision")
    return version_of(negotiation, text, None)
