"""The chart's rendered gateway and migration under `podman kube play`, beside a PostgreSQL pod, on the
compose stack's network (its Kafka): the migration runs as the gateway pod's init container (podman
removes it once it has run, so its tables are the proof), and the gateway answers /readyz.

podman 4.3 plays no Secret from the YAML: it reads `secretKeyRef` from podman's own secrets, whose
data must be a JSON object of keys and base64 values (the chart's Secret manifest itself is refused:
`secret ... is not valid JSON`). So the rendered Secret's stringData is stored in that form with
`podman secret create`, and the Secret is left out of the played YAML."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.ledger_http import call

from .conftest import PROJECT, REPO_ROOT, images

pytestmark = pytest.mark.containers

HELM = REPO_ROOT / ".local" / "bin" / "helm"
GATEWAY_PORT = int(os.environ.get("REGISTRY_CT_KUBE_GATEWAY_PORT", "58001"))
PG_POD = "registry-kube-postgres"
OWNER_URL = f"postgresql+psycopg://registry_owner:local-only-owner@{PG_POD}:5432/registry"
APP_URL = f"postgresql+psycopg://registry_app:local-only-app@{PG_POD}:5432/registry"


def podman(*argv: str, stdin: str | None = None) -> str:
    result = subprocess.run(["podman", *argv], input=stdin, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"podman {' '.join(argv)}:\n{result.stderr}"
    return result.stdout


def rendered(tmp_path: Path, platform_image: str) -> list[dict[str, Any]]:
    repository, tag = platform_image.rsplit(":", 1)
    values = {
        "image": {"repository": repository, "tag": tag, "pullPolicy": "Never"},
        "secretKey": {"existingSecret": "", "value": "local-only-secret-key-do-not-use-in-production-0000"},
        "postgres": {"existingSecret": "", "url": APP_URL, "ownerUrl": OWNER_URL},
        "gateway": {"replicaCount": 1, "autoscaling": {"enabled": False}},
    }
    values_file = tmp_path / "values.yaml"
    values_file.write_text(yaml.safe_dump(values))
    home = tmp_path / "helm-home"
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "XDG_CONFIG_HOME": str(home), "XDG_CACHE_HOME": str(home)}
    result = subprocess.run(
        [str(HELM), "template", "registry", str(REPO_ROOT / "helm" / "carbon-registry"), "-f", str(values_file)],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def one(manifests: list[dict[str, Any]], kind: str, component: str) -> dict[str, Any]:
    found = [
        m
        for m in manifests
        if m["kind"] == kind and m["metadata"]["labels"].get("app.kubernetes.io/component") == component
    ]
    assert len(found) == 1, f"expected one {kind} {component}"
    return found[0]


def gateway_pod(manifests: list[dict[str, Any]]) -> dict[str, Any]:
    """The gateway Deployment's pod with the migration Job's container as its init container."""
    deployment = one(manifests, "Deployment", "gateway")
    migration = one(manifests, "Job", "migrate")["spec"]["template"]["spec"]["containers"][0]
    spec = dict(deployment["spec"]["template"]["spec"])
    spec["initContainers"] = [migration]
    spec["restartPolicy"] = "OnFailure"
    spec["containers"][0]["ports"][0]["hostPort"] = GATEWAY_PORT
    spec.pop("topologySpreadConstraints", None)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "registry-kube-gateway"}, "spec": spec}


def podman_secret(secret: dict[str, Any]) -> str:
    """The rendered Secret as podman 4.3's secret store takes it for secretKeyRef: a JSON object of
    its keys with base64-encoded values."""
    encoded = {key: base64.b64encode(value.encode()).decode() for key, value in secret.get("stringData", {}).items()}
    return json.dumps({**secret.get("data", {}), **encoded})


def postgres_pod(image: str) -> dict[str, Any]:
    init_script = REPO_ROOT / "infra" / "compose" / "postgres-init.sh"
    env = {
        "POSTGRES_PASSWORD": "local-only-postgres",
        "POSTGRES_DB": "registry",
        "REGISTRY_OWNER_ROLE": "registry_owner",
        "REGISTRY_OWNER_PASSWORD": "local-only-owner",
        "REGISTRY_APP_ROLE": "registry_app",
        "REGISTRY_APP_PASSWORD": "local-only-app",
    }
    container = {
        "name": "postgres",
        "image": image,
        "env": [{"name": k, "value": v} for k, v in env.items()],
        "volumeMounts": [{"name": "init", "mountPath": "/docker-entrypoint-initdb.d/10-registry-roles.sh"}],
        "readinessProbe": {"exec": {"command": ["pg_isready", "-h", "127.0.0.1"]}},
    }
    volume = {"name": "init", "hostPath": {"path": str(init_script), "type": "File"}}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": PG_POD},
        "spec": {"containers": [container], "volumes": [volume]},
    }


def play(path: Path, documents: list[dict[str, Any]]) -> None:
    path.write_text(yaml.safe_dump_all(documents, sort_keys=False))
    podman("kube", "play", "--network", f"{PROJECT}_default", str(path))


def wait_ready(pod: str, url: str, seconds: float) -> tuple[int, Any]:
    deadline = time.monotonic() + seconds
    while True:
        try:
            status, body = call(url, timeout=5)
        except OSError:
            status, body = 0, None
        if status == 200 or time.monotonic() > deadline:
            if status != 200:
                print(podman("pod", "logs", pod))
            return status, body
        time.sleep(2)


def wait_postgres(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    container = f"{PG_POD}-postgres"
    while subprocess.run(["podman", "exec", container, "pg_isready", "-q"], check=False, timeout=30).returncode:
        assert time.monotonic() < deadline, podman("logs", container)
        time.sleep(2)


@pytest.fixture
def kube_pods(gateway_url: str, tmp_path: Path) -> Iterator[None]:
    manifests = rendered(tmp_path, images()["REGISTRY_CT_PLATFORM_IMAGE"])
    secret = one(manifests, "Secret", "secrets")
    secret_name = secret["metadata"]["name"]
    subprocess.run(["podman", "secret", "rm", secret_name], capture_output=True, check=False)
    podman("secret", "create", secret_name, "-", stdin=podman_secret(secret))
    try:
        play(tmp_path / "postgres.yaml", [postgres_pod(images()["REGISTRY_CT_POSTGRES_IMAGE"])])
        wait_postgres(120)
        play(tmp_path / "gateway.yaml", [one(manifests, "ConfigMap", "config"), gateway_pod(manifests)])
        yield
    finally:
        for name in ("registry-kube-gateway", PG_POD):
            subprocess.run(["podman", "pod", "rm", "--force", name], capture_output=True, check=False, timeout=120)
        subprocess.run(["podman", "secret", "rm", secret_name], capture_output=True, check=False)


@pytest.mark.usefixtures("kube_pods")
def test_the_rendered_gateway_and_migration_come_up_ready_beside_a_postgres_pod() -> None:
    status, ready = wait_ready("registry-kube-gateway", f"http://127.0.0.1:{GATEWAY_PORT}/readyz", 180)
    owners = podman(
        "exec", f"{PG_POD}-postgres", "psql", "-U", "postgres", "-d", "registry", "-Atc",
        "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'",
    )  # fmt: skip

    assert owners.split() == ["registry_owner"], "the migration init container made no tables as the owner"
    assert status == 200, ready
    assert ready["checks"]["database"]["ok"] is True
    assert ready["checks"]["kafka"]["ok"] is True
