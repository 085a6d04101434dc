"""Credentials and seating from a node (docs/protocol.md 12.5): an authority lodges
credentials for a seat, the credentials committee (or the chair) reports, and the chair
records the seating once the plenary has approved the report.

Each act is checked here, against the record this node verified, before it is signed:
the relay would refuse most faults, but not a seating without the plenary's decision,
which only members can see.
"""

from __future__ import annotations

from typing import Any

from accord.core import events as ev
from accord.core.author import Author
from accord.core.proceedings import Outcome
from accord.core.seating import FINDINGS
from accord.core.state import ConferenceState
from accord.node.base import NodeError
from accord.node.ministry import root_label
from accord.node.negotiating import Negotiating


class SeatingActs(Negotiating):
    """Credentials lodged, reported on, and the seating recorded."""

    def lodge_credentials(
        self, conf: str, state: str, authority_name: str, now: int
    ) -> dict[str, Any]:
        """Lodge credentials for `state`'s seat, signed by this node's root key for it."""
        root = self.keystore.get(root_label(state))
        body = {"seat": state, "authority": authority_name}
        return self.act_checked(conf, now, lambda view: Author(root, conf).event(
            view, ev.CREDENTIALS, body, now))  # fmt: skip

    def report_credentials(
        self, conf: str, findings: list[tuple[str, str, str]], text: str, now: int
    ) -> dict[str, Any]:
        """The committee's report: (seat, root key or its prefix, finding) each."""
        self.sync(conf)
        state = self._state(conf)
        body = {"findings": [self._finding(state, *f) for f in findings], "text": text}
        as_chair = not state.genesis.rules.procedure.credentials_committee
        return self.act_checked(conf, now, lambda view: self.author(conf, view, as_chair).event(
            view, ev.CREDENTIALS_REPORT, body, now))  # fmt: skip

    def record_seating(self, conf: str, report: str, decision: str, now: int) -> dict[str, Any]:
        """The chair records the seating on `report` (its hash, or a prefix), after the
        plenary's `decision` approved it: refused here otherwise."""
        self.sync(conf)
        full = self.report_hash(conf, report)
        d = self.negotiation(conf).decisions.get(decision)
        if d is None or d.subject.kind != "credentials" or d.subject.hash != full:
            raise NodeError(f"decision {decision} is not a decision on that credentials report")
        if d.closed_seq is None or d.outcome(self.view(conf).last_time) != Outcome.ADOPTED:
            raise NodeError(
                f"decision {decision} has not approved the report (closed and adopted): the "
                "seating follows the plenary's decision, never precedes it"
            )
        body = {"report": full, "decision": decision}
        return self.act_checked(conf, now, lambda view: self.author(conf, view, True).event(
            view, ev.SEATING, body, now))  # fmt: skip

    # -- helpers ----------------------------------------------------------------------
    def _state(self, conf: str) -> ConferenceState:
        state = self.view(conf).state
        assert state is not None
        return state

    @staticmethod
    def _finding(state: ConferenceState, seat: str, root: str, finding: str) -> dict[str, str]:
        if finding not in FINDINGS:
            raise NodeError(f"a finding is one of {', '.join(sorted(FINDINGS))}, not {finding!r}")
        claims = [r for r in state.seating.claims.get(seat, {}) if r.startswith(root)]
        if len(claims) != 1:
            raise NodeError(
                f"{'no' if not claims else 'more than one'} authority claiming {seat}'s seat has "
                f"a root key starting {root!r}"
            )
        return {"seat": seat, "root": claims[0], "finding": finding}

    def report_hash(self, conf: str, prefix: str) -> str:
        """The hash of the credentials report that starts with `prefix`."""
        state = self._state(conf)
        full = prefix if prefix.startswith("sha256:") else "sha256:" + prefix
        found = [h for h in state.seating.reports if h.startswith(full)]
        if len(found) != 1:
            raise NodeError(f"{'no' if not found else 'more than one'} report starts {prefix!r}")
        return found[0]
