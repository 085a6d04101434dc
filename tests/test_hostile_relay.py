"""A relay whose database is tampered with, or that shows delegations different
histories: each delegation's next sync detects it, says what and where, and keeps the
replica as it was (invariant I3)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.core.author import genesis_event
from accord.core.encoding import canonical
from accord.core.keys import SigningKey
from accord.node.session import Node, NodeError
from tests.delegations import PASSPHRASE, Cast, convene, now
from tests.relay_process import RelayProcess, relay

pytestmark = pytest.mark.slow

# Genesis, the chair's device, three joins with their devices, the first plenary epoch and
# Arcadia's message: what Arcadia has verified when the others speak.
V = 10


@pytest.fixture
def talks(tmp_path: Path) -> Iterator[tuple[Cast, Path]]:
    """A conference where Arcadia has verified entries #0 to #V-1, and #V to #V+2 (three
    messages) are on the relay."""
    db = tmp_path / "relay.sqlite"
    with relay(f"sqlite:///{db}", tmp_path) as r:
        cast = convene(r.url, tmp_path)
        cast.delegates["ARC"].post(cast.conf, "Arcadia speaks first.", now())
        assert cast.delegates["ARC"].replica.length(cast.conf) == V
        cast.host.post(cast.conf, "The chair speaks.", now())
        cast.delegates["BOR"].post(cast.conf, "Borduria replies.", now())
        cast.delegates["CAL"].post(cast.conf, "Calvia replies.", now())
        try:
            yield cast, db
        finally:
            cast.close()


def _rows(db: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(db) as c:
        return list(c.execute("SELECT seq, event, receipt FROM entries ORDER BY seq"))


def _sync_alert(cast: Cast, code: str, seq: int, kept: int | None = None) -> str:
    """Arcadia syncs: the alert names `code` at `seq`; its replica keeps what it had
    verified, plus the good entries before the fault (`kept` in all)."""
    arc = cast.delegates["ARC"]
    before = list(arc.replica.iter_entries(cast.conf))
    result = arc.sync(cast.conf)
    assert result.alert is not None, "the tampering went unnoticed"
    assert (result.alert.code, result.alert.seq) == (code, seq), result.alert
    after = list(arc.replica.iter_entries(cast.conf))
    assert after[: len(before)] == before, "what was verified was overwritten"
    assert len(after) == (seq if kept is None else kept), "entries from the faulty one on were kept"
    assert arc.replica.alerts(cast.conf)[-1].message == result.alert.message
    return result.alert.message


def test_an_altered_row(talks: tuple[Cast, Path]) -> None:
    cast, db = talks
    seq, event_text, _ = _rows(db)[V + 1]
    event = json.loads(event_text)
    content = event["body"]["content"]
    event["body"]["content"] = content[:-4] + ("AAAA" if content[-4:] != "AAAA" else "BBBB")
    with sqlite3.connect(db) as c:
        c.execute("UPDATE entries SET event = ? WHERE seq = ?", (canonical(event).decode(), seq))
    assert "altered" in _sync_alert(cast, "bad_signature", V + 1)


def test_a_deleted_row(talks: tuple[Cast, Path]) -> None:
    cast, db = talks
    with sqlite3.connect(db) as c:
        c.execute("DELETE FROM entries WHERE seq = ?", (V + 1,))
    assert "missing" in _sync_alert(cast, "missing_entry", V + 1)


def test_reordered_rows(talks: tuple[Cast, Path]) -> None:
    cast, db = talks
    with sqlite3.connect(db) as c:
        c.execute("UPDATE entries SET seq = -1 WHERE seq = ?", (V,))
        c.execute("UPDATE entries SET seq = ? WHERE seq = ?", (V, V + 1))
        c.execute("UPDATE entries SET seq = ? WHERE seq = -1", (V + 1,))
    _sync_alert(cast, "missing_entry", V)


def test_an_inserted_row(talks: tuple[Cast, Path]) -> None:
    cast, db = talks
    rows = _rows(db)
    with sqlite3.connect(db) as c:
        # A copy of entry V slipped in as entry V+1, the rest shifted up.
        c.execute("UPDATE entries SET seq = seq + 100 WHERE seq >= ?", (V + 1,))
        c.execute("UPDATE entries SET seq = seq - 99 WHERE seq >= 100")
        c.execute(
            "INSERT INTO entries (conf, seq, event_hash, author, type, size, received_at, event, receipt)"
            " SELECT conf, ?, event_hash, author, type, size, received_at, event, receipt FROM entries WHERE seq = ?",
            (V + 1, V),
        )
    assert len(_rows(db)) == len(rows) + 1
    _sync_alert(cast, "duplicate_entry", V, kept=V + 1)


def test_a_forged_receipt(talks: tuple[Cast, Path]) -> None:
    cast, db = talks
    seq, _, receipt_text = _rows(db)[V + 2]
    receipt = json.loads(receipt_text)
    receipt["time"] += 1
    with sqlite3.connect(db) as c:
        c.execute(
            "UPDATE entries SET receipt = ? WHERE seq = ?", (canonical(receipt).decode(), seq)
        )
    _sync_alert(cast, "bad_receipt", V + 2)


def test_a_relay_that_rolls_back(talks: tuple[Cast, Path]) -> None:
    cast, db = talks
    cast.delegates["ARC"].sync(cast.conf)  # Arcadia has verified all V+3 entries
    with sqlite3.connect(db) as c:
        c.execute("DELETE FROM entries WHERE seq >= ?", (V + 1,))
        c.execute("UPDATE conferences SET length = ?", (V + 1,))
    result = cast.delegates["ARC"].sync(cast.conf)
    assert result.alert is not None and result.alert.code == "rollback"
    assert cast.delegates["ARC"].replica.length(cast.conf) == V + 3


def test_a_split_view_between_two_delegations(tmp_path: Path) -> None:
    """The operator forks the database: Arcadia is served one copy, Borduria another.
    Each side goes on writing. When Borduria is shown Arcadia's branch (a mirror, or
    the relay changing its story), its node detects the fork."""
    db_x, db_y = tmp_path / "x.sqlite", tmp_path / "y.sqlite"
    key = tmp_path / "sequencer.key"
    x = RelayProcess(f"sqlite:///{db_x}", key, tmp_path / "x.log").start()
    try:
        cast = convene(x.url, tmp_path, states=("ARC", "BOR"))
        x.stop()
        shutil.copy(db_x, db_y)
        x.start()
        y = RelayProcess(f"sqlite:///{db_y}", key, tmp_path / "y.log").start()
        try:
            cast.delegates["BOR"].replica.set_relay(cast.conf, y.url)
            cast.delegates["ARC"].post(cast.conf, "Arcadia, on branch X.", now())
            cast.delegates["BOR"].post(cast.conf, "Borduria, on branch Y.", now())
            verified_before = list(cast.delegates["BOR"].replica.iter_entries(cast.conf))
            cast.delegates["BOR"].replica.set_relay(cast.conf, x.url)
            result = cast.delegates["BOR"].sync(cast.conf)
            assert result.alert is not None
            assert result.alert.code == "fork", result.alert
            assert list(cast.delegates["BOR"].replica.iter_entries(cast.conf)) == verified_before
        finally:
            y.stop()
            cast.close()
    finally:
        x.stop()


def test_a_substituted_genesis_is_refused_before_anything_is_stored(tmp_path: Path) -> None:
    db = tmp_path / "relay.sqlite"
    with relay(f"sqlite:///{db}", tmp_path) as r:
        cast = convene(r.url, tmp_path, states=("ARC",))
        try:
            # The operator rewrites the genesis: another title, signed by a key of its own.
            event_text = _rows(db)[0][1]
            forged_host = SigningKey.generate()
            body = json.loads(event_text)["body"] | {"title": "Something else"}
            body["host"] = {"name": "Operator", "key": forged_host.public.text}
            forged = genesis_event(forged_host, conf=cast.conf, genesis=body, time=now())
            with sqlite3.connect(db) as c:
                c.execute(
                    "UPDATE entries SET event = ? WHERE seq = 0", (canonical(forged).decode(),)
                )
            newcomer = Node.create(tmp_path / "newcomer", PASSPHRASE)
            newcomer.create_identity()
            with pytest.raises(NodeError, match="forgery"):
                newcomer.follow(r.url, cast.conf, cast.genesis)
            assert (
                newcomer.replica.length(cast.conf) == 0
                and newcomer.replica.membership(cast.conf) is None
            )
            newcomer.close()
        finally:
            cast.close()


def test_a_receipted_event_that_the_relay_then_drops(
    talks: tuple[Cast, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cast, db = talks
    arc = cast.delegates["ARC"]
    real_submit = Node._submit

    def submit_then_drop(
        self: Node, conf: str, view: object, event: dict[str, object]
    ) -> dict[str, object]:
        receipt = real_submit(self, conf, view, event)  # type: ignore[arg-type]
        with sqlite3.connect(db) as c:  # the operator erases it after receipting it
            c.execute("DELETE FROM entries WHERE seq = ?", (receipt["seq"],))
            c.execute("UPDATE conferences SET length = length - 1")
        return receipt

    monkeypatch.setattr(Node, "_submit", submit_then_drop)
    receipt = arc.post(cast.conf, "Arcadia's reservation on paragraph 3.", now())
    alerts = arc.replica.alerts(cast.conf)
    assert [(a.code, a.seq) for a in alerts] == [("dropped_event", receipt["seq"])]
    assert "receipt" in alerts[0].message
