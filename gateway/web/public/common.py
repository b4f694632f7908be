"""What the public explorer's views share: the registry, its confidential fields, pages and labels."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import request
from flask_babel import lazy_gettext as _l

from gateway.errors import not_found
from gateway.inputs.limits import PAGE_MAX, whole_number
from gateway.reporting.public_api import HIDDEN
from gateway.tenancy import current_tenant

PAGE_SIZE = 20

STATE_LABELS = {
    "active": _l("held"),
    "pending_out": _l("held, moving out"),
    "used": _l("used"),
    "cancelled": _l("cancelled"),
    "retired": _l("retired"),
}
TYPE_LABELS = {
    "issuance": _l("Issuance"),
    "authorization": _l("Authorization"),
    "first_transfer": _l("First transfer"),
    "transfer_domestic": _l("Transfer within the registry"),
    "transfer_international": _l("International transfer"),
    "acquisition": _l("Acquisition"),
    "use_ndc": _l("Use towards an NDC"),
    "use_oimp": _l("Use for OIMP"),
    "cancellation_oimp": _l("Cancellation for OIMP"),
    "voluntary_cancellation": _l("Voluntary cancellation"),
    "omge_cancellation": _l("Cancellation for OMGE"),
    "retirement": _l("Retirement"),
}
PROJECT_STATUS_LABELS = {
    "listed": _l("Listed"),
    "validated": _l("Validated"),
    "registered": _l("Registered"),
    "approved": _l("Approved"),
    "authorized": _l("Authorized"),
    "completed": _l("Completed"),
    "transitioned": _l("Transitioned"),
    "inactive": _l("Inactive"),
    "withdrawn": _l("Withdrawn"),
    "rejected": _l("Rejected"),
    "deregistered": _l("Deregistered"),
}


def label(labels: dict[str, Any], value: object) -> str:
    key = str(getattr(value, "value", value))
    return str(labels.get(key, key))


def hidden_fields() -> set[str]:
    """The fields the registry keeps confidential: left out of every public page, as in the public API."""
    confidential = current_tenant().settings.get("confidential_fields", [])
    return {name for field in confidential for name in HIDDEN.get(field, ())}


def page_number() -> int:
    return whole_number(request.args.get("page", "1"), PAGE_MAX) or 1


def optional_int(name: str) -> int | None:
    return whole_number(request.args.get(name, "").strip())


def page_url(number: int) -> str:
    """This page's URL with the same query and another page number: pages are shareable links."""
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return f"{request.path}?{urlencode({**args, 'page': number})}"


def last_page(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))


def found(record: Any, what: str) -> Any:
    if record is None:
        raise not_found(what)
    return record


def base_url() -> str:
    return f"/registries/{current_tenant().code}"


def template_helpers() -> dict[str, Any]:
    return {
        "page_url": page_url,
        "last_page": last_page,
        "state_label": lambda v: label(STATE_LABELS, v),
        "type_label": lambda v: label(TYPE_LABELS, v),
        "status_label": lambda v: label(PROJECT_STATUS_LABELS, v),
    }
