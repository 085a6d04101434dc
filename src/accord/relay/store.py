"""The relay's storage: SQLAlchemy 2 over SQLite (default) or PostgreSQL.

Two tables: `conferences` (one row per conference, locked while a batch is sequenced)
and `entries` (the log: event and receipt as canonical JSON text). Schema changes go
through Alembic migrations (`accord/relay/migrations`), applied at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)
from sqlalchemy import create_engine as create_sync
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from accord.infra.sqlite import make_durable

metadata = MetaData()

conferences = Table(
    "conferences",
    metadata,
    Column("conf", String(64), primary_key=True),
    Column("genesis_hash", String(64), nullable=False),
    Column("length", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

entries = Table(
    "entries",
    metadata,
    Column("conf", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("event_hash", String(64), nullable=False),
    Column("author", String(64), nullable=False),
    Column("type", String(16), nullable=False),
    Column("size", Integer, nullable=False),
    Column("received_at", BigInteger, nullable=False),
    Column("event", Text, nullable=False),
    Column("receipt", Text, nullable=False),
)


@dataclass(frozen=True)
class StoredEntry:
    seq: int
    event: str
    receipt: str


def database_urls(url: str) -> tuple[str, str]:
    """The async URL the relay uses and the sync URL migrations use, from one URL."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return (
            str(parsed.set(drivername="sqlite+aiosqlite")),
            str(parsed.set(drivername="sqlite")),
        )
    if backend == "postgresql":
        psycopg = parsed.set(drivername="postgresql+psycopg")
        return psycopg.render_as_string(False), psycopg.render_as_string(False)
    raise ValueError(f"unsupported database {backend!r}: use sqlite:///FILE or postgresql://...")


def create_engine(url: str) -> AsyncEngine:
    async_url, _ = database_urls(url)
    engine = create_async_engine(async_url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        make_durable(engine.sync_engine)
    return engine


def create_sync_engine(url: str) -> Engine | None:
    """For SQLite, a synchronous engine that writes a whole batch in one call on a worker
    thread (the async driver would hop threads for every statement). None otherwise."""
    _, sync_url = database_urls(url)
    if make_url(sync_url).get_backend_name() != "sqlite":
        return None
    engine = create_sync(sync_url)
    make_durable(engine)
    return engine


def write_batch_sync(engine: Engine, conf: str, rows: list[dict[str, Any]], before: int) -> None:
    """Append `rows` after entry `before - 1` in one durable transaction, or fail if the
    log is not where the caller believes (another writer has extended it)."""
    with engine.begin() as conn:
        length = conn.execute(
            select(conferences.c.length).where(conferences.c.conf == conf)
        ).scalar()
        if length != before:
            raise RuntimeError(f"the stored log of {conf} has {length} entries, not {before}")
        conn.execute(insert(entries), rows)
        conn.execute(
            update(conferences).where(conferences.c.conf == conf).values(length=before + len(rows))
        )


def migrate(url: str) -> None:
    """Bring the schema up to date (Alembic `upgrade head`)."""
    _, sync_url = database_urls(url)
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", sync_url.replace("%", "%%"))
    command.upgrade(config, "head")


async def read_entries(
    conn: AsyncConnection, conf: str, start: int, limit: int
) -> list[StoredEntry]:
    rows = await conn.execute(
        select(entries.c.seq, entries.c.event, entries.c.receipt)
        .where(entries.c.conf == conf, entries.c.seq >= start)
        .order_by(entries.c.seq)
        .limit(limit)
    )
    return [StoredEntry(r.seq, r.event, r.receipt) for r in rows]


async def conference_length(conn: AsyncConnection, conf: str, lock: bool = False) -> int | None:
    query = select(conferences.c.length).where(conferences.c.conf == conf)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = (await conn.execute(query)).first()
    return None if row is None else int(row.length)
