from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.relay_process import postgres_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test runs against SQLite and PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'relay.sqlite'}"
    else:
        with postgres_database() as url:
            yield url
