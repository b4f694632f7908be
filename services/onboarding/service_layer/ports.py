"""What the onboarding journey needs from outside: its store, the registry's event log, and a provisioner."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from services.onboarding.domain.feedback import Feedback
from services.onboarding.domain.journey import Journey
from services.onboarding.domain.promotion import Administrator, ProductionIdentity, Promotion
from services.onboarding.domain.scripts import LoggedEvent


class JourneyStore(Protocol):
    def journey(self, training_tenant_id: UUID, *, lock: bool = False) -> Journey | None: ...

    def begin_journey(self, training_tenant_id: UUID, now: datetime) -> Journey: ...

    def journeys(self) -> list[Journey]: ...

    def save_journey(self, journey: Journey) -> None: ...

    def promotion(self, promotion_id: UUID, *, lock: bool = False) -> Promotion | None: ...

    def promotions(self, training_tenant_id: UUID) -> list[Promotion]: ...

    def save_promotion(self, promotion: Promotion) -> None: ...


class FeedbackStore(Protocol):
    def add(self, feedback: Feedback) -> None: ...

    def list(self, tenant_id: UUID) -> list[Feedback]: ...

    def resolve(self, tenant_id: UUID, feedback_id: UUID, now: datetime) -> bool: ...


class EventLog(Protocol):
    def events_since(self, tenant_id: UUID, since: datetime) -> Iterator[LoggedEvent]: ...


class Provisioner(Protocol):
    """Creates the production registry and invites its first administrators; answers the new registry's id
    and each administrator's one-time password."""

    def provision(
        self, identity: ProductionIdentity, settings: Mapping[str, Any], administrators: tuple[Administrator, ...]
    ) -> tuple[UUID, dict[str, str]]: ...


class Onboarding(Protocol):
    """Where the service layer opens its transactions: on the platform's tables, or a registry's."""

    def journeys(self) -> AbstractContextManager[JourneyStore]: ...

    def feedback(self, tenant_id: UUID) -> AbstractContextManager[FeedbackStore]: ...

    def event_log(self) -> EventLog: ...
