"""Three-phase reconciliation of the projection against the ledger, as Kyoto registries did it:
1 totals per account type and vintage, 2 unit blocks, 3 the journal. Every difference is listed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

TERMINAL = frozenset({"used", "cancelled", "retired"})


def live_or_terminal(state: str) -> str:
    """A held transaction reserves units without an event; both sides agree they are still live."""
    return state if state in TERMINAL else "live"


@dataclass(frozen=True)
class Difference:
    phase: str
    key: str
    ledger: Any
    projection: Any

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def compare(phase: str, ledger: Mapping[str, Any], projection: Mapping[str, Any]) -> list[Difference]:
    keys = sorted(set(ledger) | set(projection))
    return [
        Difference(phase, key, ledger.get(key), projection.get(key))
        for key in keys
        if ledger.get(key) != projection.get(key)
    ]


@dataclass(frozen=True)
class Report:
    totals: list[Difference]
    blocks: list[Difference]
    journal: list[Difference]

    @property
    def differences(self) -> list[Difference]:
        return [*self.totals, *self.blocks, *self.journal]

    @property
    def consistent(self) -> bool:
        return not self.differences

    def to_dict(self) -> dict[str, Any]:
        return {
            "consistent": self.consistent,
            "phases": {
                "totals": "consistent" if not self.totals else "totals inconsistent",
                "blocks": "consistent" if not self.blocks else "unit blocks inconsistent",
                "journal": "consistent" if not self.journal else "journal inconsistent",
            },
            "differences": [d.to_dict() for d in self.differences],
        }
