"""The relay's application (FastAPI on uvicorn): storage opened at start-up, refusals as
JSON, the routes (`routes.py`), the stream (`stream.py`); checks in `guard.py`.

Every request except `/health`, `/metrics` and `/v1/relay` is signed by the sender's key
(`accord.core.requests`). The relay checks all it can see, sequences, commits, then
answers with the receipt. Logs are structured and never contain event bodies.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from accord import __version__
from accord.core.keys import SigningKey
from accord.relay import routes, store, stream
from accord.relay.errors import (
    RelayError,
    relay_error_handler,
    validation_error_handler,
)
from accord.relay.guard import RelayState, log
from accord.relay.limits import Limits, RateLimiter, ReplayGuard
from accord.relay.sequencer import RelaySequencer


def create_app(db_url: str, key: SigningKey, limits: Limits | None = None) -> FastAPI:
    limits = limits or Limits()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(store.migrate, db_url)
        engine = store.create_engine(db_url)
        sync_engine = store.create_sync_engine(db_url)
        app.state.relay = RelayState(
            RelaySequencer(engine, key, sync_engine),
            limits,
            ReplayGuard(limits.request_window_ms),
            RateLimiter(limits.rate_per_second, limits.burst),
        )
        log.info("relay ready", extra={"sequencer": key.public.text})
        yield
        await engine.dispose()
        if sync_engine is not None:
            sync_engine.dispose()

    app = FastAPI(
        title="Accord relay",
        version=__version__,
        description="Sequences signed events, commits them durably and returns signed "
        "receipts. Trusted with availability only: members verify everything it serves.",
        lifespan=lifespan,
    )
    app.add_exception_handler(RelayError, relay_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)

    app.state.key = key
    app.include_router(routes.router)
    app.include_router(stream.router)
    return app
