"""What every command shares: the platform built from the environment, and expected failures as one line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from gateway.bootstrap import Platform
from gateway.settings import Settings, SettingsError
from tenants.domain.errors import TenantError


@contextmanager
def user_errors() -> Iterator[None]:
    """Expected failures print one line that says what to do, and exit with status 2."""
    try:
        yield
    except (TenantError, SettingsError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)


@contextmanager
def platform() -> Iterator[Platform]:
    with user_errors():
        settings = Settings.from_env()
    built = Platform.from_settings(settings)
    try:
        with user_errors():
            yield built
    finally:
        built.close()
