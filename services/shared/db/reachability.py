"""Platform-wide work over every database, where one database that cannot be reached must not stop it.

A registry with a dedicated database that is down (a network partition, a database being restored) is that
registry's outage, not the platform's: the relay, the backlog figures and the operator pages go on with
every other database and say which one they left out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from services.shared.db.database import Database

log = logging.getLogger(__name__)

T = TypeVar("T")

Unreachable = OperationalError  # what SQLAlchemy raises when a connection cannot be made or is lost


def shown(database: Database) -> str:
    """The database's URL without its password, for logs."""
    return make_url(database.url).render_as_string(hide_password=True)


def read_each(databases: Iterable[Database], read: Callable[[Database], T], what: str) -> list[T]:
    """`read` on each database in turn; one that cannot be reached is logged and left out."""
    found: list[T] = []
    for database in databases:
        try:
            found.append(read(database))
        except Unreachable as error:
            log.warning("%s: database %s unreachable, left out: %s", what, shown(database), error.orig)
    return found
