"""Contacts: safety numbers to compare out of band, and delegates verified by them."""

from __future__ import annotations

from accord.core.credentials import FullPowers
from accord.core.keys import PublicKey, safety_number
from accord.node.base import NodeError
from accord.node.syncing import Syncing


class Contacts(Syncing):
    """Out-of-band verification: safety numbers and delegates marked verified."""

    def contact(self, conf: str, state_code: str, delegate: str) -> FullPowers:
        """The current full powers (not revoked) of a delegate, by state and name."""
        self.sync(conf)
        state = self.view(conf).state
        assert state is not None
        found = [
            fp for fp in state.credentials.values()
            if (fp.state, fp.delegate) == (state_code, delegate) and state.revocation(fp) is None
        ]  # fmt: skip
        if not found:
            raise NodeError(f"no delegate {delegate!r} of {state_code} holds full powers in {conf}")
        return found[-1]

    def safety_number(self, conf: str, state_code: str, delegate: str) -> tuple[FullPowers, str]:
        """The safety number to compare, out of band, with that delegate."""
        fp = self.contact(conf, state_code, delegate)
        return fp, safety_number(self.identity.public, fp.key)

    def safety_number_with(self, key: PublicKey) -> str:
        return safety_number(self.identity.public, key)

    def mark_verified(self, conf: str, state_code: str, delegate: str, number: str) -> FullPowers:
        """Record that the safety number was compared and matched (it must match the one
        computed here); the mark holds until that delegate's key changes."""
        fp, expected = self.safety_number(conf, state_code, delegate)
        if "".join(number.split()) != "".join(expected.split()):
            raise NodeError(
                f"that is not the safety number with {fp.label()}: do not mark them verified; "
                "someone may be impersonating them"
            )
        self.replica.mark_verified(fp.state, fp.delegate, fp.key.text)
        return fp

    def is_verified(self, fp: FullPowers) -> bool:
        known = self.replica.verified_contacts().get((fp.state, fp.delegate))
        return known is not None and known[0] == fp.key.text
