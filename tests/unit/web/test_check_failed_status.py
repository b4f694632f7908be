"""The gateway answers a failed ledger check with the status its catalogue entry implies."""

import pytest

from gateway.ledger.context import check_failed
from services.ledger.domain.catalogue import CATALOGUE, Check
from services.ledger.domain.errors import failed


@pytest.mark.parametrize("check", CATALOGUE, ids=lambda check: check.code)
def test_a_conflict_with_the_ledgers_state_is_409_and_any_other_refusal_422(check: Check) -> None:
    problem = check_failed(failed(check, "Detail.", "field"))

    assert problem.status == (409 if check.conflict else 422)
    assert (problem.code, problem.extra.get("field")) == (check.code, "field")
