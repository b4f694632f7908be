"""Organizations: the account holders and agencies that users of a registry act for."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


class OrganizationKind(enum.StrEnum):
    GOVERNMENT = "government"
    PROJECT_DEVELOPER = "project_developer"
    BUYER = "buyer"
    FUND = "fund"
    VERIFIER = "verifier"
    OTHER = "other"


@dataclass
class Organization:
    id: UUID
    name: str
    kind: OrganizationKind
    country: str
    created_at: datetime
    identification_number: str | None = None
    email: str | None = None
