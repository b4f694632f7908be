"""Registry console: the registry's audit log (who did what, when, how it ended), for auditors and administrators.

Reads through the identity service (`services.identity.service_layer.audit.entries`), as
`GET /api/v1/registries/<registry>/audit-events` does. That service filters by actor and action and
returns the newest entries first, at most `WINDOW` of them; the dates, outcome and pages are applied to
that window here, and the page says so when the window is full.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.auth.realm import realm_uow
from gateway.tenancy import current_tenant
from gateway.web.console import bp
from gateway.web.public.common import last_page, page_number, page_url
from services.identity.domain.audit import AuditEntry, Outcome
from services.identity.service_layer import accounts, audit

PAGE_SIZE = 50
WINDOW = 1000  # the most the identity service answers in one read
OUTCOME_LABELS = {Outcome.SUCCESS: _l("Succeeded"), Outcome.DENIED: _l("Denied"), Outcome.FAILED: _l("Failed")}


@bp.get("/audit")
@requires(Role.AUDITOR, Role.REGISTRY_ADMIN, session=True)
def audit_log() -> tuple[str, int]:
    values = {name: request.args.get(name, "").strip() for name in ("actor", "action", "outcome", "since", "until")}
    errors, since, until = _dates(values)
    if values["outcome"] and values["outcome"] not in {o.value for o in Outcome}:
        errors["outcome"] = _("Choose an outcome from the list.")
    names = {str(user.id): user.username for user in accounts.list_users(realm_uow())}
    entries: list[AuditEntry] = []
    window_full = False
    if not errors:
        actor = _actor_id(values["actor"], names)
        found = audit.entries(realm_uow(), actor=actor, action=values["action"] or None, limit=WINDOW)
        window_full = len(found) == WINDOW
        entries = [e for e in found if _kept(e, values["outcome"], since, until)]
    page, total = page_number(), len(entries)
    html = render_template(
        "web/console/audit/index.html",
        entries=entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        values=values,
        errors=errors,
        total=total,
        page=page,
        last=last_page(total, PAGE_SIZE),
        page_url=page_url,
        window_full=window_full,
        window=WINDOW,
        names=names,
        outcomes=[(o.value, OUTCOME_LABELS[o]) for o in Outcome],
        outcome_label=lambda value: str(OUTCOME_LABELS.get(value, value)),
        root=f"/registries/{current_tenant().code}/console/audit",
    )
    return html, 400 if errors else 200


def _dates(values: dict[str, str]) -> tuple[dict[str, str], date | None, date | None]:
    errors: dict[str, str] = {}
    parsed: dict[str, date | None] = {}
    for name in ("since", "until"):
        try:
            parsed[name] = date.fromisoformat(values[name]) if values[name] else None
        except ValueError:
            parsed[name] = None
            errors[name] = _("Enter a date as YYYY-MM-DD, for example 2026-01-31.")
    since, until = parsed["since"], parsed["until"]
    if since and until and since > until:
        errors["until"] = _("The end date must not be before the start date.")
    return errors, since, until


def _actor_id(actor: str, names: dict[str, str]) -> str | None:
    """People type a username; the log keeps the account id (or a client id, or what was typed at sign-in)."""
    if not actor:
        return None
    by_name = {username: user_id for user_id, username in names.items()}
    return by_name.get(actor.lower(), actor)


def _kept(entry: AuditEntry, outcome: str, since: date | None, until: date | None) -> bool:
    if outcome and entry.outcome != outcome:
        return False
    day = _local_day(entry.occurred_at)
    return (since is None or day >= since) and (until is None or day <= until)


def _local_day(moment: datetime) -> date:
    """The day in the registry's time zone, as the page shows it (SQLite hands back naive UTC times)."""
    zone = ZoneInfo(str(current_tenant().settings.get("time_zone", "UTC")))
    stamp = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return stamp.astimezone(zone).date()
