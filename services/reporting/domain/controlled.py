"""Controlled values of the AEF (the UNFCCC common nomenclature), read from versioned configuration."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CONFIG = Path(__file__).resolve().parent.parent / "config" / "controlled_values.json"


@dataclass(frozen=True)
class ControlledValues:
    version: str
    purposes: tuple[str, ...]
    metrics: tuple[str, ...]
    mitigation_types: dict[str, str]
    sectors: tuple[str, ...]
    action_types: dict[str, tuple[str, ...]]
    first_transfer_subtypes: dict[str, str]
    first_transfer_definitions: dict[str, str]
    holdings_effect: dict[str, int]
    ghg_metric_unit: str

    def effect(self, action_type: str, subtype: str) -> int:
        """+1 when the action adds to the Party's holdings, -1 when it takes units out, 0 otherwise."""
        return self.holdings_effect.get(f"{action_type}/{subtype}", self.holdings_effect.get(action_type, 0))

    def subtypes(self, action_type: str) -> tuple[str, ...]:
        return self.action_types.get(action_type, ())

    def purpose_label(self, purposes: list[str]) -> str:
        """The nomenclature writes a combination as 'NDC and OIMP', NDC first."""
        ordered = sorted(purposes, key=lambda p: (p != "NDC", p))
        return " and ".join(ordered)


def parse(body: dict[str, Any]) -> ControlledValues:
    return ControlledValues(
        version=str(body["version"]),
        purposes=tuple(body["purposes"]),
        metrics=tuple(body["metrics"]),
        mitigation_types=dict(body["mitigation_types"]),
        sectors=tuple(body["sectors"]),
        action_types={name: tuple(subtypes) for name, subtypes in body["action_types"].items()},
        first_transfer_subtypes=dict(body["first_transfer_subtypes"]),
        first_transfer_definitions=dict(body["first_transfer_definitions"]),
        holdings_effect={key: int(value) for key, value in body["holdings_effect"].items()},
        ghg_metric_unit=str(body["ghg_metric_unit"]),
    )


@cache
def controlled_values() -> ControlledValues:
    return parse(json.loads(CONFIG.read_text(encoding="utf-8")))
