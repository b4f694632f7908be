"""Tenant settings: validated against a JSON Schema, merged over platform defaults."""

from __future__ import annotations

import json
import zoneinfo
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from tenants.domain.errors import InvalidTenant

_formats = FormatChecker()


@_formats.checks("time-zone", raises=zoneinfo.ZoneInfoNotFoundError)
def _is_time_zone(value: object) -> bool:
    if isinstance(value, str):
        zoneinfo.ZoneInfo(value)
    return True


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(resources.files("tenants.config").joinpath("tenant-settings.schema.json").read_text())
    return Draft202012Validator(schema, format_checker=_formats)


def setting_names() -> frozenset[str]:
    """Every key a registry's settings may have, with a default or without (`account_protection`)."""
    return frozenset(_validator().schema["properties"])


@cache
def defaults() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(resources.files("tenants.config").joinpath("defaults.json").read_text())
    return loaded


def validate_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Return the settings merged over the defaults, or raise InvalidTenant naming the bad field."""
    errors = sorted(_validator().iter_errors(settings), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
        raise InvalidTenant(f"settings field {where}: {first.message}; see tenants/config/tenant-settings.schema.json")
    merged = {**defaults(), **settings}
    period = merged["ndc_implementation_period"]
    if period["first_year"] > period["last_year"]:
        raise InvalidTenant("settings field ndc_implementation_period: first_year must not be after last_year")
    hours = (merged.get("account_protection") or {}).get("hours")
    if hours is not None and hours["opens"] >= hours["closes"]:
        raise InvalidTenant("settings field account_protection/hours: opens must come before closes")
    if merged["default_language"] not in merged["languages"]:
        raise InvalidTenant("settings field default_language: it must be one of the tenant's languages")
    return merged
