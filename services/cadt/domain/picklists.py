"""Governance picklists: the fields CAD Trust v1 enforces, checked before a record is sent."""

from __future__ import annotations

from typing import Any

from services.cadt.domain.model import FieldProblem

Picklists = dict[str, list[str]]

PROJECT_FIELDS = {"coveredByNDC": "coveredByNDC", "projectStatus": "projectStatusValues", "unitMetric": "unitMetric"}
CHILD_FIELDS = {
    "projectLocations": ("country", "countries"),
    "labels": ("labelType", "labelType"),
    "projectRatings": ("ratingType", "ratingType"),
}
UNIT_FIELDS = {
    "countryJurisdictionOfOwner": "countries",
    "unitType": "unitType",
    "unitStatus": "unitStatus",
    "correspondingAdjustmentDeclaration": "correspondingAdjustmentDeclaration",
    "correspondingAdjustmentStatus": "correspondingAdjustmentStatus",
}


def _check(field: str, value: Any, allowed: list[str] | None) -> list[FieldProblem]:
    if allowed is None or value in allowed:
        return []
    return [FieldProblem(field, value, tuple(allowed))]


def project_problems(payload: dict[str, Any], picklists: Picklists) -> list[FieldProblem]:
    problems = [
        problem
        for field, key in PROJECT_FIELDS.items()
        for problem in _check(field, payload.get(field), picklists.get(key))
    ]
    for child, (field, key) in CHILD_FIELDS.items():
        for index, row in enumerate(payload.get(child, [])):
            problems += _check(f"{child}[{index}].{field}", row.get(field), picklists.get(key))
    return problems


def unit_problems(payload: dict[str, Any], picklists: Picklists) -> list[FieldProblem]:
    return [
        problem
        for field, key in UNIT_FIELDS.items()
        for problem in _check(field, payload.get(field), picklists.get(key))
    ]


def missing(payload: dict[str, Any], required: tuple[str, ...]) -> list[FieldProblem]:
    return [FieldProblem(name, None, message="is required; set it in the CAD Trust settings") for name in required
            if payload.get(name) in (None, "")]  # fmt: skip
