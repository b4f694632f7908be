"""Every operation of the OpenAPI document, fuzzed by schemathesis against the application on PostgreSQL.

The requests carry real tokens of two roles (a registry administrator with a second factor and an account
holder's representative) and name a furnished registry, so most of them reach the handlers instead of
stopping at a 404. Valid and invalid data are both generated, with a fixed seed and a bounded number of
examples per operation. Every answer must be free of server errors and described by the document: its
status code, its media type, its headers and its body.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi import checks as openapi_checks

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tests.conftest import DatabaseUrls, fresh_postgres_database, settings_for
from tests.factories.auth import bearer_token
from tests.integration.ledger_api.world import Registry, furnish, issue, new_registry

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

EXAMPLES_PER_OPERATION = 10
CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
]
SCHEMATHESIS_CONFIG = {"generation": {"deterministic": True}}


@dataclass(frozen=True)
class Target:
    app: Flask
    registry: Registry
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def target(postgres_server: DatabaseUrls) -> Iterator[Target]:
    with contextmanager(fresh_postgres_database)(postgres_server) as urls:
        # No relay runs here: on a slow machine the events written at set-up would outgrow readiness's outbox
        # age limit and make /readyz a 503 part-way through, which is its documented answer but a 5xx.
        app = create_app(settings_for(urls, ready_max_outbox_age_seconds=0))
        app.config.update(RATE_LIMIT_PER_CLIENT_PER_MINUTE=1_000_000, RATE_LIMIT_PER_TENANT_PER_MINUTE=1_000_000)
        try:
            host, partner = new_registry(app), new_registry(app)
            furnish(host, partner)
            issue(host, 10_000)
            tokens = {
                "administrator": host.token(Role.REGISTRY_ADMIN),
                "holder": bearer_token(app, host.tenant.code, [Role.ACCOUNT_REPRESENTATIVE], mfa=True),
            }
            yield Target(app, host, tokens)
        finally:
            platform_of(app).close()


@pytest.fixture(scope="module")
def api_schema(target: Target) -> Any:
    config = schemathesis.config.SchemathesisConfig.from_dict(SCHEMATHESIS_CONFIG)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", target.app, config=config)


# Shrinking would only polish a failing example at the cost of minutes; the first one found is reported.
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
)


@pytest.mark.parametrize("role", ["administrator", "holder"])
def test_every_operation_answers_within_its_document(api_schema: Any, target: Target, role: str) -> None:
    failures = [
        failure
        for result in api_schema.get_all_operations()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        if (failure := fuzz(result.ok(), mode, target, role))
    ]
    assert not failures, f"{len(failures)} operations broke their document:\n" + "\n\n".join(failures)


def fuzz(operation: Any, mode: GenerationMode, target: Target, role: str) -> str | None:
    """The first failure of one operation in one generation mode, or None."""
    fixed = {"registry": target.registry.tenant.code} if "{registry}" in operation.path else None

    @given(case=operation.as_strategy(mode, path_parameters=fixed))
    @FUZZ_SETTINGS
    def exercise(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {target.tokens[role]}"}, checks=CHECKS)

    try:
        exercise()
    except Unsatisfiable:
        return None  # nothing of this operation can be made invalid: no parameters and no body besides the path
    except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - every failure is collected and reported together
        return f"{operation.method.upper()} {operation.path} ({mode}): {error}"
    return None
