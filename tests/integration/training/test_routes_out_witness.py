"""A training registry's transparency log is witnessed only by training registries, and a training
registry witnesses no other log: set-up is refused, and a witness across the line is never asked."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask import Flask

from gateway.bootstrap import Platform, platform_of
from gateway.bootstrap.witnesses import cosign_latest
from gateway.cli.main import main
from services.shared.secret_box import AesGcmSecretBox
from services.transparency.domain.witness import parse_witness_key
from services.transparency.entrypoints.checkpoints import log_verifier_key, origin_for
from services.transparency.entrypoints.witnessing import add_witness, follow
from services.transparency.entrypoints.witnessing import witness_key as witness_key_of
from services.transparency.service_layer.ports import WitnessEntry
from tenants.domain.model import Tenant, TenantKind
from tests.conftest import TEST_SECRET, DatabaseUrls, new_tenant_command
from tests.integration.transparency.journal import append_records
from tests.integration.transparency.test_public_log import registry as transparency

TRAINING, PRODUCTION = TenantKind.TRAINING, TenantKind.PRODUCTION


@pytest.fixture
def platform(app: Flask) -> Platform:
    found: Platform = platform_of(app)
    return found


def with_log(platform: Platform, kind: TenantKind) -> Tenant:
    tenant = platform.catalogue.create(new_tenant_command(kind=kind))
    append_records(platform, tenant.id, 3)
    return tenant


def cli(urls: DatabaseUrls, *args: str) -> tuple[int, str]:
    env = {"DATABASE_URL": urls.app, "DATABASE_OWNER_URL": urls.owner, "SECRET_KEY": TEST_SECRET}
    result = CliRunner().invoke(main, ["transparency", *args], env=env)
    return result.exit_code, result.output


@pytest.mark.parametrize(("log_kind", "witness_kind"), [(TRAINING, PRODUCTION), (PRODUCTION, TRAINING)])
def test_witnessing_across_the_training_boundary_is_refused(
    database_urls: DatabaseUrls, platform: Platform, log_kind: TenantKind, witness_kind: TenantKind
) -> None:
    log, witness = with_log(platform, log_kind), with_log(platform, witness_kind)
    code, output = cli(database_urls, "witness", "--registry", log.code, "--by", witness.code)
    assert code == 2
    assert "training" in output


def test_a_training_registry_has_no_witness_and_follows_no_log_outside_the_platform(
    database_urls: DatabaseUrls, platform: Platform
) -> None:
    trainee, outside = with_log(platform, TRAINING), with_log(platform, PRODUCTION)  # valid keys of a real one
    box = AesGcmSecretBox(TEST_SECRET)
    key = witness_key_of(platform.database, outside.id, outside.registry_id, box, platform.clock)
    url = ["--url", "https://witness.example/api", "--witness-key", key]
    assert cli(database_urls, "witness", "--registry", trainee.code, *url)[0] == 2
    log_key = log_verifier_key(platform.database, outside.id, outside.registry_id, box, platform.clock)
    origin = ["--origin", origin_for(outside.registry_id), "--log-key", log_key]
    assert cli(database_urls, "follow", "--registry", trainee.code, *origin)[0] == 2
    assert cli(database_urls, "follow", "--registry", with_log(platform, PRODUCTION).code, *origin)[0] == 0


def test_training_registries_witness_each_other(database_urls: DatabaseUrls, app: Flask, platform: Platform) -> None:
    log, witness = with_log(platform, TRAINING), with_log(platform, TRAINING)
    assert cli(database_urls, "witness", "--registry", log.code, "--by", witness.code)[0] == 0
    transparency(database_urls, "sequence", "--registry", log.code)  # the sequencer asks the witnesses
    checkpoint = app.test_client().get(f"/api/v1/registries/{log.code}/log/checkpoint").get_data(as_text=True)
    assert f"carbon-registry/{witness.registry_id}/witness" in checkpoint


@pytest.mark.parametrize(("log_kind", "witness_kind"), [(TRAINING, PRODUCTION), (PRODUCTION, TRAINING)])
def test_a_witness_across_the_line_recorded_anyway_is_never_asked(
    database_urls: DatabaseUrls, app: Flask, platform: Platform, log_kind: TenantKind, witness_kind: TenantKind
) -> None:
    log, witness = with_log(platform, log_kind), with_log(platform, witness_kind)
    box = AesGcmSecretBox(TEST_SECRET)
    key = witness_key_of(platform.database, witness.id, witness.registry_id, box, platform.clock)
    name, _ = parse_witness_key(key)
    log_key = log_verifier_key(platform.database, log.id, log.registry_id, box, platform.clock)
    follow(platform.database, witness.id, origin_for(log.registry_id), log_key)  # as --by would have
    add_witness(platform.database, log.id, WitnessEntry(name, key, witness.code, None, 0))
    transparency(database_urls, "sequence", "--registry", log.code)
    assert cosign_latest(platform, log) == []
    checkpoint = app.test_client().get(f"/api/v1/registries/{log.code}/log/checkpoint").get_data(as_text=True)
    assert checkpoint.startswith(f"carbon-registry/{log.registry_id}\n")
    assert "/witness" not in checkpoint


def test_a_training_registry_cosigns_no_checkpoint_sent_over_http(app: Flask, platform: Platform) -> None:
    trainee = with_log(platform, TRAINING)
    answer = app.test_client().post(
        f"/api/v1/registries/{trainee.code}/witness/add-checkpoint", data=b"old 0\n\nx\n", content_type="text/plain"
    )
    assert (answer.status_code, answer.get_json()["code"]) == (409, "training.route_closed")
