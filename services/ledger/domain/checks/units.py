from collections.abc import Iterable
from datetime import datetime

from services.ledger.domain import catalogue
from services.ledger.domain.blocks import UnitBlock, UnitState
from services.ledger.domain.errors import failed
from services.ledger.domain.registry import RegistrySettings


def check_registry_not_on_hold(registry: RegistrySettings) -> None:
    if registry.on_hold:
        raise failed(catalogue.REGISTRY_NOT_ON_HOLD, f"Registry {registry.registry_id} is on hold.")


def check_quantity_available(candidates: Iterable[UnitBlock], quantity: int) -> None:
    """Enough available units among the candidates; if not, say whether reservations are the cause."""
    available = reserved = 0
    reserving: set[str] = set()
    for block in candidates:
        if block.is_available:
            available += block.quantity
        elif block.state is UnitState.PENDING_OUT:
            reserved += block.quantity
            reserving.add(str(block.reserved_by))
    if available >= quantity:
        return
    if available + reserved >= quantity:
        raise failed(
            catalogue.UNITS_NOT_RESERVED,
            f"{reserved} of the units are reserved by pending transaction "
            f"{', '.join(sorted(reserving))}; {available} are available.",
            "quantity",
        )
    raise failed(
        catalogue.QUANTITY_AVAILABLE, f"The account holds {available} matching units, not {quantity}.", "quantity"
    )


def check_vintage_not_in_future(vintage: int, now: datetime) -> None:
    if vintage > now.year:
        raise failed(catalogue.VINTAGE_NOT_IN_FUTURE, f"Vintage {vintage} is after {now.year}.", "vintage")


def check_no_overlap(new_block: UnitBlock, existing: Iterable[UnitBlock]) -> None:
    for block in existing:
        if (
            block.space == new_block.space
            and block.serial_first <= new_block.serial_last
            and (new_block.serial_first <= block.serial_last)
        ):
            raise failed(
                catalogue.BLOCK_INTEGRITY,
                f"Units {new_block.first_itmo_id} to {new_block.last_itmo_id} overlap block "
                f"{block.first_itmo_id} to {block.last_itmo_id}.",
                "serial_first",
            )
