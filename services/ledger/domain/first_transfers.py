"""When an action is the first transfer of a unit (2/CMA.3 annex para 2).

For units authorized for NDC use it is the first international transfer. For units authorized for
OIMP it is the event the authorization names: authorization, issuance, or use or cancellation.
Whichever comes first counts; a unit is first transferred once.
"""

from collections.abc import Callable, Iterable

from services.ledger.domain.authorizations import AuthorizationTerms, FirstTransferDefinition, Purpose
from services.ledger.domain.blocks import FirstTransferTrigger, UnitBlock
from services.ledger.domain.transactions import INTERNATIONAL_TYPES, TransactionType

_T = TransactionType
USES_AND_CANCELLATIONS = frozenset(
    {
        _T.USE_OIMP,
        _T.CANCELLATION_OIMP,
        _T.VOLUNTARY_CANCELLATION,
        _T.OMGE_CANCELLATION,
        _T.RETIREMENT,
    }
)

_OIMP_TRIGGERS = {
    (_T.AUTHORIZATION, FirstTransferDefinition.AUTHORIZATION): FirstTransferTrigger.AUTHORIZATION,
    (_T.ISSUANCE, FirstTransferDefinition.ISSUANCE): FirstTransferTrigger.ISSUANCE,
    **{
        (action, FirstTransferDefinition.USE_OR_CANCELLATION): FirstTransferTrigger.USE_OR_CANCELLATION
        for action in USES_AND_CANCELLATIONS
    },
}


def first_transfer_trigger(
    action: TransactionType, block: UnitBlock, terms: AuthorizationTerms | None
) -> FirstTransferTrigger | None:
    """The first-transfer event `action` is for the units of `block`, or None if it is none."""
    if block.first_transfer is not None or terms is None:
        return None
    if action in INTERNATIONAL_TYPES and Purpose.NDC in terms.purposes:
        return FirstTransferTrigger.INTERNATIONAL_TRANSFER
    return _OIMP_TRIGGERS.get((action, terms.oimp_first_transfer)) if terms.oimp_first_transfer else None


def international_transfer_type(
    blocks: Iterable[UnitBlock], terms_of: Callable[[UnitBlock], AuthorizationTerms | None]
) -> TransactionType:
    """A transfer abroad is reported as a first transfer when it first transfers any of its units."""
    if any(first_transfer_trigger(_T.TRANSFER_INTERNATIONAL, block, terms_of(block)) for block in blocks):
        return _T.FIRST_TRANSFER
    return _T.TRANSFER_INTERNATIONAL
