"""A delegation's node: `Node`, its keystore, its replica, and the acts it performs via a
relay.

The CLI, the web interface and the demos drive a `Node`; tests do too. Each method does
one act of the real workflow. They live in one room per responsibility, and `Node` puts
them together:

- `base.NodeBase`: home, keystore, replica, verified views and keyrings, identity, alerts;
- `syncing.Syncing`: sync, checkpoint checks, key alerts (`alerts`: the pure policy), export;
- `conference.ConferenceActs`: create, follow, join; acts signed, submitted, confirmed;
  this node's devices;
- `channels.Channels`: messages, acts under the current epoch, rekeying, channels;
- `negotiating.Negotiating`: the negotiation's fold, acts and their effect, the final act;
- `seating.SeatingActs`: credentials lodged, reported on, and the seating recorded;
- `documents.Documents`: restricted documents circulated, opened and signed for, traced;
- `meetings.MeetingActs`: meetings opened, attended and closed; facilitators appointed;
- `contacts.Contacts`: safety numbers, verified contacts;
- `ministry.Ministry`: state roots, full powers, revocations.
"""

from __future__ import annotations

from pathlib import Path

from accord.core.codes import EPOCH_RACES
from accord.node.base import IDENTITY, NodeError
from accord.node.channels import CHAIR_ACTS, ReadMessage, chair_capacity
from accord.node.contacts import Contacts
from accord.node.documents import Documents
from accord.node.keystore import Keystore
from accord.node.meetings import MeetingActs
from accord.node.ministry import DAY_MS, Ministry, root_label
from accord.node.seating import SeatingActs
from accord.node.syncing import SyncResult

__all__ = [
    "CHAIR_ACTS", "DAY_MS", "EPOCH_RACES", "IDENTITY", "Node", "NodeError", "ReadMessage",
    "SyncResult", "chair_capacity", "root_label",
]  # fmt: skip


class Node(SeatingActs, Documents, MeetingActs, Contacts, Ministry):
    """A delegation's node, unlocked: every act of the workflow (see the module's map)."""

    @classmethod
    def create(cls, home: Path, passphrase: str) -> Node:
        return cls(home, Keystore.create(home / "keystore.json", passphrase))

    @classmethod
    def open(cls, home: Path, passphrase: str) -> Node:
        return cls(home, Keystore.open(home / "keystore.json", passphrase))
