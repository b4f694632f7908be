"""The request-parsing layer every request passes before routing to a handler: its size, its URL, the
text of its path, query string, headers and form, and its JSON body. A refusal is problem+json and runs nothing."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, current_app, request

from gateway.errors import Problem
from gateway.inputs import strict_json
from gateway.inputs.limits import MAX_URL_CHARS, refuse_bad_text

FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
# Where the chunked-body counter leaves its verdict for the guard.
_CHUNKED_TOO_LARGE = "registry.chunked_body_too_large"


class _TextRefused(Problem):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(400, code, detail)


def guard_request(_endpoint: str | None, _values: dict[str, Any] | None) -> None:
    _check_url()
    _check_size()
    _check_text()
    if request.is_json:
        _check_json_body()


def _check_url() -> None:
    environ = request.environ
    # Servers differ in what they keep of the raw URL; the longest reading is the one held to the limit.
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    decoded = len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) + 1
    if max(len(raw), decoded) > MAX_URL_CHARS:
        raise Problem(
            414, "request.uri_too_long", f"the URL is longer than {MAX_URL_CHARS} characters: send filters in fewer"
        )


def _check_size() -> None:
    limit: int = current_app.config["MAX_CONTENT_LENGTH"]
    if request.environ.get(_CHUNKED_TOO_LARGE) or (request.content_length or 0) > limit:
        raise Problem(413, "request.too_large", f"the body is larger than {limit} bytes: send a smaller one")


def _check_text() -> None:
    texts: list[str] = [request.path]
    for name, value in request.headers.items():
        texts += (name, value)
    for key, value in request.args.items(multi=True):
        texts += (key, value)
    if request.mimetype in FORM_TYPES:
        for key, value in request.form.items(multi=True):
            texts += (key, value)
    for text in texts:
        refuse_bad_text(text, _TextRefused)


def _check_json_body() -> None:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return
    try:
        strict_json.loads(raw)
    except strict_json.JsonRefused as refused:
        raise Problem(400, refused.code, refused.detail) from None


class ChunkedBodyLimit:
    """WSGI middleware: a chunked body has no Content-Length, so it is counted here, up to one byte past
    the limit, and handed on with the length it has; past the limit the guard answers 413."""

    def __init__(self, app: Callable[..., Iterable[bytes]], max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = _read_at_most(environ["wsgi.input"], self.max_bytes + 1)
            if len(body) > self.max_bytes:
                environ[_CHUNKED_TOO_LARGE] = True
                body = b""
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("wsgi.input_terminated", None)
            del environ["HTTP_TRANSFER_ENCODING"]
        return self.app(environ, start_response)


def _read_at_most(stream: Any, size: int) -> bytes:
    parts: list[bytes] = []
    remaining = size
    while remaining > 0:
        part = stream.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def init_request_guard(app: Flask) -> None:
    """Register before the tenant is resolved, so no refused input reaches the catalogue either."""
    app.url_value_preprocessor(guard_request)
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"])  # type: ignore[method-assign]
