"""The web pages: server-rendered HTML served by the gateway, with no asset from a CDN.

Three areas share one layout (templates/web/base.html), one stylesheet and one locale policy:
the public explorer (`/registries/<registry>/...`), the registry console (`/registries/<registry>/console/...`)
and the operator console (`/operator/...`).
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from flask import Blueprint, Flask, Response, render_template, request
from flask_babel import Babel

from gateway.auth import browser_session
from gateway.web import i18n
from gateway.web.console import bp as console_bp
from gateway.web.operator import bp as operator_bp
from gateway.web.public import bp as public_bp

HERE = Path(__file__).parent
TRANSLATION_AREAS = ("common", "auth", "public", "console", "operator")
WEB_PREFIXES = ("/registries/", "/operator", "/glossary", "/static/web/")
# Holds the shared layout and error page; the areas' blueprints bring their own templates.
layout = Blueprint("web", __name__, template_folder="templates")


def init_web(app: Flask) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = i18n.DEFAULT_LANGUAGE
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(str(HERE / "translations" / a) for a in TRANSLATION_AREAS)
    Babel(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_formatting(app)
    app.jinja_env.globals.update(csrf_token=browser_session.csrf_token, signed_in_name=browser_session.signed_in_name)
    for blueprint in (layout, public_bp, console_bp, operator_bp):
        app.register_blueprint(blueprint)
    app.add_url_rule("/static/web/<path:filename>", "web_static", _static)
    app.before_request(_remember_language)
    app.extensions["web.error_page"] = _error_page


def is_page_request() -> bool:
    path = request.path
    return path == "/" or path.startswith(WEB_PREFIXES)


def _remember_language() -> None:
    if is_page_request():
        i18n.remember_language()


def _static(filename: str) -> Response:
    from flask import send_from_directory

    return send_from_directory(HERE / "static" / "web", filename, max_age=3600)


def _error_page(status: int, code: str, detail: str) -> Response | None:
    if not is_page_request():
        return None
    if status == 401:  # not signed in, or the session ended: sign in, then come back here
        back = request.full_path if request.method == "GET" else request.path
        return cast(Response, browser_session.start_login(back))
    html = render_template("web/error.html", status=status, code=code, detail=detail)
    return Response(html, status=status, mimetype="text/html")
