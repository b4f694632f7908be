"""Fixtures of the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import DatabaseUrls, fresh_postgres_database


@pytest.fixture
def own_database(postgres_server: DatabaseUrls) -> Iterator[DatabaseUrls]:
    """A migrated database of this test alone: no other test's events in its outbox or on its bus."""
    yield from fresh_postgres_database(postgres_server)
