"""What the publisher keeps per tenant: its connection to a CAD Trust node and one sync record per local record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    PROJECT = "project"
    ISSUANCE = "issuance"
    UNIT = "unit"
    ACCOUNT = "account"  # never published; names the owner of units
    AUTHORIZATION = "authorization"  # never published itself; becomes a label of the projects it authorizes
    AEF = "aef"  # the AEF submission a reported year stands on (v2 only), keyed by the year


class Status(StrEnum):
    PENDING = "pending"
    STAGED = "staged"
    PUBLISHED = "published"
    INVALID = "invalid"  # refused before sending: a picklist or a missing fact; fixed by new data
    FAILED = "failed"  # refused by the node as many times as the limit allows: dead-lettered
    EXCLUDED = "excluded"  # not CAD Trust's to hold, such as units acquired from another registry


class ConnectionState(StrEnum):
    OK = "ok"
    UNAVAILABLE = "unavailable"  # down, slow or 5xx: records stay pending and are retried
    UNAUTHORIZED = "unauthorized"  # wrong API key: publishing stops until the settings change


@dataclass(frozen=True)
class FieldProblem:
    field: str
    value: Any
    allowed: tuple[str, ...] = ()
    message: str = ""

    def describe(self) -> str:
        if self.message:
            return f"{self.field}: {self.message}"
        return f"{self.field} {self.value!r} is not on the CAD Trust list; allowed: {', '.join(self.allowed)}"

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "value": self.value, "allowed": list(self.allowed), "message": self.describe()}


DEFAULT_OPTIONS: dict[str, Any] = {
    "registry_of_origin": "",
    "public_base_url": "",
    "country": "",
    "covered_by_ndc": "Unknown",
    "verification_approach": "Verification",
    "unit_types": {
        "emission_reductions": "Reduction - technical",
        "removals": "Removal - technical",
        "emission_reductions_and_removals": "Reduction - technical",
    },
}


@dataclass
class Connection:
    """A tenant's CAD Trust node. `api_key` is a secret: never returned, never logged."""

    base_url: str
    api_key: str
    organization_id: str = ""
    data_model_version: str = "v1"
    enabled: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    state: ConnectionState = ConnectionState.OK
    state_detail: str = ""
    failures: int = 0
    next_attempt_at: datetime | None = None  # while unavailable: no pass before this
    retries: int = 0  # timer passes in a row that left records to publish
    retry_at: datetime | None = None  # when the retry timer next tries the records left pending

    def option(self, name: str) -> Any:
        return self.options.get(name) or DEFAULT_OPTIONS[name]

    def __repr__(self) -> str:
        return f"Connection(base_url={self.base_url!r}, enabled={self.enabled}, state={self.state.value})"


@dataclass
class SyncRecord:
    kind: Kind
    local_id: str
    data: dict[str, Any]
    parent_id: str | None = None
    as_of: int = 0
    cadt_id: str | None = None
    status: Status = Status.PENDING
    reason: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
    last_attempt_at: datetime | None = None
    published: dict[str, Any] | None = None  # the payload the node holds, as last confirmed
    meta: dict[str, Any] = field(default_factory=dict)  # bookkeeping: published serials, staged payload

    def refresh(self, data: dict[str, Any]) -> None:
        """New facts: publish again unless the record is not CAD Trust's to hold."""
        self.data = data
        if self.status is not Status.EXCLUDED:
            self.status, self.reason, self.problems, self.attempts = Status.PENDING, "", [], 0
