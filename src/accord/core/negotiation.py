"""The negotiation as every member computes it: texts and their versions, proposals with
support and opposition, paragraph status, decisions and their outcomes, statements.

It folds the *decrypted* content of the negotiation events of a verified log. The public
verifier has already checked each act's signature, credential and type-level power; this
fold applies the rules that depend on content (a vote on an open decision, an objection
before the close, a proposal against the current version...). An act that breaks them is
kept in `flags` with the reason, and has no effect: a chair's "adopted" that the log does
not support is shown as such, never as adopted.

What it records is in `accord.core.proceedings`; the rules for each act are in
`accord.core.text_acts`, `accord.core.decision_acts` and `accord.core.statement_acts`.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from accord.core import decision_acts, statement_acts, text_acts
from accord.core import events as ev
from accord.core.epochs import NoKeyError
from accord.core.errors import AccordError
from accord.core.keyring import Keyring
from accord.core.proceedings import (
    Decision,
    Flag,
    Group,
    Motion,
    Outcome,
    Refused,
    Signature,
    Statement,
    TextRecord,
)
from accord.core.sealing import TamperedError
from accord.core.state import ConferenceState
from accord.core.texts import CompiledParagraph, Proposal, compile_paragraph

MIN_PREFIX = 6  # characters of a proposal's id that name it (ids are shown shortened)


@dataclass
class Negotiation:
    state: ConferenceState
    texts: dict[str, TextRecord] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)
    motions: dict[str, Motion] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)  # negotiating groups (12.8)
    decisions: dict[str, Decision] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    last_time: int = 0

    # -- folding ----------------------------------------------------------------------
    def apply(self, seq: int, time: int, event: ev.Event, content: dict[str, Any]) -> None:
        """Fold one decrypted negotiation act (already verified in the log)."""
        self.last_time = max(self.last_time, time)
        who, state, powers = self.actor(event)
        void = self.state.voided.get(seq)
        if void is not None:  # made under powers revoked as of an earlier date (7.3)
            self.flags.append(Flag(seq, who, void))
            return
        handler = _HANDLERS[event.type]
        try:
            handler(self, seq, time, event, content, state, powers)
        except (Refused, AccordError) as exc:
            self.flags.append(Flag(seq, who, str(exc)))
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            # Content of the wrong shape deep inside (a list where an id belongs...).
            self.flags.append(Flag(seq, who, f"malformed content: {exc!r}"))

    def trial(self, seq: int, time: int, event: ev.Event, content: dict[str, Any]) -> str | None:
        """Why the act would have no effect if it were the next entry (`seq`, received at
        `time`), by the very rules of the fold; None if it would take effect. The fold
        itself is left as it was: the act is applied to a copy."""
        after = _copy(self)
        after.apply(seq, time, event, content)
        flag = next((f.reason for f in after.flags if f.seq == seq), None)
        if flag is not None:
            return flag
        late = next((d for d in after.decisions.values() if any(x.seq == seq for x in d.late)),
                    None)  # fmt: skip
        if late is not None:
            return f"it would come after the deadline of {late.id}: the silence has held"
        return None

    def actor(self, event: ev.Event) -> tuple[str, str | None, frozenset[str]]:
        if event.cred is None:
            return f"the chair ({self.state.genesis.chair.name})", None, frozenset()
        fp = self.state.credentials[event.cred]
        return fp.label(), fp.state, frozenset(fp.powers)

    def adopted(self, version_hash: str) -> Decision | None:
        """The decision by which a whole version was adopted, if one was."""
        return next(
            (d for d in self.decisions.values()
             if d.subject.hash == version_hash and d.subject.paragraph is None
             and d.subject.kind == "adoption"
             and d.outcome(self.last_time) == Outcome.ADOPTED),
            None,
        )  # fmt: skip

    def proposal(self, prefix: str) -> Proposal:
        """The proposal whose id starts with `prefix` (ids are shown shortened)."""
        full = prefix if prefix.startswith("sha256:") else "sha256:" + prefix
        if len(full) < len("sha256:") + MIN_PREFIX:
            raise AccordError(
                f"give a proposal's id, at least its first {MIN_PREFIX} characters as shown "
                f"(not {prefix!r})"
            )
        found = [p for pid, p in self.proposals.items() if pid.startswith(full)]
        if len(found) != 1:
            raise AccordError(
                f"{'no' if not found else 'more than one'} proposal starts with {prefix!r}"
            )
        return found[0]

    def debate_motion(self, text_id: str, kind: str) -> Motion | None:
        """The motion of `kind` adopted on the current version of `text_id`, if any: its
        effect lasts until the next version is tabled."""
        record = self.texts.get(text_id)
        return next(
            (m for m in self.motions.values()
             if m.kind == kind and m.text_id == text_id and m.decided == "adopted"
             and record is not None and m.version == record.current.number),
            None,
        )  # fmt: skip

    def check_seating(self) -> None:
        """12.5: every seating the chair recorded follows a decision of the plenary that
        approved that very report, taken before. The relay cannot read decisions, so the
        seating took effect in the public record; a member flags one that has no decision
        behind it, for the conference to set right."""
        for report, (seq, decision_id) in sorted(self.state.seating.applied.items()):
            d = self.decisions.get(decision_id)
            approved = (
                d is not None and d.subject.kind == "credentials" and d.subject.hash == report
                and d.closed_seq is not None and d.closed_seq < seq
                and d.outcome(self.last_time) == Outcome.ADOPTED
            )  # fmt: skip
            if not approved:
                self.flags.append(Flag(
                    seq, f"the chair ({self.state.genesis.chair.name})",
                    f"recorded the seating on the credentials report of "
                    f"#{self.state.seating.reports[report][0]} citing decision {decision_id}, "
                    "which did not approve that report: the seating stands in the public "
                    "record without the plenary's decision",
                ))  # fmt: skip

    def record(self, text_id: str) -> TextRecord:
        record = self.texts.get(text_id)
        if record is None:
            raise Refused(f"there is no text {text_id!r}")
        return record

    # -- the compiled text ------------------------------------------------------------
    def compiled(self, text_id: str, version: int | None = None) -> list[CompiledParagraph]:
        record = self.record(text_id)
        v = record.current if version is None else record.versions[version - 1]
        current = version is None or version == len(record.versions)
        # The proposals made on that version and not withdrawn: on the current version they
        # are the open ones (a proposal is decided by the next version); an earlier version
        # shows what was proposed on it, decided since or not.
        # A proposal rejected by a decision is closed.
        made = [
            p for p in self.proposals.values()
            if p.amendment.text_id == text_id and p.amendment.version == v.number
            and p.withdrawn_at is None and not (current and p.decided == "rejected")
        ]  # fmt: skip
        # Under the package rule, ad ref marks hold only once the whole text is adopted:
        # asked once per text, not for every paragraph.
        provisional = self.state.genesis.rules.procedure.package and not any(
            self.adopted(x.hash) for x in record.versions
        )
        out = []
        for paragraph in v.paragraphs:
            mine = [p for p in made if p.amendment.paragraph == paragraph.id]
            status = record.status.get(paragraph.id, "open") if current else "open"
            compiled = compile_paragraph(paragraph, mine, status)  # it skips new paragraphs
            if current:
                compiled = dataclasses.replace(
                    compiled, note=_note(record, paragraph.id, status, provisional)
                )
            out.append(compiled)
            for p in sorted((p for p in mine if p.amendment.op == "add_after"), key=_seq):
                assert p.amendment.new_paragraph is not None
                new = compile_paragraph(p.amendment.new_paragraph, [], "open")
                out.append(dataclasses.replace(new, replacements=(p,), proposed=True))
        return out

    def render(self, text_id: str, version: int | None = None) -> str:
        record = self.record(text_id)
        v = record.current if version is None else record.versions[version - 1]
        lines = [f"{v.title} (version {v.number}, {v.hash})", ""]
        lines += [c.render() for c in self.compiled(text_id, version)]
        return "\n".join(lines)


def _note(record: TextRecord, pid: str, status: str, provisional: bool) -> str:
    """What the compiled text says beside a paragraph: who reopened it and why; under the
    package rule, that its ad ref mark holds only with the whole text."""
    reopened = record.reopened.get(pid)
    if reopened is not None:
        return f"reopened by {reopened.by}" + (f": {reopened.reason}" if reopened.reason else "")
    if status == "agreed_ad_ref" and provisional:
        return "provisional: nothing is agreed until everything is agreed"
    return ""


def _copy(n: Negotiation) -> Negotiation:
    """A copy of the fold that shares the (public) conference state, which acts on the
    negotiation never change."""
    return copy.deepcopy(n, memo={id(n.state): n.state})


def _seq(p: Proposal) -> int:
    return p.seq


# The rules of the fold, one function per act (docs/protocol.md 12.2).
_HANDLERS = {
    ev.TEXT: text_acts.table_text,
    ev.AMEND: text_acts.amend,
    ev.STANCE: text_acts.take_stance,
    ev.PARAGRAPH_STATUS: text_acts.mark_paragraph,
    ev.DECISION: decision_acts.open_decision,
    ev.OBJECTION: decision_acts.object_to,
    ev.VOTE: decision_acts.cast_vote,
    ev.CLOSE: decision_acts.close_decision,
    ev.STATEMENT: statement_acts.make_statement,
    ev.SIGNATURE: decision_acts.sign,
    ev.CONFIRMATION: decision_acts.confirm,
    ev.MOTION: decision_acts.move,
    ev.GROUP: statement_acts.form_group,
}


def read(
    state: ConferenceState,
    keyring: Keyring,
    entries: Iterable[tuple[int, int, ev.Event]],
    now: int,
) -> Negotiation:
    """Decrypt the negotiation acts among `entries` (sequence number, receipt time, event)
    with `keyring` and fold them; an act that does not decrypt is flagged, not applied."""
    acts = []
    unread = []
    for seq, time, event in entries:
        if event.type not in ev.NEGOTIATION_TYPES:
            continue
        try:
            acts.append((seq, time, event, keyring.content(state, event)))
        except (NoKeyError, TamperedError) as exc:
            unread.append(Flag(seq, state.author_label(event), f"not read: {exc}"))
    negotiation = fold(state, acts, now)
    negotiation.flags = sorted(negotiation.flags + unread, key=lambda f: f.seq)
    return negotiation


def fold(
    state: ConferenceState, acts: list[tuple[int, int, ev.Event, dict[str, Any]]], now: int
) -> Negotiation:
    """The negotiation from the decrypted negotiation acts of a verified log, in order;
    `now` is the log's latest receipt time (a silence procedure ends at its deadline)."""
    negotiation = Negotiation(state)
    for seq, time, event, content in acts:
        negotiation.apply(seq, time, event, content)
    negotiation.last_time = max(negotiation.last_time, now)
    negotiation.check_seating()
    return negotiation
