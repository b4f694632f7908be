"""Builds the onboarding context's adapters: the journeys in the platform's database, and the guided scripts
and questionnaires read from the package's data files."""

from __future__ import annotations

from services.onboarding.adapters import (
    files,
    tables,  # noqa: F401 - registers the journey tables
)
from services.onboarding.adapters.sql import SqlEventLog, SqlOnboarding
from services.shared.db.database import Database

__all__ = ["SqlEventLog", "SqlOnboarding", "journeys", "questionnaire", "scripts"]

scripts = files.scripts  # the guided scripts, per role
questionnaire = files.questionnaire  # the needs assessment's questionnaire, newest version by default


def journeys(database: Database) -> SqlOnboarding:
    return SqlOnboarding(database)
