"""SQLite settings shared by the relay's store and the node's replica."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy import event as sqlalchemy_event


def _durable(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while a batch commits; synchronous=FULL makes a commit
    # durable before it returns, so nothing acknowledged (a receipt, a verified entry)
    # is lost in a crash.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_durable(engine: Engine) -> None:
    """Apply the settings to every connection the engine opens."""
    sqlalchemy_event.listen(engine, "connect", _durable)
