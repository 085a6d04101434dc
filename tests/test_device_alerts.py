"""A device added behind a delegate's back raises an alert on the delegate's own node and
on their delegation's other nodes; a device the delegate added raises none."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.core.sealing import DeviceKey
from accord.node.client import RelayClient
from accord.node.session import Node
from tests.delegations import PASSPHRASE, convene, now
from tests.relay_process import relay

pytestmark = pytest.mark.slow


def test_device_alerts(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'r.sqlite'}", tmp_path) as r:
        cast = convene(r.url, tmp_path, states=("ARC", "BOR"))
        ana, boris = cast.delegates["ARC"], cast.delegates["BOR"]
        # A second Arcadian delegate: Ana's colleague.
        colleague = Node.create(tmp_path / "delegate-ARC-2", PASSPHRASE)
        key = colleague.create_identity()
        credential = cast.ministries["ARC"].issue_powers(
            "ARC", "Arno Vale", key, ["negotiate"], [cast.conf], now()
        )
        colleague.join(r.url, cast.conf, credential, cast.genesis, now())
        try:
            ana.add_device(cast.conf, "Ana's laptop", now())
            assert ana.replica.alerts(cast.conf) == []  # her own doing
            colleague.sync(cast.conf)
            assert [a.code for a in colleague.replica.alerts(cast.conf)] == ["colleague_device"]
            boris.sync(cast.conf)
            assert boris.replica.alerts(cast.conf) == []  # another delegation

            # A thief who copied Ana's identity key adds a device of their own.
            ana.sync(cast.conf)
            thief = ana.author(cast.conf, ana.view(cast.conf))  # same key, same credential
            event = thief.announce_device(
                ana.view(cast.conf), DeviceKey.generate().public.text, "thief's phone", now()
            )
            with RelayClient(r.url, ana.identity) as client:
                client.submit(event)
            ana.sync(cast.conf)
            alerts = ana.replica.alerts(cast.conf)
            assert [a.code for a in alerts] == ["new_device"]
            assert "thief's phone" in alerts[0].message and "revoke" in alerts[0].message
            colleague.sync(cast.conf)
            assert [a.code for a in colleague.replica.alerts(cast.conf)] == [
                "colleague_device",
                "colleague_device",
            ]
        finally:
            colleague.close()
            cast.close()
