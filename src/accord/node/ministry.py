"""A ministry's work: state roots, full powers, revocations."""

from __future__ import annotations

from typing import Any

from accord.core.credentials import issue_full_powers, revoke
from accord.core.keys import PublicKey, SigningKey
from accord.node.base import NodeBase

DAY_MS = 86_400_000


def root_label(state: str) -> str:
    return f"root:{state}"


class Ministry(NodeBase):
    """A ministry's work: state root keys, full powers issued and revoked."""

    def create_root(self, state: str) -> PublicKey:
        key = SigningKey.generate()
        self.keystore.add(root_label(state), "root", key)
        return key.public

    def issue_powers(
        self,
        state: str,
        delegate: str,
        key: PublicKey,
        powers: list[str],
        conferences: list[str],
        now: int,
        days: int = 30,
        office: str | None = None,
    ) -> dict[str, Any]:
        return issue_full_powers(
            self.keystore.get(root_label(state)), state=state, delegate=delegate, key=key,
            powers=powers, conferences=conferences, not_before=now - 60_000,
            not_after=now + days * DAY_MS, issued_at=now, office=office,
        )  # fmt: skip

    def revoke_powers(self, state: str, credential: str, reason: str, at: int) -> dict[str, Any]:
        return revoke(
            self.keystore.get(root_label(state)), state=state, credential=credential,
            revoked_at=at, reason=reason,
        )  # fmt: skip
