"""Small value types shared by accounts, authorizations and unit blocks."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Self

from services.ledger.domain import catalogue
from services.ledger.domain.errors import failed


@dataclass(frozen=True)
class Metric:
    """GHG (t CO2 eq) when `non_ghg_metric` is None, else the named non-GHG metric."""

    non_ghg_metric: str | None = None

    @classmethod
    def ghg(cls) -> Self:
        return cls()

    @classmethod
    def non_ghg(cls, name: str) -> Self:
        if not name.strip():
            raise failed(catalogue.METRIC_VALID, "A non-GHG metric needs a name.", "metric")
        return cls(name.strip())

    @property
    def is_ghg(self) -> bool:
        return self.non_ghg_metric is None

    def __str__(self) -> str:
        return "t CO2 eq" if self.non_ghg_metric is None else self.non_ghg_metric


class MitigationType(StrEnum):
    REDUCTIONS = "emission_reductions"
    REMOVALS = "removals"
    REDUCTIONS_AND_REMOVALS = "emission_reductions_and_removals"


class UnitType(StrEnum):
    MITIGATION_OUTCOME = "mitigation_outcome"
    A6_4_EMISSION_REDUCTION = "a6_4er"
    STANDARD_CREDIT = "standard_credit"


@dataclass(frozen=True)
class VintageQuantity:
    vintage: int
    quantity: int
