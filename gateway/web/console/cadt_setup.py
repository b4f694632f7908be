"""Registry console: setting up CAD Trust, with a "test the connection" button that says what is wrong.

The form tests the node as `registry cadt connect` and `POST …/cadt/connection/check` do; saving tests
first and saves only a connection that passes. An empty API key keeps the stored one.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.bootstrap import current_platform
from gateway.bootstrap.cadt import cadt_for
from gateway.cadt.api import _store
from gateway.tenancy import current_tenant
from gateway.training.guards import refuse_for_training
from gateway.web.console import bp
from gateway.web.console.cadt_status import render
from services.cadt.domain.model import Connection
from services.cadt.service_layer.connection_check import ConnectionCheck, check_connection
from services.cadt.service_layer.settings import ConfigureConnection, InvalidSettings, configure


@bp.post("/cadt/connection")
@requires(Role.REGISTRY_ADMIN, mfa="key_and_policy_changes", session=True)
def cadt_connection() -> Response | tuple[str, int]:
    refuse_for_training(current_tenant(), "publishing to CAD Trust")
    setup = _submitted()
    store = _store()
    current = store.connection()
    api_key = request.form.get("api_key", "").strip() or (current.api_key if current else "")
    if not setup["base_url"].startswith(("http://", "https://")):
        check = ConnectionCheck("invalid", _("Give the node's base URL, starting with http:// or https://."))
        return render(setup, check), 422
    if not api_key:
        return render(setup, ConnectionCheck("invalid", _("Give the node's API key (its x-api-key)."))), 422
    trial = Connection(base_url=setup["base_url"], api_key=api_key, organization_id=setup["organization_id"])
    check = check_connection(cadt_for(current_platform()).client_for, trial)
    if request.form.get("action") != "save":
        return render(setup, check), 200
    if not check.ok:
        return render(setup, check), 422  # nothing saved
    command = ConfigureConnection(
        setup["base_url"], api_key, setup["organization_id"], setup["data_model_version"], setup["enabled"]
    )
    try:
        configure(store, command, party=current_tenant().party, retry=store.retry_refused)
    except InvalidSettings as error:
        return render(setup, ConnectionCheck("invalid", str(error))), 422
    flash(_("The CAD Trust connection is saved."), "ok")
    if current is None:
        flash(
            _(
                "What this registry recorded before now reaches the node when an operator runs "
                "`registry cadt backfill` for it."
            ),
            "ok",
        )
    return redirect(f"/registries/{current_tenant().code}/console/cadt", 303)


def _submitted() -> dict[str, Any]:
    form = request.form
    return {
        "base_url": form.get("base_url", "").strip(),
        "organization_id": form.get("organization_id", "").strip(),
        "enabled": form.get("enabled") == "on",
        "data_model_version": form.get("data_model_version", "v1"),
    }
