"""A country's journey: training, then assessment, then deployed; and how long it has been in its phase."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID


class Phase(enum.StrEnum):
    TRAINING = "training"
    ASSESSMENT = "assessment"
    DEPLOYED = "deployed"


@dataclass
class Journey:
    """Kept per training registry. Scripts count only what the registry recorded since `started_at`."""

    training_tenant_id: UUID
    started_at: datetime
    questionnaire_version: int | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    assessment_started_at: datetime | None = None
    deployed_at: datetime | None = None
    production_tenant_id: UUID | None = None

    @property
    def phase(self) -> Phase:
        if self.deployed_at is not None:
            return Phase.DEPLOYED
        if self.assessment_started_at is not None:
            return Phase.ASSESSMENT
        return Phase.TRAINING

    @property
    def phase_since(self) -> datetime:
        return self.deployed_at or self.assessment_started_at or self.started_at

    def days_in_phase(self, now: datetime) -> int:
        return max(0, (now - self.phase_since).days)

    def answer(self, version: int, question_id: str, value: Any, now: datetime) -> None:
        if self.questionnaire_version != version:
            self.questionnaire_version, self.answers = version, {}
        self.answers[question_id] = value
        if self.assessment_started_at is None:
            self.assessment_started_at = now

    def deploy(self, production_tenant_id: UUID, now: datetime) -> None:
        self.production_tenant_id, self.deployed_at = production_tenant_id, now
