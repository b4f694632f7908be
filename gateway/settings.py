"""Process settings, read once from the environment (12-factor) and passed explicitly."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

DEVELOPMENT = "development"
PRODUCTION = "production"
EMBEDDED_DATABASE_URL = "sqlite:///var/registry.db"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class KafkaSettings:
    bootstrap_servers: str = ""
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = ""
    sasl_username: str = ""
    sasl_password: str = field(default="", repr=False)
    ssl_cafile: str = ""
    topic_prefix: str = "registry"

    @property
    def enabled(self) -> bool:
        return bool(self.bootstrap_servers)


@dataclass(frozen=True)
class SmtpSettings:
    """The mail server that notifications go through; no host: they wait in the outbox."""

    host: str = ""
    port: int = 587
    starttls: bool = True
    username: str = ""
    password: str = field(default="", repr=False)  # only from SMTP_PASSWORD: there is no default
    sender: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class Settings:
    env: str = DEVELOPMENT
    database_url: str = EMBEDDED_DATABASE_URL
    database_owner_url: str = ""
    database_app_role: str = "registry_app"
    secret_key: str = field(default="", repr=False)
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    log_level: str = "INFO"
    otel_endpoint: str = ""
    otel_service_name: str = "carbon-registry"
    max_request_bytes: int = 1_048_576
    in_flight_per_registry: int = 1  # per worker process, of its 4 threads; 0: no cap (gateway/fair_share.py)
    outbox_retention_hours: int = 168
    ready_max_outbox_age_seconds: int = 300  # 0 leaves the outbox out of readiness
    webhooks_allow_loopback: bool = False  # http:// webhooks to this machine: development and tests only
    kafka: KafkaSettings = field(default_factory=KafkaSettings)
    public_url: str = "http://127.0.0.1:8000"  # where people reach the console: links in e-mails point here
    smtp: SmtpSettings = field(default_factory=SmtpSettings)

    @property
    def owner_url(self) -> str:
        return self.database_owner_url or self.database_url

    @property
    def is_production(self) -> bool:
        return self.env == PRODUCTION

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        mode = env.get("REGISTRY_ENV", DEVELOPMENT)
        if mode not in (DEVELOPMENT, PRODUCTION):
            raise SettingsError(f"REGISTRY_ENV must be '{DEVELOPMENT}' or '{PRODUCTION}', not {mode!r}")
        settings = cls(
            env=mode,
            database_url=env.get("DATABASE_URL", EMBEDDED_DATABASE_URL),
            database_owner_url=env.get("DATABASE_OWNER_URL", ""),
            database_app_role=env.get("DATABASE_APP_ROLE", "registry_app"),
            secret_key=env.get("SECRET_KEY", ""),
            host=env.get("REGISTRY_HOST", "127.0.0.1"),
            port=_integer(env, "REGISTRY_PORT", 8000),
            workers=_integer(env, "REGISTRY_WORKERS", 2),
            log_level=env.get("LOG_LEVEL", "INFO").upper(),
            otel_endpoint=env.get("OTEL_EXPORTER_OTLP_ENDPOINT", ""),
            otel_service_name=env.get("OTEL_SERVICE_NAME", "carbon-registry"),
            max_request_bytes=_integer(env, "REGISTRY_MAX_REQUEST_BYTES", 1_048_576),
            in_flight_per_registry=_not_negative(env, "REGISTRY_IN_FLIGHT_PER_REGISTRY", 1),
            outbox_retention_hours=_integer(env, "OUTBOX_RETENTION_HOURS", 168),
            ready_max_outbox_age_seconds=_not_negative(env, "READY_MAX_OUTBOX_AGE_SECONDS", 300),
            webhooks_allow_loopback=env.get("WEBHOOKS_ALLOW_LOOPBACK", "").lower() in ("1", "true", "yes"),
            kafka=KafkaSettings(
                bootstrap_servers=env.get("KAFKA_BOOTSTRAP_SERVERS", ""),
                security_protocol=env.get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"),
                sasl_mechanism=env.get("KAFKA_SASL_MECHANISM", ""),
                sasl_username=env.get("KAFKA_SASL_USERNAME", ""),
                sasl_password=env.get("KAFKA_SASL_PASSWORD", ""),
                ssl_cafile=env.get("KAFKA_SSL_CAFILE", ""),
                topic_prefix=env.get("KAFKA_TOPIC_PREFIX", "registry"),
            ),
            public_url=env.get("REGISTRY_PUBLIC_URL", "http://127.0.0.1:8000"),
            smtp=_smtp(env),
        )
        return settings.checked()

    def checked(self) -> Settings:
        """Production refuses to start on development conveniences; development fills them in."""
        if self.is_production:
            if len(self.secret_key) < 32:
                raise SettingsError("SECRET_KEY must be set to at least 32 random characters in production")
            if self.database_url.startswith("sqlite"):
                raise SettingsError("DATABASE_URL must point at PostgreSQL in production")
            if self.webhooks_allow_loopback:
                raise SettingsError("WEBHOOKS_ALLOW_LOOPBACK is for development and tests: unset it in production")
            return self
        if not self.secret_key:
            return replace(self, secret_key=_development_secret())
        return self


def _smtp(env: Mapping[str, str]) -> SmtpSettings:
    smtp = SmtpSettings(
        host=env.get("SMTP_HOST", ""),
        port=_integer(env, "SMTP_PORT", 587),
        starttls=_flag(env, "SMTP_STARTTLS", True),
        username=env.get("SMTP_USERNAME", ""),
        password=env.get("SMTP_PASSWORD", ""),
        sender=env.get("SMTP_SENDER", ""),
    )
    if smtp.enabled and "@" not in smtp.sender:
        raise SettingsError("SMTP_SENDER must be the address notifications come from, e.g. registry@example.org")
    if smtp.username and not smtp.password:
        raise SettingsError("SMTP_USERNAME is set without SMTP_PASSWORD: give the password in the environment")
    return smtp


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw not in ("true", "false", "1", "0", "yes", "no"):
        raise SettingsError(f"{name} must be true or false, not {raw!r}")
    return raw in ("true", "1", "yes")


def _integer(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None


def _not_negative(env: Mapping[str, str], name: str, default: int) -> int:
    value = _integer(env, name, default)
    if value < 0:
        raise SettingsError(f"{name} must be 0 or more, not {value}")
    return value


def _development_secret() -> str:
    # A development process gets a random secret kept beside the embedded database, so restarts
    # keep sessions and encrypted keys readable; production never takes this path.
    path = Path("var/.secret_key")
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value
