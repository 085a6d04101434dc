"""Keys encrypted at rest: scrypt from the passphrase, then ChaCha20-Poly1305 per key.

The file holds, for each key, its label, kind, public key, a random nonce and the
ciphertext of its seed; the label and public key are bound as associated data, so an
entry cannot be moved to another label or paired with another public key. Keys leave
the file only decrypted into memory, never written back in the clear.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from accord.core.encoding import b64u_decode, b64u_encode
from accord.core.errors import AccordError
from accord.core.keys import SigningKey
from accord.core.sealing import DeviceKey, DevicePublicKey

# scrypt cost: 2^15 x 8 x 1 needs 32 MiB and ~0.1 s here, RFC 7914's interactive setting.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_CHECK = b"accord keystore v1"


class KeystoreError(AccordError):
    """Wrong passphrase, missing key, or a damaged keystore file."""


@dataclass(frozen=True)
class KeyInfo:
    label: str
    kind: str
    public: str


def device_label(public: DevicePublicKey) -> str:
    return f"device:{public.id()}"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


class Keystore:
    def __init__(self, path: Path, data: dict[str, object], aead: ChaCha20Poly1305) -> None:
        self.path = path
        self._data = data
        self._aead = aead

    @staticmethod
    def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> ChaCha20Poly1305:
        key = hashlib.scrypt(
            passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=128 * 1024 * 1024, dklen=32
        )
        return ChaCha20Poly1305(key)

    @classmethod
    def create(cls, path: Path, passphrase: str) -> Keystore:
        if path.exists():
            raise KeystoreError(f"a keystore already exists at {path}")
        if len(passphrase) < 8:
            raise KeystoreError("choose a passphrase of at least 8 characters")
        salt = secrets.token_bytes(16)
        aead = cls._derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        nonce = secrets.token_bytes(12)
        data: dict[str, object] = {
            "version": 1,
            "kdf": {
                "name": "scrypt",
                "n": SCRYPT_N,
                "r": SCRYPT_R,
                "p": SCRYPT_P,
                "salt": b64u_encode(salt),
            },
            "check": {
                "nonce": b64u_encode(nonce),
                "ciphertext": b64u_encode(aead.encrypt(nonce, _CHECK, b"check")),
            },
            "keys": {},
        }
        store = cls(path, data, aead)
        store._save()
        return store

    @classmethod
    def open(cls, path: Path, passphrase: str) -> Keystore:
        try:
            data = json.loads(path.read_text("utf-8"))
            kdf = data["kdf"]
            aead = cls._derive(passphrase, b64u_decode(kdf["salt"]), kdf["n"], kdf["r"], kdf["p"])
            check = data["check"]
            plain = aead.decrypt(
                b64u_decode(check["nonce"]), b64u_decode(check["ciphertext"]), b"check"
            )
        except FileNotFoundError as exc:
            raise KeystoreError(f"no keystore at {path}: create one first") from exc
        except InvalidTag as exc:
            raise KeystoreError("wrong passphrase for this keystore") from exc
        except (KeyError, ValueError, TypeError, AccordError) as exc:
            raise KeystoreError(f"the keystore at {path} is damaged ({exc})") from exc
        if plain != _CHECK:
            raise KeystoreError("wrong passphrase for this keystore")
        return cls(path, data, aead)

    def _keys(self) -> dict[str, dict[str, str]]:
        keys = self._data["keys"]
        assert isinstance(keys, dict)
        return keys

    def add(self, label: str, kind: str, key: SigningKey) -> KeyInfo:
        return self._add(label, kind, key.public.text, key.seed)

    def add_device(self, key: DeviceKey) -> KeyInfo:
        """A device's encryption key pair, under the label `device:<key id>`."""
        return self._add(device_label(key.public), "device", key.public.text, key.seed)

    def _add(self, label: str, kind: str, public: str, secret: bytes) -> KeyInfo:
        # Two commands on one node may add keys at once: re-read the file under a lock
        # so that neither overwrites the other's key.
        with _locked(self.path):
            self._data["keys"] = json.loads(self.path.read_text("utf-8"))["keys"]
            if label in self._keys():
                raise KeystoreError(f"the keystore already holds a key named {label!r}")
            nonce = secrets.token_bytes(12)
            ad = f"{label}\x00{public}".encode()
            self._keys()[label] = {
                "kind": kind,
                "public": public,
                "nonce": b64u_encode(nonce),
                "ciphertext": b64u_encode(self._aead.encrypt(nonce, secret, ad)),
            }
            self._save()
        return KeyInfo(label, kind, public)

    def _secret(self, label: str) -> tuple[bytes, str]:
        entry = self._keys().get(label)
        if entry is None:
            raise KeystoreError(f"no key named {label!r} in the keystore")
        ad = f"{label}\x00{entry['public']}".encode()
        try:
            secret = self._aead.decrypt(
                b64u_decode(entry["nonce"]), b64u_decode(entry["ciphertext"]), ad
            )
        except InvalidTag as exc:
            raise KeystoreError(f"the key {label!r} was altered in the keystore file") from exc
        return secret, entry["public"]

    def get(self, label: str) -> SigningKey:
        seed, public = self._secret(label)
        key = SigningKey(seed)
        if key.public.text != public:
            raise KeystoreError(f"the key {label!r} does not match its public key")
        return key

    def get_device(self, public: DevicePublicKey) -> DeviceKey:
        seed, stored = self._secret(device_label(public))
        key = DeviceKey.from_seed(seed)
        if key.public.text != stored:
            raise KeystoreError("a device key does not match its public key")
        return key

    def has(self, label: str) -> bool:
        return label in self._keys()

    def list(self) -> list[KeyInfo]:
        return [KeyInfo(label, e["kind"], e["public"]) for label, e in sorted(self._keys().items())]

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(self._data, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
