"""Testing a CAD Trust connection before it is saved: is the node there, does it take the key, does it hold
the organization. Each problem says what to do next."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from services.cadt.domain.model import Connection
from services.cadt.service_layer.ports import CadtClient, CadtError, CadtUnauthorized, CadtUnavailable

CREATE_ORGANIZATION = (
    "Create the organization on the node first (POST /v1/organizations with its name and icon; it takes "
    "about 30 s, and on mainnet a synced wallet with XCH), then give its orgUid from GET /v1/organizations."
)


@dataclass(frozen=True)
class ConnectionCheck:
    outcome: str  # ok, unreachable, unauthorized, not_a_node, organization_missing
    detail: str
    next_step: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    def describe(self) -> str:
        return f"{self.detail} {self.next_step}".strip()


def check_connection(client_for: Callable[[Connection], CadtClient], connection: Connection) -> ConnectionCheck:
    try:
        organizations = client_for(connection).organizations()
    except CadtUnauthorized:
        return ConnectionCheck(
            "unauthorized",
            "The node refused the API key (403).",
            "Enter the key set as CADT_API_KEY in the node's config.yaml, sent as x-api-key.",
        )
    except CadtUnavailable as error:
        return ConnectionCheck(
            "unreachable",
            f"No CAD Trust node answered at {connection.base_url} ({error}).",
            "Check the URL and port (a CADT node listens on 31310 unless configured otherwise), that the node "
            "is running, and that the platform can reach it.",
        )
    except CadtError as error:
        return ConnectionCheck(
            "not_a_node",
            f"{connection.base_url} answered, but not as a CAD Trust v1 node ({error}).",
            "Give the node's base URL, without /v1.",
        )
    return _organization(organizations, connection.organization_id)


def _organization(organizations: dict[str, Any], org_uid: str) -> ConnectionCheck:
    organization = organizations.get(org_uid) if org_uid else None
    if not isinstance(organization, dict):
        known = ", ".join(sorted(organizations)) or "none"
        return ConnectionCheck(
            "organization_missing",
            f"The node holds no organization {org_uid or '(none given)'} (organizations on the node: {known}).",
            CREATE_ORGANIZATION,
        )
    if not organization.get("isHome"):
        return ConnectionCheck(
            "organization_missing",
            f"Organization {org_uid} is on the node but is not its home organization, so the node cannot "
            "write its records.",
            "Give the orgUid of the node's own (home) organization, or create one on this node. " + CREATE_ORGANIZATION,
        )
    return ConnectionCheck("ok", f"Connected: the node holds organization {organization.get('name') or org_uid}.")
