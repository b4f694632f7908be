"""Builds the notifications context's adapters: the outbox of e-mails in the platform's database and the
SMTP mailer of the platform's settings."""

from __future__ import annotations

from services.notifications.adapters import tables  # noqa: F401 - registers the e-mail outbox
from services.notifications.adapters.smtp import SmtpMailer, SmtpSettings
from services.notifications.adapters.sql_outbox import SqlMailOutbox
from services.shared.db.database import Database

__all__ = ["SmtpMailer", "SmtpSettings", "SqlMailOutbox", "mailer", "outbox"]


def outbox(database: Database) -> SqlMailOutbox:
    return SqlMailOutbox(database)


def mailer(settings: SmtpSettings | None) -> SmtpMailer | None:
    """The mailer of the platform's SMTP settings, or None while no mail server is set."""
    return SmtpMailer(settings) if settings is not None else None
