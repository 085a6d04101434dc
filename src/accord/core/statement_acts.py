"""The rules of the fold for statements and negotiating groups (docs/protocol.md 12.2, 12.4,
12.8): statements on a text, a paragraph or a decision (before or after it was taken),
an observer's contribution, a facilitator's report, a spokesperson speaking on behalf of
its group, an alignment with a group's statement; and founding or joining a group. Each
function applies one act to the `Negotiation`, or raises `Refused` with the reason."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from accord.core import decision_acts, schema
from accord.core import events as ev
from accord.core.proceedings import (
    STATEMENT_KINDS,
    STATEMENT_KINDS_2,
    Group,
    Outcome,
    Refused,
    Statement,
)
from accord.core.texts import TEXT_ID, paragraph_label

if TYPE_CHECKING:
    from accord.core.negotiation import Negotiation


def make_statement(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    version_2 = n.state.genesis.rules.procedure.version > 1
    d = schema.obj(content, "statement", ("subject", "kind", "text"),
                   ("on_behalf_of", "aligns_with") if version_2 else ())  # fmt: skip
    kind = schema.choice(d["kind"], "statement kind",
                         STATEMENT_KINDS_2 if version_2 else STATEMENT_KINDS)  # fmt: skip
    text = schema.text(d["text"], "statement", schema.MAX_REASON * 10)
    s = schema.obj(d["subject"], "statement subject", ("decision", "text", "paragraph"))
    if state is None:
        raise Refused("statements are made by delegations")
    if kind == "alignment" or "aligns_with" in d:
        _record_statement(n, _alignment(n, seq, state, kind, text, d.get("aligns_with")))
        return
    if kind == "facilitator_report" and not any(
        n.state.meetings.facilitator_at(item, seq) == state for item in _items(n)
    ):
        raise Refused(f"{state} facilitates no item: only a facilitator reports to the plenary")
    if s["decision"] is not None and version_2:
        statement = _statement_on_decision(n, seq, state, kind, text, s)
    elif s["decision"] is not None:
        decision = decision_acts.decision_named(n, {"decision": s["decision"]})
        subject = f"decision {decision.id} on {decision.subject.label()}"
        statement = Statement(seq, state, kind, subject, text, decision=decision.id)
    else:
        record = n.record(schema.text(s["text"], "text id", pattern=TEXT_ID))
        pid = s["paragraph"]
        paragraph = record.current.paragraph(pid)  # None for None: no paragraph has that id
        if pid is not None and paragraph is None:
            raise Refused("no such paragraph")
        subject = f"{s['text']}" + (f", paragraph {paragraph.number}" if paragraph else "")
        statement = Statement(seq, state, kind, subject, text, text_id=record.current.text_id)
    # An observer's statement is its written contribution, labelled as such wherever shown.
    observer = n.state.states[state].role == "observer"
    group = _spoken_for(n, state, d.get("on_behalf_of"))
    _record_statement(n, dataclasses.replace(statement, observer=observer, on_behalf_of=group))


def _record_statement(n: Negotiation, statement: Statement) -> None:
    """A statement, in the list and in the history of the text it is on."""
    n.statements.append(statement)
    record = n.texts.get(statement.text_id or "")
    if record is not None:
        by = statement.state + (" (observer)" if statement.observer else "")
        record.history.append((statement.seq, f"{statement.kind.replace('_', ' ')} by {by} on "
                               f"{statement.subject}"))  # fmt: skip


def _items(n: Negotiation) -> set[str]:
    return {item for _, item, _ in n.state.meetings.appointments}


def _spoken_for(n: Negotiation, state: str, group_id: Any) -> str | None:
    """12.8: a spokesperson speaks on behalf of its group and the members that joined it."""
    if group_id is None:
        return None
    group = n.groups.get(group_id) if isinstance(group_id, str) else None
    if group is None:
        raise Refused("no such negotiating group")
    if group.spokesperson != state:
        raise Refused(f"{group.spokesperson}, not {state}, speaks on behalf of {group.name}")
    return group.label()


def _alignment(
    n: Negotiation, seq: int, state: str, kind: str, text: str, target: Any
) -> Statement:
    """12.8: a delegation aligns itself with a statement made on behalf of a group; the
    alignment is attached to what that statement was."""
    if kind != "alignment" or type(target) is not int:
        raise Refused("an alignment names the entry of a group's statement (aligns_with)")
    spoken = next((x for x in n.statements if x.seq == target and x.on_behalf_of), None)
    if spoken is None:
        raise Refused(f"entry #{target} is no statement made on behalf of a group")
    if spoken.state == state:
        raise Refused("a group's spokesperson does not align with its own statement")
    return dataclasses.replace(spoken, seq=seq, state=state, kind=kind, text=text,
                               timing=None, on_behalf_of=None, aligns_with=target,
                               observer=n.state.states[state].role == "observer")  # fmt: skip


def form_group(
    n: Negotiation, seq: int, time: int, event: ev.Event, content: dict[str, Any],
    state: str | None, powers: frozenset[str],
) -> None:  # fmt: skip
    """12.8: a spokesperson founds a negotiating group listing its members; each member
    listed joins it with the same act naming the group only."""
    if n.state.genesis.rules.procedure.version < 2:
        raise Refused("negotiating groups exist under rules of procedure version 2")
    if state is None:
        raise Refused("groups are formed by delegations, not the chair")
    group_id = content.get("group") if isinstance(content, dict) else None
    group = n.groups.get(group_id) if isinstance(group_id, str) else None
    if group is None:
        d = schema.obj(content, "group", ("group", "name", "members"))
        listed = schema.string_list(d["members"], "group members", schema.STATE_CODE, 256)
        if state not in listed:
            raise Refused("the spokesperson founds a group it is a member of")
        gid = schema.text(d["group"], "group id", pattern=TEXT_ID)
        n.groups[gid] = Group(gid, schema.text(d["name"], "group name"), state, listed, seq)
        return
    schema.obj(content, "group", ("group",))
    if state not in group.listed or state == group.spokesperson:
        raise Refused(f"{state} is not listed as a member of {group.name}")
    if state in group.joined:
        raise Refused(f"{state} joined {group.name} already (#{group.joined[state]})")
    group.joined[state] = seq


def _statement_on_decision(
    n: Negotiation, seq: int, state: str, kind: str, text: str, s: dict[str, Any]
) -> Statement:
    """Under procedure 2, a statement on a decision may also name a paragraph of its
    subject, and is marked as made before the decision was taken or after."""
    decision = decision_acts.decision_named(n, {"decision": s["decision"]})
    if kind == "explanation_of_vote":
        decision_acts.may_explain(n, decision, state)
    subject = f"decision {decision.id} on {decision.subject.label()}"
    pid = s["paragraph"]
    if pid is not None and decision.subject.kind == "credentials":
        raise Refused("a decision on credentials has no paragraphs")
    if pid is not None:
        version = n.record(decision.subject.text_id).versions[decision.subject.version - 1]
        paragraph = version.paragraph(pid)
        if paragraph is None:
            raise Refused(f"{decision.subject.label()} has no such paragraph")
        subject += f", {paragraph_label(paragraph)}"
    timing = "before" if decision.outcome(n.last_time) == Outcome.OPEN else "after"
    return Statement(seq, state, kind, subject, text, decision.id, decision.subject.text_id,
                     pid, timing)  # fmt: skip
