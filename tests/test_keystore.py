"""Keys at rest: encrypted, bound to their labels, refused with a wrong passphrase."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from accord.core.keys import SigningKey
from accord.node.keystore import Keystore, KeystoreError

PASSPHRASE = "correct horse battery staple"


def test_keys_round_trip_and_never_appear_in_the_clear(tmp_path: Path) -> None:
    path = tmp_path / "keystore.json"
    store = Keystore.create(path, PASSPHRASE)
    key = SigningKey.generate()
    store.add("identity", "identity", key)
    assert Keystore.open(path, PASSPHRASE).get("identity").seed == key.seed
    text = path.read_text()
    assert key.seed.hex() not in text and key.public.text in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_wrong_passphrase_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keystore.json"
    Keystore.create(path, PASSPHRASE)
    with pytest.raises(KeystoreError, match="wrong passphrase"):
        Keystore.open(path, "not the passphrase")


def test_an_altered_or_swapped_entry_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "keystore.json"
    store = Keystore.create(path, PASSPHRASE)
    store.add("root:ARC", "root", SigningKey.generate())
    store.add("identity", "identity", SigningKey.generate())
    data = json.loads(path.read_text())
    data["keys"]["identity"], data["keys"]["root:ARC"] = (
        data["keys"]["root:ARC"],
        data["keys"]["identity"],
    )
    path.write_text(json.dumps(data))
    reopened = Keystore.open(path, PASSPHRASE)
    with pytest.raises(KeystoreError, match="altered"):
        reopened.get("identity")


def test_weak_passphrases_and_overwrites_are_refused(tmp_path: Path) -> None:
    with pytest.raises(KeystoreError, match="at least 8"):
        Keystore.create(tmp_path / "k.json", "short")
    Keystore.create(tmp_path / "k.json", PASSPHRASE)
    with pytest.raises(KeystoreError, match="already exists"):
        Keystore.create(tmp_path / "k.json", PASSPHRASE)
    with pytest.raises(KeystoreError, match="damaged"):
        (tmp_path / "bad.json").write_text("{}")
        Keystore.open(tmp_path / "bad.json", PASSPHRASE)


def test_two_handles_adding_keys_lose_neither(tmp_path: Path) -> None:
    path = tmp_path / "keystore.json"
    Keystore.create(path, PASSPHRASE)
    first, second = Keystore.open(path, PASSPHRASE), Keystore.open(path, PASSPHRASE)
    first.add("root:ARC", "root", SigningKey.generate())
    second.add("identity", "identity", SigningKey.generate())  # opened before the first add
    assert {k.label for k in Keystore.open(path, PASSPHRASE).list()} == {"root:ARC", "identity"}
