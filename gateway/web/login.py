"""Sign-in, callback and sign-out pages of the registry console and the operator console."""

from __future__ import annotations

from flask import Blueprint, request
from werkzeug.wrappers import Response

from gateway.auth import browser_session
from gateway.auth.access import requires
from gateway.tenancy import sign_in_only


def add_login_routes(blueprint: Blueprint) -> None:
    blueprint.add_url_rule("/login", "login", login)
    blueprint.add_url_rule("/callback", "callback", callback)
    blueprint.add_url_rule("/logout", "logout", logout, methods=["POST"])


def login() -> Response:
    return browser_session.start_login(request.args.get("next"))


def callback() -> Response:
    return browser_session.finish_login()


@sign_in_only
@requires(public=True, session=True)
def logout() -> Response:
    return browser_session.logout()
