from services.ledger.domain.catalogue import Check


class CheckFailed(Exception):
    """A numbered check failed: the action changes nothing.

    `message` says what was wrong and what to do next; `field` names the input at fault; `conflict` says
    the check failed on the ledger's state rather than on the request (see `Check`).
    """

    def __init__(self, code: str, message: str, field: str | None = None, conflict: bool = False) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.field = field
        self.conflict = conflict


def failed(check: Check, detail: str, field: str | None = None) -> CheckFailed:
    """Build the error for `check`, with `detail` about this case followed by the remedy."""
    return CheckFailed(check.code, f"{detail} {check.remedy}", field, check.conflict)
