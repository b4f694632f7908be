"""The Helm chart: lint, render, and check the rendered manifests and the values schema."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import pytest
import yaml

from .conftest import (
    CHART_DIR,
    PRODUCTION_VALUES,
    Helm,
    Scenario,
    iter_containers,
    pod_spec,
)

SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
HOOK_KINDS_BEFORE_INSTALL = {"pre-install", "pre-upgrade"}


def by_kind(manifests: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [m for m in manifests if m.get("kind") == kind]


def component(manifest: Mapping[str, Any]) -> str:
    return str(manifest["metadata"].get("labels", {}).get("app.kubernetes.io/component", ""))


def hook_phases(manifest: Mapping[str, Any]) -> set[str]:
    annotations = manifest["metadata"].get("annotations") or {}
    return {p.strip() for p in str(annotations.get("helm.sh/hook", "")).split(",") if p.strip()}


def hook_weight(manifest: Mapping[str, Any]) -> int:
    return int((manifest["metadata"].get("annotations") or {}).get("helm.sh/hook-weight", "0"))


def env_entry(container: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    return next((e for e in container.get("env") or [] if e["name"] == name), None)


def migration_job(manifests: list[dict[str, Any]], migrate_command: tuple[str, ...]) -> dict[str, Any]:
    jobs = [
        job
        for job in by_kind(manifests, "Job")
        if any(tuple(c.get("args", ())) == migrate_command for c in pod_spec(job)["containers"])
    ]
    assert len(jobs) == 1, f"expected one Job running {migrate_command}, found {len(jobs)}"
    return jobs[0]


# ------------------------------------------------------------------------------------ chart files


def test_chart_metadata_is_helm4_lintable() -> None:
    chart = yaml.safe_load((CHART_DIR / "Chart.yaml").read_text())
    assert chart["apiVersion"] == "v2"
    assert chart["name"] == "carbon-registry"
    assert SEMVER.match(str(chart["version"])), f"Chart version {chart['version']!r} is not SemVer 2"
    app_version = str(chart["appVersion"])
    assert app_version
    assert app_version.lower() != "latest"
    assert not chart.get("dependencies"), "no bundled database or broker subcharts"


def test_schema_worker_names_are_the_cli_process_types(
    process_types: dict[str, tuple[str, ...]], default_values: dict[str, Any]
) -> None:
    schema = json.loads((CHART_DIR / "values.schema.json").read_text())
    workers = schema["properties"]["workers"]
    allowed = set(workers["propertyNames"]["enum"])
    assert workers["additionalProperties"] is False
    assert allowed | {"gateway"} == set(process_types), "schema worker names drift from PROCESS_TYPES"
    assert set(default_values["workers"]) == allowed


@pytest.mark.parametrize("values", ["default", "production"])
def test_helm_lint_strict_passes(helm: Helm, values: str) -> None:
    files = () if values == "default" else (PRODUCTION_VALUES,)
    result = helm.lint(*files)
    assert result.returncode == 0, result.output
    assert "0 chart(s) failed" in result.output


# ------------------------------------------------------------------------------------ rendering


def test_renders_expected_objects(scenario: Scenario) -> None:
    kinds = {m["kind"] for m in scenario.manifests}
    assert {"Deployment", "Job", "Service", "ServiceAccount", "ConfigMap", "NetworkPolicy"} <= kinds
    assert {"HorizontalPodAutoscaler", "PodDisruptionBudget"} <= kinds, "the gateway autoscales by default"
    assert not kinds & {"StatefulSet", "PersistentVolumeClaim"}, "no bundled PostgreSQL or Kafka"
    for manifest in scenario.manifests:
        labels = manifest["metadata"].get("labels", {})
        for key in (
            "app.kubernetes.io/name",
            "app.kubernetes.io/instance",
            "app.kubernetes.io/managed-by",
            "app.kubernetes.io/version",
            "helm.sh/chart",
        ):
            assert key in labels, f"{manifest['kind']}/{manifest['metadata']['name']} lacks label {key}"


def test_the_gateway_readiness_outbox_age_comes_from_the_values(scenario: Scenario) -> None:
    (config,) = by_kind(scenario.manifests, "ConfigMap")
    assert config["data"]["READY_MAX_OUTBOX_AGE_SECONDS"] == "300"


def test_the_fair_share_cap_per_registry_comes_from_the_values(scenario: Scenario) -> None:
    (config,) = by_kind(scenario.manifests, "ConfigMap")
    assert config["data"]["REGISTRY_IN_FLIGHT_PER_REGISTRY"] == "1"


def test_production_example_renders_ingress_and_sasl_tls(scenarios: dict[str, Scenario]) -> None:
    manifests = scenarios["production"].manifests
    (ingress,) = by_kind(manifests, "Ingress")
    assert ingress["spec"]["tls"], "production ingress terminates TLS"
    (config,) = by_kind(manifests, "ConfigMap")
    assert config["data"]["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    assert config["data"]["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    assert config["data"]["KAFKA_SSL_CAFILE"].startswith("/")
    assert config["data"]["OTEL_EXPORTER_OTLP_ENDPOINT"].startswith("http")
    assert config["data"]["REGISTRY_TENANCY_MODE"] == "pooled"
    for _, _, container, _ in iter_containers(manifests):
        password = env_entry(container, "KAFKA_SASL_PASSWORD")
        assert password is not None
        assert password["valueFrom"]["secretKeyRef"]["name"] == "carbon-registry-kafka"
        mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
        assert any(config["data"]["KAFKA_SSL_CAFILE"].startswith(path + "/") for path in mounts)


def test_migration_job_is_a_pre_hook_with_owner_url_from_a_hook_time_secret(
    scenario: Scenario, migrate_command: tuple[str, ...]
) -> None:
    job = migration_job(scenario.manifests, migrate_command)
    annotations = job["metadata"]["annotations"]
    assert hook_phases(job) >= HOOK_KINDS_BEFORE_INSTALL
    assert "helm.sh/hook-weight" in annotations
    assert "before-hook-creation" in annotations.get("helm.sh/hook-delete-policy", "")

    spec = pod_spec(job)
    assert spec["restartPolicy"] == "Never"
    (container,) = spec["containers"]
    owner_url = env_entry(container, "DATABASE_OWNER_URL")
    assert owner_url is not None, "the migration Job needs DATABASE_OWNER_URL"
    assert "value" not in owner_url, "DATABASE_OWNER_URL must come from a Secret, not a literal"
    secret_name = owner_url["valueFrom"]["secretKeyRef"]["name"]

    rendered = {s["metadata"]["name"]: s for s in by_kind(scenario.manifests, "Secret")}
    if secret_name in rendered:
        secret = rendered[secret_name]
        assert hook_phases(secret) >= HOOK_KINDS_BEFORE_INSTALL, "chart Secret must exist at hook time"
        assert hook_weight(secret) < hook_weight(job), "Secret hook must be created before the Job"
        key = owner_url["valueFrom"]["secretKeyRef"]["key"]
        assert key in (secret.get("stringData") or secret.get("data") or {})
    else:
        assert secret_name in scenario.existing_secrets, (
            f"DATABASE_OWNER_URL comes from {secret_name!r}, neither a hook Secret nor an existingSecret"
        )

    # Nothing an ordinary (non-hook) resource provides: it would not exist yet on first install.
    ordinary = {(m["kind"], m["metadata"]["name"]) for m in scenario.manifests if not hook_phases(m)}
    for source in container.get("envFrom") or []:
        ref = source.get("configMapRef") or source.get("secretRef") or {}
        kind = "ConfigMap" if "configMapRef" in source else "Secret"
        assert (kind, ref.get("name")) not in ordinary, f"hook Job reads {kind} {ref.get('name')} created later"
    for entry in container.get("env") or []:
        ref = (entry.get("valueFrom") or {}).get("secretKeyRef")
        if ref:
            assert ("Secret", ref["name"]) not in ordinary
    service_accounts = {m["metadata"]["name"] for m in by_kind(scenario.manifests, "ServiceAccount")}
    assert spec.get("serviceAccountName", "default") not in service_accounts, (
        "the chart's ServiceAccount does not exist yet when a pre-install hook runs"
    )


def test_inline_secret_scenario_creates_hook_secret(scenarios: dict[str, Scenario]) -> None:
    (secret,) = by_kind(scenarios["inline-secrets"].manifests, "Secret")
    assert {"DATABASE_URL", "DATABASE_OWNER_URL", "SECRET_KEY", "KAFKA_SASL_PASSWORD"} <= set(secret["stringData"])
    assert not by_kind(scenarios["default"].manifests, "Secret"), "existingSecret needs no chart Secret"


def test_only_the_migration_job_gets_the_owner_url(scenario: Scenario) -> None:
    for manifest, _, container, _ in iter_containers(scenario.manifests):
        if manifest["kind"] == "Job":
            continue
        assert env_entry(container, "DATABASE_OWNER_URL") is None, (
            f"{manifest['metadata']['name']} must connect as the app role only"
        )
        url = env_entry(container, "DATABASE_URL")
        assert url is not None
        assert "secretKeyRef" in url["valueFrom"]


def test_every_container_is_hardened_and_sized(scenario: Scenario, process_types: dict[str, tuple[str, ...]]) -> None:
    seen = 0
    for manifest, spec, container, field in iter_containers(scenario.manifests):
        seen += 1
        where = f"{manifest['kind']}/{manifest['metadata']['name']} {field}[{container['name']}]"
        pod_sc = spec.get("securityContext") or {}
        sc = container.get("securityContext") or {}

        image = container["image"]
        name_part = image.split("@", 1)[0].rsplit("/", 1)[-1]
        assert ":" in name_part, f"{where}: image {image!r} has no tag"
        assert not name_part.endswith(":latest"), f"{where}: image {image!r} uses latest"

        if manifest["kind"] not in {"Job", "CronJob"}:
            assert container.get("livenessProbe"), f"{where}: no livenessProbe"
            assert container.get("readinessProbe"), f"{where}: no readinessProbe"

        resources = container.get("resources") or {}
        for bound in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                assert (resources.get(bound) or {}).get(resource), f"{where}: no {bound}.{resource}"

        assert sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is True, f"{where}: runAsNonRoot"
        assert sc.get("readOnlyRootFilesystem") is True, f"{where}: readOnlyRootFilesystem"
        assert sc.get("allowPrivilegeEscalation") is False, f"{where}: allowPrivilegeEscalation"
        assert "ALL" in (sc.get("capabilities") or {}).get("drop", []), f"{where}: capabilities not dropped"
        seccomp = sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}
        assert seccomp.get("type") == "RuntimeDefault", f"{where}: seccomp"

        volumes = {v["name"]: v for v in spec.get("volumes") or []}
        tmp = [m for m in container.get("volumeMounts") or [] if m["mountPath"] == "/tmp"]
        assert tmp, f"{where}: /tmp is not mounted"
        assert "emptyDir" in volumes[tmp[0]["name"]], f"{where}: /tmp must be an emptyDir"
        assert spec.get("automountServiceAccountToken") is False, f"{where}: token automounted"
    expected = len(process_types) + 1  # every process type plus the migrations Job
    assert seen >= expected, f"expected containers for {sorted(process_types)} and migrations, saw {seen}"


def test_service_account_does_not_automount_token(scenario: Scenario) -> None:
    (account,) = by_kind(scenario.manifests, "ServiceAccount")
    assert account["automountServiceAccountToken"] is False


def test_a_deployment_runs_every_process_type(scenario: Scenario, process_types: dict[str, tuple[str, ...]]) -> None:
    deployments = {component(d): d for d in by_kind(scenario.manifests, "Deployment")}
    assert set(deployments) == set(process_types)
    for name, argv in process_types.items():
        (container,) = pod_spec(deployments[name])["containers"]
        assert not container.get("command"), "the image ENTRYPOINT is `registry`"
        assert tuple(container["args"]) == argv, f"{name} runs {container['args']}, CLI says {argv}"


def test_relay_is_a_single_recreated_replica(scenario: Scenario) -> None:
    (relay,) = [d for d in by_kind(scenario.manifests, "Deployment") if component(d) == "relay"]
    assert relay["spec"]["replicas"] == 1
    assert relay["spec"]["strategy"]["type"] == "Recreate"
    assert not [
        h
        for h in by_kind(scenario.manifests, "HorizontalPodAutoscaler")
        if h["spec"]["scaleTargetRef"]["name"] == relay["metadata"]["name"]
    ]


def test_schema_refuses_a_relay_replica_count(helm: Helm) -> None:
    # Only one relay may publish the outbox: its values entry takes no replicaCount.
    bad = helm.values_file("relay-scaled", {"workers": {"relay": {"replicaCount": 3}}})
    result = helm.template(bad)
    assert result.returncode != 0, result.output
    assert "/workers/relay" in result.output, result.output


def test_gateway_has_service_hpa_pdb_and_network_policy(scenario: Scenario) -> None:
    gateway = next(d for d in by_kind(scenario.manifests, "Deployment") if component(d) == "gateway")
    name = gateway["metadata"]["name"]
    selector = gateway["spec"]["selector"]["matchLabels"]
    template_labels = gateway["spec"]["template"]["metadata"]["labels"]
    assert selector.items() <= template_labels.items()

    (service,) = by_kind(scenario.manifests, "Service")
    assert service["spec"]["selector"] == selector
    (hpa,) = by_kind(scenario.manifests, "HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
    assert "replicas" not in gateway["spec"], "the HPA owns the gateway replica count"
    (pdb,) = by_kind(scenario.manifests, "PodDisruptionBudget")
    assert pdb["spec"]["selector"]["matchLabels"] == selector

    (container,) = pod_spec(gateway)["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    policies = by_kind(scenario.manifests, "NetworkPolicy")
    assert any("Egress" in p["spec"]["policyTypes"] for p in policies)
    assert any(
        p["spec"]["podSelector"]["matchLabels"].items() <= template_labels.items()
        and "Ingress" in p["spec"]["policyTypes"]
        for p in policies
    )


def test_image_tag_defaults_to_app_version(scenarios: dict[str, Scenario]) -> None:
    app_version = str(yaml.safe_load((CHART_DIR / "Chart.yaml").read_text())["appVersion"])
    images = {c["image"] for _, _, c, _ in iter_containers(scenarios["default"].manifests)}
    assert images == {f"carbon-registry:{app_version}"}


def test_worker_probes_use_registry_healthcheck(scenario: Scenario) -> None:
    for deployment in by_kind(scenario.manifests, "Deployment"):
        if component(deployment) == "gateway":
            continue
        (container,) = pod_spec(deployment)["containers"]
        assert "ports" not in container, "workers expose no port"
        for probe in ("livenessProbe", "readinessProbe"):
            assert container[probe]["exec"]["command"] == ["registry", "healthcheck"]


# ------------------------------------------------------------------------------------ schema

BAD_VALUES: dict[str, tuple[dict[str, Any], str]] = {
    "missing-database-secret": ({"postgres": {"existingSecret": "", "url": "", "ownerUrl": ""}}, "/postgres"),
    "non-numeric-gateway-replicas": ({"gateway": {"replicaCount": "two"}}, "/gateway/replicaCount"),
    "negative-outbox-age": ({"gateway": {"readyMaxOutboxAgeSeconds": -1}}, "/gateway/readyMaxOutboxAgeSeconds"),
    "in-flight-over-threads": ({"gateway": {"inFlightPerRegistry": 5}}, "/gateway/inFlightPerRegistry"),
    "unknown-process-type": ({"workers": {"consumer-billing": {"enabled": True, "resources": {}}}}, "consumer-billing"),
    "latest-image-tag": ({"image": {"tag": "latest"}}, "/image/tag"),
    "sasl-without-credentials": ({"kafka": {"security": {"protocol": "SASL_SSL"}}}, "/kafka/security/sasl"),
    "missing-secret-key-in-production": ({"secretKey": {"existingSecret": "", "value": ""}}, "/secretKey"),
    "writable-root-filesystem": ({"securityContext": {"readOnlyRootFilesystem": False}}, "readOnlyRootFilesystem"),
}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
@pytest.mark.parametrize("command", ["lint", "template"])
def test_schema_refuses_bad_values(helm: Helm, case: str, command: str) -> None:
    values, field = BAD_VALUES[case]
    bad = helm.values_file(case, values)
    result = helm.lint(bad) if command == "lint" else helm.template(bad)
    assert result.returncode != 0, f"{case} was accepted:\n{result.output}"
    assert "schema" in result.output, result.output
    assert field in result.output, f"{case}: error does not name {field}:\n{result.output}"


def test_schema_accepts_inline_secrets_and_development_without_secret_key(helm: Helm) -> None:
    dev = helm.values_file("development", {"environment": "development", "secretKey": {"existingSecret": ""}})
    result = helm.lint(dev)
    assert result.returncode == 0, result.output
