from dataclasses import dataclass

from services.ledger.domain import catalogue
from services.ledger.domain.errors import failed

UNIT_SERIALS = "unit_serials"
ACCOUNT_NUMBERS = "account_numbers"
TRANSACTION_NUMBERS = "transaction_numbers"


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
        self.next_value += count
        return first
