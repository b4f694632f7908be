"""Action forms: one page per ledger action the API offers, shown to the roles that may take it.

A form is loaded by the API's schema and runs the API's command through the ledger's bus; a failed check
is shown next to the field it names, with the values kept (HTTP 422); success goes to the transaction."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from gateway.auth.access import current_principal, requires
from gateway.errors import Problem
from gateway.ledger.action_commands import InvalidTransfer, guards_for
from gateway.ledger.context import bus, check_status, representative_scope, views
from gateway.web.console import bp
from gateway.web.console.action_specs import UNIT_ACTIONS
from gateway.web.console.common import ADMIN, OFFICER, REPRESENTATIVE, root
from gateway.web.console.forms import UNITS_PREFIX, Action, FormState, body_from_form, schema_errors
from gateway.web.console.record_specs import RECORD_ACTIONS
from services.ledger.api import TransactionFilter
from services.ledger.domain.errors import CheckFailed
from services.ledger.service_layer.results import TransactionResult

ACTIONS: dict[str, Action] = {action.slug: action for action in (*UNIT_ACTIONS, *RECORD_ACTIONS)}
INVALID = "request.invalid"


def allowed(action: Action) -> bool:
    return current_principal().has_any(*action.roles)


@bp.get("/actions")
@requires(ADMIN, OFFICER, REPRESENTATIVE, session=True)
def actions() -> str:
    offered = [action for action in ACTIONS.values() if allowed(action)]
    return render_template("web/console/actions.html", offered=offered)


def _options(action: Action) -> dict[str, list[tuple[str, str]]]:
    """The choices of each account and transaction field, as the signed-in person may use them."""
    scope = representative_scope()
    every = list(views().accounts({}, 1, 1000).items)
    found: dict[str, list[tuple[str, str]]] = {}
    for spec in action.fields:
        if spec.kind == "account":
            usable = [a for a in every if a.type in spec.account_types and a.status == "open"]
            if scope is not None:
                usable = [a for a in usable if a.holder_id == scope or (not spec.own and a.holder_id is None)]
            found[spec.name] = [(str(a.id), f"{a.number} · {a.name}") for a in usable]
        elif spec.kind == "transaction":
            waiting = views().transactions(TransactionFilter(status="awaiting_acceptance"), 1, 200).items
            found[spec.name] = [(str(t.id), f"{t.number} · {t.quantity}") for t in waiting]
    return found


def _render(action: Action, state: FormState, status: int = 200) -> tuple[str, int]:
    typed = {f.name for f in action.fields if f.typed_by_representatives and representative_scope() is not None}
    html = render_template(
        "web/console/action_form.html",
        action=action,
        state=state,
        options=_options(action),
        typed=typed,
        main_fields=[f for f in action.fields if not f.name.startswith(UNITS_PREFIX)],
        unit_fields=[f for f in action.fields if f.name.startswith(UNITS_PREFIX)],
    )
    return html, status


def _show(slug: str) -> tuple[str, int]:
    action = ACTIONS[slug]
    values = {f.name: request.args.get(f.name, "") for f in action.fields}
    return _render(action, FormState(values=values | {"form_key": uuid.uuid4().hex}))


def _submit(slug: str) -> Response | tuple[str, int]:
    action = ACTIONS[slug]
    state = FormState(values={key: value for key, value in request.form.items() if key != "csrf_token"})
    try:
        body = action.schema().load(body_from_form(action, request.form))
    except ValidationError as error:
        for name, message in schema_errors(error.messages).items():
            state.fail(action, name, message, INVALID)
        return _render(action, state, 422)
    try:
        command = action.build(body)
        key = request.form.get("form_key", "")[:200] or None
        result = bus(guards_for(body)).handle(dataclasses.replace(command, idempotency_key=key) if key else command)
    except CheckFailed as error:
        state.fail(action, error.field, error.message, error.code)
        return _render(action, state, check_status(error))
    except InvalidTransfer as error:
        state.fail(action, "transfer", _("This is not the data of a transfer event (%(error)s).", error=error), INVALID)
        return _render(action, state, 422)
    except Problem as problem:
        if problem.status != 422:
            raise
        state.fail(action, problem.extra.get("field"), problem.detail, problem.code)
        return _render(action, state, 422)
    return _done(action, result)


def _done(action: Action, result: Any) -> Response:
    if isinstance(result, TransactionResult):
        flash(
            _("Transaction %(number)s: %(status)s.", number=result.number, status=str(result.status).replace("_", " "))
        )
        return redirect(f"{root()}/transactions/{result.transaction_id}", 303)
    flash(_("%(what)s: saved.", what=action.title))
    target = action.outcome(result) if action.outcome else f"{root()}/actions"
    return redirect(target, 303)


def _route(action: Action) -> None:
    """Two views per action (the form, its submission), each with the action's own access rule."""

    def show() -> tuple[str, int]:
        return _show(action.slug)

    def submit() -> Response | tuple[str, int]:
        return _submit(action.slug)

    name = action.slug.replace("-", "_")
    views: list[tuple[Callable[..., Any], str, str | None]] = [(show, "GET", None), (submit, "POST", action.mfa)]
    for view, method, mfa in views:
        view.__name__ = view.__qualname__ = f"console_{name}_{method.lower()}"
        guarded = requires(*action.roles, mfa=mfa, session=True)(view)
        bp.add_url_rule(f"/actions/{action.slug}", guarded.__name__, guarded, methods=[method])


for _action in ACTIONS.values():
    _route(_action)
