"""Fixtures for the deployment-artifact checks: the helm binary, rendered charts, the CLI contract.

The helm binary is not installed by pip: the project's test command runs infra/helm/fetch.sh first,
which extracts it to .local/bin/helm. Without it these tests fail (never skip), so that a CI run
cannot pass by silently checking nothing.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
CHART_DIR = REPO_ROOT / "helm" / "carbon-registry"
PRODUCTION_VALUES = REPO_ROOT / "helm" / "values-production-example.yaml"
HELM_BINARY = REPO_ROOT / ".local" / "bin" / "helm"
KUBE_VERSION = "1.33.0"
RELEASE = "registry"

# Inline secrets instead of existingSecret references: the chart must then create its own Secret,
# as a hook that exists before the migration Job runs.
INLINE_SECRET_VALUES: dict[str, Any] = {
    "secretKey": {"existingSecret": "", "value": "x" * 48},
    "postgres": {
        "existingSecret": "",
        "url": "postgresql+psycopg://registry_app:app-pw@db.example.org:5432/registry",
        "ownerUrl": "postgresql+psycopg://registry_owner:owner-pw@db.example.org:5432/registry",
    },
    "kafka": {
        "security": {
            "protocol": "SASL_SSL",
            "sasl": {"mechanism": "SCRAM-SHA-512", "username": "registry", "password": "kafka-pw"},
            "tls": {"caSecret": "kafka-ca"},
        }
    },
}


@dataclass(frozen=True)
class HelmResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass(frozen=True)
class Helm:
    binary: Path
    env: Mapping[str, str]
    scratch: Path

    def run(self, *args: str) -> HelmResult:
        proc = subprocess.run(
            [str(self.binary), *args],
            cwd=REPO_ROOT,
            env=dict(self.env),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return HelmResult(proc.returncode, proc.stdout, proc.stderr)

    def values_file(self, name: str, values: Mapping[str, Any]) -> Path:
        path = self.scratch / f"{name}.yaml"
        path.write_text(yaml.safe_dump(dict(values), sort_keys=False))
        return path

    def lint(self, *values_files: Path) -> HelmResult:
        return self.run("lint", str(CHART_DIR), "--strict", "--kube-version", KUBE_VERSION, *_values_args(values_files))

    def template(self, *values_files: Path, kube_version: str = KUBE_VERSION) -> HelmResult:
        return self.run(
            "template",
            RELEASE,
            str(CHART_DIR),
            "--namespace",
            "carbon-registry",
            "--kube-version",
            kube_version,
            *_values_args(values_files),
        )

    def render(self, *values_files: Path, kube_version: str = KUBE_VERSION) -> list[dict[str, Any]]:
        result = self.template(*values_files, kube_version=kube_version)
        assert result.returncode == 0, f"helm template failed:\n{result.output}"
        documents = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
        assert documents, "helm template rendered no manifests"
        return documents


def _values_args(values_files: Sequence[Path]) -> list[str]:
    args: list[str] = []
    for path in values_files:
        args += ["-f", str(path)]
    return args


@pytest.fixture(scope="session")
def helm(tmp_path_factory: pytest.TempPathFactory) -> Helm:
    if not (HELM_BINARY.is_file() and os.access(HELM_BINARY, os.X_OK)):
        pytest.fail(
            f"helm binary missing at {HELM_BINARY.relative_to(REPO_ROOT)}: run infra/helm/fetch.sh "
            "(the project's test command does this before pytest)",
            pytrace=False,
        )
    home = tmp_path_factory.mktemp("helm-home")
    # Keep helm away from the user's config, caches, plugins and any cluster.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBE"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"),
        KUBECONFIG=str(home / "no-kubeconfig"),
    )
    return Helm(HELM_BINARY, env, tmp_path_factory.mktemp("helm-values"))


@dataclass(frozen=True)
class Scenario:
    """A values combination, its rendered manifests and the existing Secrets it references."""

    name: str
    values_files: tuple[Path, ...]
    manifests: list[dict[str, Any]]
    existing_secrets: frozenset[str]


def _existing_secret_names(values: Mapping[str, Any]) -> frozenset[str]:
    kafka = values.get("kafka", {}).get("security", {})
    names = {
        values.get("postgres", {}).get("existingSecret", ""),
        values.get("secretKey", {}).get("existingSecret", ""),
        kafka.get("sasl", {}).get("existingSecret", ""),
        kafka.get("tls", {}).get("caSecret", ""),
    }
    return frozenset(n for n in names if n)


def _merged(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


@pytest.fixture(scope="session")
def default_values() -> dict[str, Any]:
    values: dict[str, Any] = yaml.safe_load((CHART_DIR / "values.yaml").read_text())
    return values


@pytest.fixture(scope="session")
def scenarios(helm: Helm, default_values: dict[str, Any]) -> dict[str, Scenario]:
    production = yaml.safe_load(PRODUCTION_VALUES.read_text())
    inline_file = helm.values_file("inline-secrets", INLINE_SECRET_VALUES)
    combos = {
        "default": ((), default_values),
        "production": ((PRODUCTION_VALUES,), _merged(default_values, production)),
        "inline-secrets": ((inline_file,), _merged(default_values, INLINE_SECRET_VALUES)),
    }
    return {
        name: Scenario(name, files, helm.render(*files), _existing_secret_names(values))
        for name, (files, values) in combos.items()
    }


SCENARIO_NAMES = ("default", "production", "inline-secrets")


@pytest.fixture(params=SCENARIO_NAMES)
def scenario(request: pytest.FixtureRequest, scenarios: dict[str, Scenario]) -> Scenario:
    return scenarios[request.param]


@pytest.fixture(scope="session")
def process_types() -> dict[str, tuple[str, ...]]:
    """gateway.cli.main.PROCESS_TYPES: process name -> argv after `registry`."""
    from gateway.cli.main import PROCESS_TYPES

    assert PROCESS_TYPES, "gateway.cli.main.PROCESS_TYPES is empty"
    return {name: tuple(argv) for name, argv in PROCESS_TYPES.items()}


@pytest.fixture(scope="session")
def migrate_command() -> tuple[str, ...]:
    from gateway.cli.main import MIGRATE_COMMAND

    return tuple(MIGRATE_COMMAND)


WORKLOAD_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet", "CronJob", "Pod"})


def pod_spec(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The pod spec of a workload manifest."""
    kind = manifest.get("kind")
    assert kind in WORKLOAD_KINDS, f"{kind} has no pod spec"
    spec: dict[str, Any]
    if kind == "CronJob":
        spec = manifest["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    elif kind == "Pod":
        spec = manifest["spec"]
    else:
        spec = manifest["spec"]["template"]["spec"]
    return spec


ContainerRef = tuple[Mapping[str, Any], dict[str, Any], dict[str, Any], str]


def iter_containers(manifests: Sequence[Mapping[str, Any]]) -> Iterator[ContainerRef]:
    """(manifest, pod spec, container, 'containers'|'initContainers') for every workload container."""
    for manifest in manifests:
        if manifest.get("kind") not in WORKLOAD_KINDS:
            continue
        spec = pod_spec(manifest)
        for field in ("initContainers", "containers"):
            for container in spec.get(field) or []:
                yield manifest, spec, container, field
