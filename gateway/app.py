"""The HTTP edge: create_app(settings) wires every context behind one flask-smorest Api."""

from __future__ import annotations

import uuid
from pathlib import Path

import swagger_ui
from flask import Flask, Response, g, request, send_from_directory

from gateway import health, metrics, registries
from gateway.access_log import init_access_log
from gateway.api import Api
from gateway.auth import init_auth
from gateway.auth.access import check_protected
from gateway.auth.clients import DOCS_REDIRECT_PATH
from gateway.bootstrap import Platform, install
from gateway.cadt import init_cadt
from gateway.errors import register_error_handlers
from gateway.fair_share import init_fair_share
from gateway.inputs.guard import init_request_guard
from gateway.interregistry import init_interregistry
from gateway.ledger import init_ledger
from gateway.onboarding import init_onboarding
from gateway.reporting import init_reporting
from gateway.settings import Settings
from gateway.telemetry import instrument_app
from gateway.tenancy import init_tenancy
from gateway.transparency_api import init_transparency
from gateway.web import init_web
from gateway.webhooks import init_webhooks

SWAGGER_ASSETS = Path(swagger_ui.__file__).parent / "static"
DOCS_ASSETS_URL = "/api/v1/docs/assets/"
INLINE_SCRIPT_PAGES = frozenset({"/api/v1/docs", DOCS_REDIRECT_PATH})  # Swagger UI's own page scripts


def create_app(settings: Settings, platform: Platform | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        API_TITLE="Carbon Registry Platform",
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=DOCS_ASSETS_URL,
    )
    platform = install(app, platform or Platform.from_settings(settings))
    instrument_app(app, platform.database.engine, settings)
    register_error_handlers(app)
    init_access_log(app)
    app.url_value_preprocessor(lambda _endpoint, _values: _assign_request_id())
    init_request_guard(app)
    init_tenancy(app)
    init_fair_share(app, settings.in_flight_per_registry)
    api = Api(app, spec_kwargs={"info": {"description": _DESCRIPTION}})
    for blueprint in (health.blp, registries.blp):
        api.register_blueprint(blueprint)
    init_auth(app, api)
    init_ledger(app, api)
    init_interregistry(api)
    init_reporting(app, api)
    init_cadt(api)
    init_transparency(api)
    init_webhooks(app, api)
    init_onboarding(app, api)
    init_web(app)
    app.register_blueprint(metrics.bp)
    app.add_url_rule(f"{DOCS_ASSETS_URL}<path:filename>", "docs_assets", _docs_asset)
    app.after_request(_secure_headers)
    check_protected(app)  # keep last: refuses to build an app with a mutating route nobody guards
    return app


_DESCRIPTION = (
    "National carbon registries hosted as isolated tenants: Article 6.2 ITMOs and carbon credits, "
    "the UNFCCC Agreed Electronic Format and CAD Trust publishing. Errors are RFC 9457 problem+json "
    "with a stable `code`."
)


def _docs_asset(filename: str) -> Response:
    return send_from_directory(SWAGGER_ASSETS, filename, max_age=86400)


def _assign_request_id() -> None:
    incoming = request.headers.get("X-Request-Id", "")
    usable = 8 <= len(incoming) <= 64 and incoming.isascii() and incoming.isprintable()
    g.request_id = incoming if usable else uuid.uuid4().hex


def _secure_headers(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.get("request_id", "")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    script = "'self' 'unsafe-inline'" if request.path in INLINE_SCRIPT_PAGES else "'self'"
    response.headers.setdefault(
        "Content-Security-Policy",
        f"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "frame-ancestors 'none'",
    )
    return response
