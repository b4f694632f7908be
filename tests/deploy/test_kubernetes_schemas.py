"""The chart's rendered manifests against the Kubernetes API schemas, offline: the schemas come with
the pinned kubernetes-validate package (strict: an unknown field is an error)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from .conftest import PRODUCTION_VALUES, Helm

# The oldest version the chart supports (Chart.yaml kubeVersion) and the newest the package ships.
KUBERNETES_VERSIONS = ("1.27.0", "1.37.0")
VALUES = {"default": (), "production": (PRODUCTION_VALUES,)}


def schema_errors(manifests: list[dict[str, Any]], kube_version: str) -> list[str]:
    errors = []
    for manifest in manifests:
        name = f"{manifest['kind']}/{manifest['metadata']['name']}"
        try:
            kubernetes_validate.validate(manifest, kube_version, strict=True)
        except kubernetes_validate.ValidationError as error:
            errors.append(f"{name} at {'.'.join(map(str, error.path))}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError as error:
            errors.append(f"{name}: {error.message}")
    return errors


@pytest.mark.parametrize("kube_version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("values", sorted(VALUES))
def test_rendered_manifests_match_the_kubernetes_api_schemas(helm: Helm, values: str, kube_version: str) -> None:
    files: tuple[Path, ...] = VALUES[values]
    manifests = helm.render(*files, kube_version=kube_version)

    assert schema_errors(manifests, kube_version) == []


def test_a_manifest_with_an_unknown_or_mistyped_field_is_refused(helm: Helm) -> None:
    deployment = next(m for m in helm.render() if m["kind"] == "Deployment")
    unknown = copy.deepcopy(deployment)
    unknown["spec"]["template"]["spec"]["containers"][0]["readOnlyRootFileSystem"] = True
    mistyped = copy.deepcopy(deployment)
    mistyped["spec"]["replicas"] = "two"

    assert len(schema_errors([unknown, mistyped], KUBERNETES_VERSIONS[0])) == 2
