"""End-to-end encryption over a real relay: the relay's database and logs hold no plaintext;
a removed member, with every key it ever held and the whole database, reads nothing sent
after its removal; a late joiner reads what the channel's history rule allows; moved
ciphertext is reported as tampering."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest

from accord.core import events as ev
from accord.core.epochs import Encrypted, NoKeyError, decrypt_body
from accord.core.keyring import Keyring
from accord.core.sealing import TamperedError
from accord.core.verify import fold
from accord.node.client import RelayClient
from accord.node.session import Node, NodeError
from tests.delegations import Cast, convene, now
from tests.relay_process import relay

pytestmark = pytest.mark.slow

# Every phrase said in the scenario, each distinctive enough to be found if stored.
BEFORE = {
    "plenary": ["Chair: the session on confidence-building measures is open.",
                "Arcadia tables a proposal on points of contact within 30 days."],
    "arc-bor": ["Arcadia to Borduria: could you live with 45 days in private?"],
    "wg": ["Working group: Arcadia suggests a reachability test every six months.",
           "Borduria replies that annual tests would suffice."],
}  # fmt: skip
AFTER = {
    "plenary": ["Calvia notes that the Borduria delegation has been replaced."],
    "arc-bor": ["Arcadia keeps this bilateral channel for the new Borduria delegate."],
    "wg": ["Calvia, newly in the working group, supports a yearly test."],
}


def _speak(cast: Cast, who: str, channel: str, text: str) -> None:
    node = cast.host if who == "chair" else cast.delegates[who]
    node.post(cast.conf, text, now(), channel)


def _texts(node: Node, conf: str, channel: str) -> list[str | None]:
    return [r.text for r in node.messages(conf) if r.message.channel == channel]


def _scenario(cast: Cast) -> None:
    conf = cast.conf
    ana, boris, carla = (cast.delegates[c] for c in ("ARC", "BOR", "CAL"))
    ana.open_channel(conf, "arc-bor", "bilateral", ["ARC", "BOR"], now(), "from_join")
    ana.open_channel(conf, "wg", "group", ["ARC", "BOR"], now(), "all")
    _speak(cast, "chair", "plenary", BEFORE["plenary"][0])
    _speak(cast, "ARC", "plenary", BEFORE["plenary"][1])
    _speak(cast, "ARC", "arc-bor", BEFORE["arc-bor"][0])
    _speak(cast, "ARC", "wg", BEFORE["wg"][0])
    _speak(cast, "BOR", "wg", BEFORE["wg"][1])
    # Calvia joins the working group late: its whole history is hers to read, but only a
    # member holding the current key can pass it on; Arcadia's node does so when it syncs.
    ana.change_members(conf, "wg", ["CAL"], [], now())
    with pytest.raises(NodeError, match="must rekey it first"):
        carla.post(conf, AFTER["wg"][0], now(), "wg")
    assert "wg" in ana.rekey_due(conf, now())
    # Borduria's ministry revokes its delegate; the chair publishes the revocation.
    revocation = cast.ministries["BOR"].revoke_powers(
        "BOR", cast.credentials["BOR"], "laptop stolen", now()
    )
    cast.host.publish_revocation(conf, revocation, now())
    boris.sync(conf)
    _speak(cast, "CAL", "plenary", AFTER["plenary"][0])
    _speak(cast, "ARC", "arc-bor", AFTER["arc-bor"][0])
    _speak(cast, "CAL", "wg", AFTER["wg"][0])
    for node in (cast.host, ana, boris, carla):
        assert node.sync(conf).alert is None


def test_encrypted_channels_over_a_relay(tmp_path: Path) -> None:
    db = tmp_path / "relay.sqlite"
    with relay(f"sqlite:///{db}", tmp_path) as r:
        cast = convene(r.url, tmp_path)
        try:
            _scenario(cast)
            conf = cast.conf
            ana, boris, carla = (cast.delegates[c] for c in ("ARC", "BOR", "CAL"))

            # Members read exactly their channels; the late joiner reads the whole history
            # of the working group, whose rule is `all`.
            for channel in ("plenary", "arc-bor", "wg"):
                assert _texts(ana, conf, channel) == BEFORE[channel] + AFTER[channel]
            assert _texts(carla, conf, "plenary") == BEFORE["plenary"] + AFTER["plenary"]
            assert _texts(carla, conf, "wg") == BEFORE["wg"] + AFTER["wg"]
            assert _texts(carla, conf, "arc-bor") == [None, None]
            assert _texts(cast.host, conf, "arc-bor") == [None, None]  # not the chair's
            # Borduria's node read everything until the revocation, nothing after.
            for channel in ("plenary", "arc-bor", "wg"):
                assert _texts(boris, conf, channel) == BEFORE[channel] + [None]

            # The removed member, with its keystore's device keys, every epoch key it ever
            # obtained and a copy of the relay's whole database, reads nothing after.
            with sqlite3.connect(db) as c:
                stored = [
                    (json.loads(e), json.loads(rc))
                    for e, rc in c.execute("SELECT event, receipt FROM entries ORDER BY seq")
                ]
            state = fold(stored)  # the copy verifies: it is the genuine record
            rows = [ev.Event.parse(e, check_signature=False) for e, _ in stored]
            keyring = Keyring(conf, boris.device_keys(), lambda seq: rows[seq])
            revoked_at = next(i for i, e in enumerate(rows) if e.type == ev.REVOCATION)
            held = []
            for channel, epochs in state.epochs.items():
                for epoch in epochs:
                    with contextlib.suppress(NoKeyError):
                        held.append(keyring.epoch_key(state, channel, epoch.number))
            assert held, "Borduria held keys before its removal"
            after = [s for s in state.messages if s > revoked_at]
            assert len(after) == 3
            for seq in after:
                with pytest.raises(NoKeyError):
                    keyring.read_message(state, seq)
                body = rows[seq].body
                assert isinstance(body, Encrypted)
                for key in held:
                    with pytest.raises(TamperedError):
                        decrypt_body(key, rows[seq].signed, body)
        finally:
            cast.close()
        log = (tmp_path / "relay.log").read_bytes()
    # The relay's whole database (and its write-ahead log, if any) and its logs hold none
    # of what was said; nor does any node's replica, which stores the log as received.
    files = [db, *db.parent.glob("relay.sqlite-*")]
    replicas = list(tmp_path.glob("*/replica.sqlite"))
    assert replicas
    haystacks = [p.read_bytes() for p in files + replicas] + [log]
    for phrase in [p for ps in (*BEFORE.values(), *AFTER.values()) for p in ps]:
        for words in (phrase, phrase.split(":")[-1].strip()):
            assert all(words.encode() not in h for h in haystacks), words


def test_moved_ciphertext_is_reported_as_tampering(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'r.sqlite'}", tmp_path) as r:
        cast = convene(r.url, tmp_path)
        try:
            conf = cast.conf
            ana, carla = cast.delegates["ARC"], cast.delegates["CAL"]
            ana.post(conf, "Arcadia's confidential fallback position.", now())
            carla.sync(conf)
            view = carla.view(conf)
            original = view.state.messages  # type: ignore[union-attr]
            seq = max(original)
            stored = carla.replica.entry(conf, seq)
            assert stored is not None
            stolen = stored[0]["body"]
            # Calvia (a member, holding the key) re-signs Arcadia's ciphertext as her own.
            event = carla.author(conf, view).event(view, ev.MESSAGE, stolen, now())
            with RelayClient(r.url, carla.identity) as client:
                client.submit(event)
            ana.sync(conf)
            read = ana.messages(conf)
            assert read[-2].text == "Arcadia's confidential fallback position."
            assert read[-1].text is None and read[-1].problem is not None
            assert read[-1].problem.startswith("TAMPERED")
            alerts = [a for a in ana.replica.alerts(conf) if a.code == "tampered_content"]
            assert [a.seq for a in alerts] == [seq + 1]
            assert "altered or moved" in alerts[0].message
        finally:
            cast.close()


def test_a_changed_key_of_a_verified_contact_raises_an_alert(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'r.sqlite'}", tmp_path) as r:
        cast = convene(r.url, tmp_path, states=("ARC", "BOR"))
        try:
            conf = cast.conf
            ana, boris = cast.delegates["ARC"], cast.delegates["BOR"]
            fp, number = ana.safety_number(conf, "BOR", "Boris Vlk")
            _, theirs = boris.safety_number(conf, "ARC", "Ana Reyes")
            assert number == theirs  # both sides compute the same number to compare
            with pytest.raises(NodeError, match="not the safety number"):
                ana.mark_verified(conf, "BOR", "Boris Vlk", "1234")
            ana.mark_verified(conf, "BOR", "Boris Vlk", number)
            assert ana.is_verified(fp)
            # Borduria's ministry re-issues full powers to "Boris Vlk" for another key:
            # whoever holds it joins.
            other = Node.create(tmp_path / "other-boris", "another passphrase")
            key = other.create_identity()
            credential = cast.ministries["BOR"].issue_powers(
                "BOR", "Boris Vlk", key, ["negotiate"], [conf], now()
            )
            other.join(r.url, conf, credential, cast.genesis, now())
            ana.sync(conf)
            alerts = [a for a in ana.replica.alerts(conf) if a.code == "verified_key_changed"]
            assert len(alerts) == 1 and "Compare safety numbers again" in alerts[0].message
            other.close()
        finally:
            cast.close()
