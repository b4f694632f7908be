"""The journey's stores in SQL, and the registry's event log read from the ledger's and the audit's rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import RowMapping, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.onboarding.adapters.tables import (
    audited_calls,
    catalogue,
    feedback,
    journeys,
    ledger_events,
    operator_calls,
    promotions,
)
from services.onboarding.domain.feedback import Feedback
from services.onboarding.domain.journey import Journey
from services.onboarding.domain.promotion import (
    Administrator,
    ProductionIdentity,
    Promotion,
    PromotionStatus,
)
from services.onboarding.domain.scripts import LoggedEvent
from services.shared.db.database import Database

AUDIT_EVENT = "audit.call"  # the event type an audited call has in the scripts' eyes
_MOMENT_FIELDS = ("at", "executed_at", "requested_at", "opened_at", "changed_at", "reversed_at")


class SqlJourneyStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def journey(self, training_tenant_id: UUID, *, lock: bool = False) -> Journey | None:
        query = select(journeys).where(journeys.c.training_tenant_id == training_tenant_id)
        row = self.session.execute(query.with_for_update() if lock else query).mappings().first()
        return None if row is None else _journey(row)

    def begin_journey(self, training_tenant_id: UUID, now: datetime) -> Journey:
        """The registry's journey, begun now unless a request (this one, or one beside it) began it first."""
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        values = {"training_tenant_id": training_tenant_id, "started_at": now, "answers": {}}
        self.session.execute(dialect.insert(journeys).values(values).on_conflict_do_nothing())
        found = self.journey(training_tenant_id)
        assert found is not None  # noqa: S101 - inserted or found just now, in this transaction
        return found

    def journeys(self) -> list[Journey]:
        return [_journey(r) for r in self.session.execute(select(journeys)).mappings()]

    def save_journey(self, journey: Journey) -> None:
        values = {
            "started_at": journey.started_at,
            "questionnaire_version": journey.questionnaire_version,
            "answers": journey.answers,
            "assessment_started_at": journey.assessment_started_at,
            "deployed_at": journey.deployed_at,
            "production_tenant_id": journey.production_tenant_id,
        }
        key = journeys.c.training_tenant_id == journey.training_tenant_id
        if self.session.execute(update(journeys).where(key).values(values)).rowcount == 0:  # type: ignore[attr-defined]
            self.session.execute(insert(journeys).values(training_tenant_id=journey.training_tenant_id, **values))

    def promotion(self, promotion_id: UUID, *, lock: bool = False) -> Promotion | None:
        query = select(promotions).where(promotions.c.id == promotion_id)
        row = self.session.execute(query.with_for_update() if lock else query).mappings().first()
        return None if row is None else _promotion(row)

    def promotions(self, training_tenant_id: UUID) -> list[Promotion]:
        query = (
            select(promotions)
            .where(promotions.c.training_tenant_id == training_tenant_id)
            .order_by(promotions.c.requested_at.desc())
        )
        return [_promotion(r) for r in self.session.execute(query).mappings()]

    def save_promotion(self, promotion: Promotion) -> None:
        values = {
            "status": promotion.status.value,
            "decided_by": promotion.decided_by,
            "decided_at": promotion.decided_at,
            "production_tenant_id": promotion.production_tenant_id,
        }
        changed = self.session.execute(update(promotions).where(promotions.c.id == promotion.id).values(values))
        if changed.rowcount == 0:  # type: ignore[attr-defined]
            proposal = {
                "identity": vars(promotion.identity),
                "settings": promotion.settings,
                "administrators": [vars(a) for a in promotion.administrators],
            }
            self.session.execute(
                insert(promotions).values(
                    id=promotion.id,
                    training_tenant_id=promotion.training_tenant_id,
                    proposal=proposal,
                    requested_by=promotion.requested_by,
                    requested_at=promotion.requested_at,
                    **values,
                )
            )


def _journey(row: RowMapping) -> Journey:
    return Journey(
        training_tenant_id=row["training_tenant_id"],
        started_at=row["started_at"],
        questionnaire_version=row["questionnaire_version"],
        answers=dict(row["answers"]),
        assessment_started_at=row["assessment_started_at"],
        deployed_at=row["deployed_at"],
        production_tenant_id=row["production_tenant_id"],
    )


def _promotion(row: RowMapping) -> Promotion:
    proposal = row["proposal"]
    return Promotion(
        id=row["id"],
        training_tenant_id=row["training_tenant_id"],
        identity=ProductionIdentity(**proposal["identity"]),
        settings=dict(proposal["settings"]),
        administrators=tuple(Administrator(**a) for a in proposal["administrators"]),
        requested_by=row["requested_by"],
        requested_at=row["requested_at"],
        status=PromotionStatus(row["status"]),
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        production_tenant_id=row["production_tenant_id"],
    )


class SqlFeedbackStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, entry: Feedback) -> None:
        self.session.execute(insert(feedback).values(vars(entry)))

    def list(self, tenant_id: UUID) -> list[Feedback]:
        query = select(feedback).where(feedback.c.tenant_id == tenant_id).order_by(feedback.c.created_at.desc())
        return [Feedback(**dict(r)) for r in self.session.execute(query).mappings()]

    def resolve(self, tenant_id: UUID, feedback_id: UUID, now: datetime) -> bool:
        found = self.session.execute(
            update(feedback)
            .where(feedback.c.tenant_id == tenant_id, feedback.c.id == feedback_id, feedback.c.resolved_at.is_(None))
            .values(resolved_at=now)
        )
        return bool(found.rowcount)  # type: ignore[attr-defined]


class SqlEventLog:
    """A registry's events as the scripts see them: every ledger event (as reporting keeps them) and every
    audited call, since a moment."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def events_since(self, tenant_id: UUID, since: datetime) -> Iterator[LoggedEvent]:
        """Events since `since`, or since the registry's last reset to its seed if that came later: the seed's
        own events, written again by the reset, are nobody's work."""
        since = max(since, self._last_reset(tenant_id) or since)
        with self.database.transaction(tenant_id) as session:
            ledger = session.execute(
                select(ledger_events.c.event_name, ledger_events.c.data)
                .where(ledger_events.c.tenant_id == tenant_id)
                .order_by(ledger_events.c.sequence)
            ).all()
            calls = (
                session.execute(
                    select(audited_calls).where(
                        audited_calls.c.tenant_id == tenant_id, audited_calls.c.occurred_at >= since
                    )
                )
                .mappings()
                .all()
            )
        for name, data in ledger:
            moment = _moment_of(data)
            if moment is not None and moment >= since:
                yield LoggedEvent(name, data, moment)
        for call in calls:
            payload = {k: call[k] for k in ("action", "target", "outcome", "status")}
            yield LoggedEvent(AUDIT_EVENT, payload, call["occurred_at"])

    def _last_reset(self, tenant_id: UUID) -> datetime | None:
        """When an operator last reset the registry (the API's or the console's reset, as the platform's
        audit log has it: written once the reset and its new seed are done)."""
        with self.database.transaction(None) as session:
            found: datetime | None = session.scalar(
                select(func.max(operator_calls.c.occurred_at))
                .select_from(operator_calls.join(catalogue, catalogue.c.code == operator_calls.c.tenant_code))
                .where(
                    catalogue.c.id == tenant_id,
                    operator_calls.c.action.like("POST %/tenants/{code}/reset"),
                    operator_calls.c.outcome == "success",
                )
            )
        return found


def _moment_of(data: dict[str, Any]) -> datetime | None:
    for name in _MOMENT_FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            return datetime.fromisoformat(value)
    return None


class SqlOnboarding:
    """The journey's unit of work: platform tables for journeys and promotions, a registry's for feedback."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @contextmanager
    def journeys(self) -> Iterator[SqlJourneyStore]:
        with self.database.transaction(None) as session:
            yield SqlJourneyStore(session)

    @contextmanager
    def feedback(self, tenant_id: UUID) -> Iterator[SqlFeedbackStore]:
        with self.database.transaction(tenant_id) as session:
            yield SqlFeedbackStore(session)

    def event_log(self) -> SqlEventLog:
        return SqlEventLog(self.database)
