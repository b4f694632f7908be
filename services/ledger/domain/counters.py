from dataclasses import dataclass

from services.ledger.domain import catalogue
from services.ledger.domain.errors import failed

UNIT_SERIALS = "unit_serials"
ACCOUNT_NUMBERS = "account_numbers"
TRANSACTION_NUMBERS = "transaction_numbers"
# The counter stores its next value as a 64-bit integer, so the last value it hands out is one below.
LAST_VALUE = 2**63 - 2


@dataclass
class Counter:
    """A per-tenant counter: values handed out are never handed out again."""

    name: str
    next_value: int = 1

    def take(self, count: int = 1) -> int:
        """Reserve `count` consecutive values and return the first."""
        if count < 1:
            raise failed(catalogue.QUANTITY_POSITIVE_INTEGER, f"Cannot take {count} values.", "quantity")
        first = self.next_value
        if first + count - 1 > LAST_VALUE:
            left = max(LAST_VALUE - first + 1, 0)
            raise failed(
                catalogue.NUMBERS_AVAILABLE,
                f"Only {left} {self.name.replace('_', ' ')} are left for {count} units.",
                "quantity",
            )
        self.next_value += count
        return first
