"""Restricted documents from a node (docs/protocol.md 12.6 and 12.7): circulate a text to
named delegations, one traceable copy each; open one's copy and sign for it; name the
recipient of a copy that leaked."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any, NamedTuple

from accord.core import copies
from accord.core import events as ev
from accord.core.credentials import FullPowers
from accord.core.errors import AccordError
from accord.core.restricted import MARKINGS, Copy, DocumentRecord, open_copy, seal_copies
from accord.core.state import ConferenceState
from accord.node.base import NodeError
from accord.node.negotiating import Negotiating


class Circulated(NamedTuple):
    receipt: dict[str, Any]
    capacity: int  # wording sites that tell copies apart without the invisible marks


class Leak(NamedTuple):
    trace: copies.Trace
    receipts: dict[str, list[tuple[int, str]]]  # by state: who signed for its copy, where


class Documents(Negotiating):
    """Restricted documents: circulated, opened and signed for, traced."""

    def circulate(
        self, conf: str, document: str, title: str, marking: str, paragraphs: Sequence[str],
        recipients: Sequence[str], now: int,
    ) -> Circulated:  # fmt: skip
        """Circulate `paragraphs` to `recipients` (state codes) as `document`, each copy
        worded for its recipient; refused here if a recipient could not receive it."""
        if marking not in MARKINGS:
            raise NodeError(f"a marking is one of: {', '.join(sorted(MARKINGS))}")
        if not paragraphs or not recipients:
            raise NodeError("a document has at least one paragraph and one recipient")
        self.sync(conf)
        state = self._documents_state(conf)
        devices = {}
        for code in sorted(set(recipients)):
            devices[code] = state.devices_of(state.identities_of(code, now))
            if not devices[code]:
                raise NodeError(
                    f"not sent: {code} has no seated delegate with a device in {conf}, so "
                    "nobody could open its copy"
                )
        self.ensure_device(conf, now)  # the circulator keeps every copy
        try:
            texts = copies.make_copies(paragraphs, sorted(devices), secrets.token_bytes(32))
        except ValueError as exc:
            raise NodeError(f"not sent: {exc}") from exc

        def make(view: Any) -> dict[str, Any]:
            author = self.author(conf, view, as_chair=True)
            now_state = view.state
            own = now_state.devices_of(frozenset({author.key.public.text}))
            body = seal_copies(conf, document, title, marking, texts, devices, own)
            return author.event(view, ev.DOCUMENT, body, now)

        receipt = self.act_checked(conf, now, make)
        return Circulated(receipt, copies.capacity(paragraphs))

    def documents(self, conf: str) -> dict[str, DocumentRecord]:
        self.sync(conf)
        return self._documents_state(conf).documents

    def read_document(self, conf: str, document: str, now: int) -> Copy:
        """Open this delegation's copy of `document` and, the first time, sign for it
        (a `document_receipt` naming the copy's commitment)."""
        self.sync(conf)
        state = self._documents_state(conf)
        record = self._record(state, document)
        credential = self._membership(conf).credential
        if credential is None:
            raise NodeError("the chair circulates documents and keeps every copy: use trace")
        fp = FullPowers.parse(credential)
        try:
            copy = open_copy(conf, record.body, fp.state, self.device_keys())
        except AccordError as exc:
            raise NodeError(f"{document}: {exc}") from exc
        signed = any(label == fp.label() for _, label in record.receipts.get(fp.state, []))
        if not signed:
            body = {"document": document, "commit": copy.commit}
            self.act_checked(
                conf, now, lambda view: self.author(conf, view).event(
                    view, ev.DOCUMENT_RECEIPT, body, now)
            )  # fmt: skip
        return copy

    def trace_leak(self, conf: str, document: str, leaked: str) -> Leak:
        """Which recipient's copy `leaked` (any part of it, retyped or not) comes from:
        only the circulator, who keeps every copy, can tell."""
        self.sync(conf)
        state = self._documents_state(conf)
        record = self._record(state, document)
        if record.author != self.identity.public.text:
            raise NodeError(f"only the circulator of {document} holds every copy to compare")
        held = {}
        for code in record.body.distribution:
            try:
                held[code] = open_copy(conf, record.body, code, self.device_keys()).paragraphs
            except AccordError as exc:
                raise NodeError(f"{document}: {exc}") from exc
        return Leak(copies.trace(leaked, held), record.receipts)

    def _documents_state(self, conf: str) -> ConferenceState:
        state = self.view(conf).state
        assert state is not None
        return state

    @staticmethod
    def _record(state: ConferenceState, document: str) -> DocumentRecord:
        record = state.documents.get(document)
        if record is None:
            raise NodeError(f"there is no document {document!r}")
        return record
