"""The composition root: builds every context from Settings (through each context's `bootstrap.py`) for the
web application, a consumer or a command.

- `platform.py`: the `Platform`, what one process holds (the database, the tenant catalogue, the clock and
  the contexts built once);
- `bus.py`: the bus chosen from settings, the topics and the event catalogue;
- `consumers.py`: the consumers by name, built by `cadt.py`, `reporting.py` and `interregistry.py`;
- `cadt.py`, `cadt_aef.py`, `reporting.py`, `interregistry.py`, `witnesses.py`: the contexts that need the
  platform's other parts wired in (CAD Trust reads reporting's AEF, witnesses are other registries).

The web application keeps its Platform in `app.extensions["platform"]`; `current_platform()` reads it.
"""

from __future__ import annotations

from flask import Flask, current_app

from gateway.bootstrap.platform import Platform

__all__ = ["Platform", "current_platform", "install", "platform_of"]

EXTENSION = "platform"


def install(app: Flask, platform: Platform) -> Platform:
    app.extensions[EXTENSION] = platform
    return platform


def platform_of(app: Flask) -> Platform:
    found: Platform = app.extensions[EXTENSION]
    return found


def current_platform() -> Platform:
    """The Platform of the application handling the current request."""
    return platform_of(current_app)
