"""Promotion: the assessed settings (never the training data) become a new production registry.

One operator asks, with the new registry's identity, settings and first administrators; a second
operator sees the same settings diff and approves (four eyes). Only then is the registry created.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from services.onboarding.domain.errors import InvalidAnswer, PromotionConflict, SameOperator

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")


class PromotionStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Administrator:
    username: str
    display_name: str


@dataclass(frozen=True)
class ProductionIdentity:
    code: str
    party: str
    registry_id: str
    name: str


@dataclass(frozen=True)
class SettingChange:
    name: str
    training: Any
    production: Any


@dataclass
class Promotion:
    id: UUID
    training_tenant_id: UUID
    identity: ProductionIdentity
    settings: dict[str, Any]
    administrators: tuple[Administrator, ...]
    requested_by: str
    requested_at: datetime
    status: PromotionStatus = PromotionStatus.REQUESTED
    decided_by: str | None = None
    decided_at: datetime | None = None
    production_tenant_id: UUID | None = field(default=None)

    def approve(self, operator: str, now: datetime) -> None:
        self._still_requested()
        if operator == self.requested_by:
            raise SameOperator("four eyes: a second operator approves a promotion, not the one who asked for it")
        self.status, self.decided_by, self.decided_at = PromotionStatus.APPROVED, operator, now

    def withdraw(self, operator: str, now: datetime) -> None:
        self._still_requested()
        self.status, self.decided_by, self.decided_at = PromotionStatus.WITHDRAWN, operator, now

    def _still_requested(self) -> None:
        if self.status is not PromotionStatus.REQUESTED:
            raise PromotionConflict(f"the promotion is {self.status.value}: it can no longer be decided")


def checked_administrators(raw: list[Mapping[str, str]]) -> tuple[Administrator, ...]:
    if not raw:
        raise InvalidAnswer("name at least one first administrator of the production registry")
    people = []
    for entry in raw:
        username = str(entry.get("username", "")).strip().lower()
        if not _USERNAME.fullmatch(username):
            raise InvalidAnswer(f"administrator username {username!r}: use 2-63 lower-case letters, digits, . _ -")
        people.append(Administrator(username, str(entry.get("display_name", "")).strip() or username))
    if len({p.username for p in people}) != len(people):
        raise InvalidAnswer("an administrator is named twice")
    return tuple(people)


def production_settings(defaults: Mapping[str, Any], assessed: Mapping[str, Any]) -> dict[str, Any]:
    """The platform's defaults overlaid with the assessed settings: nothing comes from the training registry."""
    merged = dict(defaults)
    for name, value in assessed.items():
        if isinstance(value, Mapping) and isinstance(merged.get(name), Mapping):
            merged[name] = {**merged[name], **value}
        else:
            merged[name] = value
    return merged


def settings_diff(training: Mapping[str, Any], production: Mapping[str, Any]) -> list[SettingChange]:
    """Every setting, by name, whose production value differs from the training registry's."""
    names = sorted(set(training) | set(production))
    return [
        SettingChange(name, training.get(name), production.get(name))
        for name in names
        if training.get(name) != production.get(name)
    ]
