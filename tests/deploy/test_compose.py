"""The laptop stack (infra/compose.yaml), its collector config, and the Dockerfile, read statically.

No Docker engine is needed: these tests parse the files and check them against the CLI contract
(gateway.cli.main.PROCESS_TYPES and MIGRATE_COMMAND).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from .conftest import REPO_ROOT

INFRA = REPO_ROOT / "infra"
COMPOSE_FILE = INFRA / "compose.yaml"
DOCKERFILE = INFRA / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"
OTEL_CONFIG = INFRA / "otel-collector.yaml"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(document, dict)
    assert document.get("services"), "compose.yaml has no services"
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = compose["services"]
    return services


def command_of(service: dict[str, Any]) -> tuple[str, ...]:
    command = service.get("command", ())
    return tuple(command.split()) if isinstance(command, str) else tuple(command)


def depends_on(service: dict[str, Any]) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def one_shot_services(services: dict[str, dict[str, Any]]) -> set[str]:
    """Services that others wait on to *complete*: they are not long-running."""
    return {
        dep
        for service in services.values()
        for dep, condition in depends_on(service).items()
        if condition == "service_completed_successfully"
    }


def registry_services(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Services built from this repository (the `registry` image)."""
    return {name: s for name, s in services.items() if "build" in s}


# ------------------------------------------------------------------------------------ compose


def test_a_service_runs_every_process_type(
    services: dict[str, dict[str, Any]], process_types: dict[str, tuple[str, ...]]
) -> None:
    commands = {name: command_of(s) for name, s in registry_services(services).items()}
    for process, argv in process_types.items():
        assert commands.get(process) == argv, f"service {process!r} must run `registry {' '.join(argv)}`"


def test_migrate_runs_once_as_the_owner_before_the_processes(
    services: dict[str, dict[str, Any]],
    process_types: dict[str, tuple[str, ...]],
    migrate_command: tuple[str, ...],
) -> None:
    migrate = [n for n, s in registry_services(services).items() if command_of(s) == migrate_command]
    assert migrate == ["migrate"], f"expected one `migrate` service running {migrate_command}, got {migrate}"
    service = services["migrate"]
    assert service.get("restart", "no") == "no"
    assert "DATABASE_OWNER_URL" in service["environment"]
    assert depends_on(service).get("postgres") == "service_healthy"
    for process in process_types:
        deps = depends_on(services[process])
        assert deps.get("migrate") == "service_completed_successfully", process
        assert deps.get("postgres") == "service_healthy", process
        assert deps.get("kafka") == "service_healthy", process


def test_only_migrate_has_the_owner_url(services: dict[str, dict[str, Any]]) -> None:
    for name, service in registry_services(services).items():
        environment = service.get("environment") or {}
        assert "DATABASE_URL" in environment, name
        if name != "migrate":
            assert "DATABASE_OWNER_URL" not in environment, f"{name} must use the app role"


def test_long_running_services_have_healthchecks(services: dict[str, dict[str, Any]]) -> None:
    one_shot = one_shot_services(services)
    assert one_shot == {"migrate", "kafka-init"}
    for name, service in services.items():
        if name in one_shot:
            continue
        check = service.get("healthcheck") or {}
        test = check.get("test")
        assert test, f"{name} has no healthcheck"
        assert not check.get("disable"), f"{name} disables its healthcheck"
        assert test != ["NONE"], f"{name} disables its healthcheck"
    assert services["gateway"]["healthcheck"]["test"][0] == "CMD-SHELL"
    assert any("/readyz" in part for part in services["gateway"]["healthcheck"]["test"])


def test_every_dependency_exists_and_healthy_means_checked(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        for dep, condition in depends_on(service).items():
            assert dep in services, f"{name} depends on unknown service {dep}"
            if condition == "service_healthy":
                assert services[dep].get("healthcheck"), f"{name} waits for {dep} to be healthy; it has no check"


def test_images_are_pinned(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        if "build" in service:
            continue
        image = service["image"]
        repo, _, tag = image.rpartition(":")
        assert repo, f"{name}: untagged image {image!r}"
        assert "/" not in tag, f"{name}: untagged image {image!r}"
        assert tag not in {"", "latest"}, f"{name}: unpinned image {image!r}"
        assert re.search(r"\d", tag), f"{name}: tag {tag!r} is not a version"
    assert services["postgres"]["image"].startswith("postgres:")
    assert re.fullmatch(r"apache/kafka:4\.\d+\.\d+", services["kafka"]["image"])


def test_registry_services_share_the_hardened_image(services: dict[str, dict[str, Any]]) -> None:
    built = registry_services(services)
    assert {s["build"]["dockerfile"] for s in built.values()} == {"infra/Dockerfile"}
    assert len({s["image"] for s in built.values()}) == 1
    for name, service in built.items():
        assert service.get("read_only") is True, name
        assert any(str(t).split(":")[0] == "/tmp" for t in service.get("tmpfs", [])), name
        assert "ALL" in service.get("cap_drop", []), name
        assert service["environment"].get("REGISTRY_HOST") == "0.0.0.0", name  # noqa: S104 - container port


def test_volumes_and_bind_mounts_exist(compose: dict[str, Any], services: dict[str, dict[str, Any]]) -> None:
    named = set(compose.get("volumes") or {})
    assert {"postgres-data", "kafka-data"} <= named
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = str(volume).split(":", 1)[0]
            if source.startswith((".", "/")):
                assert (INFRA / source).resolve().exists(), f"{name}: bind mount {source} is missing"
            else:
                assert source in named, f"{name}: volume {source} is not declared"


def test_development_secrets_are_marked_local_only(services: dict[str, dict[str, Any]]) -> None:
    assert "LOCAL DEVELOPMENT ONLY" in COMPOSE_FILE.read_text()

    def is_credential(key: str, value: object) -> bool:
        return "PASSWORD" in key or key == "SECRET_KEY" or (key.endswith("_URL") and "@" in str(value))

    credentials = [
        (name, key, str(value))
        for name, service in services.items()
        for key, value in (service.get("environment") or {}).items()
        if is_credential(key, value)
    ]
    assert len(credentials) >= 5
    for name, key, value in credentials:
        assert "local-only" in value, f"{name}: {key} is not marked as a local-only value"


def test_postgres_init_creates_owner_and_non_owner_app_role() -> None:
    script = (INFRA / "compose" / "postgres-init.sh").read_text()
    assert 'CREATE ROLE :"owner"' in script
    assert 'CREATE ROLE :"app"' in script
    assert "NOBYPASSRLS" in script
    assert 'OWNER TO :"owner"' in script


# ------------------------------------------------------------------------------------ collector


def test_collector_pipelines_are_consistent() -> None:
    config = yaml.safe_load(OTEL_CONFIG.read_text())
    defined = {section: set(config.get(section) or {}) for section in ("receivers", "processors", "exporters")}
    pipelines = config["service"]["pipelines"]
    assert {"traces", "metrics", "logs"} <= set(pipelines)
    for name, pipeline in pipelines.items():
        for section in ("receivers", "processors", "exporters"):
            for component in pipeline.get(section, []):
                assert component in defined[section], f"pipeline {name} uses undefined {section[:-1]} {component}"
    protocols = config["receivers"]["otlp"]["protocols"]
    assert protocols["grpc"]["endpoint"].endswith(":4317")
    assert protocols["http"]["endpoint"].endswith(":4318")


# ------------------------------------------------------------------------------------ Dockerfile


def dockerfile_stages() -> list[tuple[str, list[str]]]:
    """(FROM line, instructions) per stage, with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    stages: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append((line, []))
        elif stages:
            stages[-1][1].append(line)
    return stages


def test_dockerfile_is_multi_stage_from_a_pinned_slim_base() -> None:
    text = DOCKERFILE.read_text()
    base = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", text, re.M)
    assert base, "the base image is the PYTHON_IMAGE build argument"
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm", base.group(1)), "exact patch tag"
    stages = dockerfile_stages()
    assert len(stages) >= 2
    for from_line, _ in stages:
        assert "${PYTHON_IMAGE}" in from_line


def test_dockerfile_runtime_stage_is_unprivileged_and_compiler_free() -> None:
    (_, final) = dockerfile_stages()[-1]
    joined = "\n".join(final)
    assert "COPY --from=builder" in joined
    for tool in ("build-essential", "gcc", "apt-get install"):
        assert tool not in joined, f"runtime stage installs {tool}"
    users = [line for line in final if line.upper().startswith("USER ")]
    assert users, "runtime stage must switch user"
    assert re.search(r"APP_UID=10001", joined)
    assert "${APP_UID}" in users[-1]
    assert 'ENTRYPOINT ["registry"]' in final
    assert 'CMD ["serve"]' in final
    assert "HOME=/tmp" in joined


def test_dockerignore_keeps_the_context_small() -> None:
    entries = {line.strip() for line in DOCKERIGNORE.read_text().splitlines() if line.strip()}
    for required in (".git", ".venv", ".local", ".cache", "tests", "**/__pycache__", ".pytest_cache"):
        assert required in entries, f".dockerignore lacks {required}"
    for needed in ("pyproject.toml", "README.md", "gateway", "services", "tenants"):
        assert needed not in entries, f".dockerignore drops {needed}, which the build needs"


def test_topics_are_created_once_before_the_processes(services: dict[str, dict[str, Any]]) -> None:
    import click

    from gateway.cli.main import main

    init = services["kafka-init"]
    assert init["command"] == ["kafka", "init"]
    kafka_group = main.get_command(click.Context(main), "kafka")
    assert isinstance(kafka_group, click.Group)
    assert kafka_group.get_command(click.Context(kafka_group), "init") is not None
    for name in ("gateway", "relay"):
        assert services[name]["depends_on"]["kafka-init"]["condition"] == "service_completed_successfully"
