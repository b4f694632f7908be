"""How many gunicorn workers `registry serve` starts: REGISTRY_WORKERS, else two per core it may run on."""

from __future__ import annotations

import os

import pytest

from gateway.settings import Settings


def test_without_a_setting_there_are_two_workers_per_usable_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2})
    assert Settings.from_env({}).workers == 6


def test_a_single_core_still_gets_two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0})
    assert Settings.from_env({}).workers == 2


def test_the_setting_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2})
    assert Settings.from_env({"REGISTRY_WORKERS": "3"}).workers == 3
