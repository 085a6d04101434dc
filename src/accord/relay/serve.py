"""Running the relay: its key, its logs, uvicorn."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import uvicorn

from accord.core.keys import SigningKey
from accord.relay.app import create_app
from accord.relay.limits import Limits

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "color_message",  # uvicorn's terminal colouring
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line. Callers pass only metadata in `extra`: never bodies."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "msg": record.getMessage(),
        }
        entry |= {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(entry, default=str)


def load_or_create_key(path: Path) -> SigningKey:
    """The sequencer key, kept as a hex seed in a file readable by its owner only.

    Relay processes that share a database share this key: the genesis names one."""
    if path.exists():
        seed = bytes.fromhex(path.read_text("ascii").strip())
        return SigningKey(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = SigningKey.generate()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key.seed.hex() + "\n")
    return key


def configure_logging() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    for name in ("accord", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False


def serve(db: str, host: str, port: int, key_path: Path, limits: Limits | None = None) -> None:
    configure_logging()
    key = load_or_create_key(key_path)
    app = create_app(db, key, limits)
    # uvicorn's access log prints paths and status codes only, never bodies.
    uvicorn.run(
        app, host=host, port=port, log_config=None, access_log=False, lifespan="on",
        timeout_graceful_shutdown=5,  # open streams end; a stuck request does not hold it
    )  # fmt: skip
