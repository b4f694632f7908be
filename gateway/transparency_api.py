"""The transparency log of a registry, without login: checkpoints, keys and proofs (docs/transparency.md)."""

from __future__ import annotations

import base64
from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields

from gateway.auth.access import requires
from gateway.bootstrap import current_platform
from gateway.errors import Problem
from gateway.inputs.fields import Count
from gateway.tenancy import current_tenant
from gateway.training.guards import refuse_for_training
from services.shared.secret_box import AesGcmSecretBox
from services.transparency.bootstrap import TenantLog
from services.transparency.domain.leaves import leaf_bytes
from services.transparency.domain.merkle import leaf_hash
from services.transparency.domain.notes import verifier_key
from services.transparency.domain.tiles import NoSuchTile, parse_tile
from services.transparency.domain.witness import SizeConflict, WitnessRefusal, witness_verifier_key
from services.transparency.entrypoints.receipts import NoCheckpoint, receipt_for
from services.transparency.entrypoints.witnessing import add_checkpoint
from services.transparency.service_layer import proving
from services.transparency.service_layer.proving import BeyondTree
from services.transparency.service_layer.witnessing import cosigned_note

blp = Blueprint(
    "transparency_public",
    __name__,
    url_prefix="/api/v1/registries/<string:registry>/log",
    description="The registry's transparency log: signed checkpoints and proofs (no login)",
)
NOTE = {"description": "a C2SP signed note", "content": {"text/plain": {"schema": {"type": "string"}}}}


class LogInclusionQuery(Schema):
    sequence = Count(required=True, metadata={"description": "journal sequence of the record"})
    tree_size = Count(load_default=None, metadata={"description": "tree size (default: the latest checkpoint's)"})


class LogReceiptQuery(Schema):
    sequence = Count(
        required=True, metadata={"description": "journal sequence of the record (a transaction's journal_sequence)"}
    )


class LogReceipt(Schema):
    receipt_version = fields.Integer()
    registry = fields.String(metadata={"description": "the log's origin"})
    sequence = fields.Integer()
    leaf_index = fields.Integer()
    leaf = fields.String()
    tree_size = fields.Integer()
    inclusion_proof = fields.List(fields.String())
    checkpoint = fields.String()


class LogConsistencyQuery(Schema):
    first = Count(required=True, metadata={"description": "the earlier tree size"})
    second = Count(required=True, metadata={"description": "the later tree size"})


class LogKey(Schema):
    key_id = fields.String()
    name = fields.String()
    verifier_key = fields.String(metadata={"description": "C2SP verifier key: name+keyid+base64(0x01 || key)"})
    created_at = fields.DateTime()
    retired_at = fields.DateTime(allow_none=True)


class LogKeys(Schema):
    items = fields.List(fields.Nested(LogKey))


class LogInclusionProof(Schema):
    sequence = fields.Integer()
    leaf_index = fields.Integer()
    tree_size = fields.Integer()
    leaf = fields.String(metadata={"description": "the leaf bytes (canonical JSON of the record), as text"})
    leaf_hash = fields.String(metadata={"description": "base64 SHA-256(0x00 || leaf)"})
    hashes = fields.List(fields.String(), metadata={"description": "base64 RFC 9162 inclusion path"})
    checkpoint = fields.String(allow_none=True, metadata={"description": "signed checkpoint of tree_size, if any"})


class LogConsistencyProof(Schema):
    first = fields.Integer()
    second = fields.Integer()
    hashes = fields.List(fields.String(), metadata={"description": "base64 RFC 9162 consistency proof"})


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def _transaction() -> Any:
    return current_platform().database.transaction(current_tenant().id)


def _beyond(error: BeyondTree) -> Problem:
    return Problem(422, "transparency.beyond_tree", f"{error}: ask for a size of a published checkpoint")


@blp.route("/checkpoint")
class LatestCheckpoint(MethodView):
    @blp.doc(responses={"200": NOTE})
    @requires(public=True)
    def get(self) -> Any:
        """The latest signed checkpoint (C2SP tlog-checkpoint in a signed note)"""
        tenant = current_tenant()
        with _transaction() as session:
            log = TenantLog(session, tenant.id)
            latest = log.checkpoints().latest()
            lines = log.witnesses().lines(latest.size) if latest else []
        if latest is None:
            raise Problem(404, "transparency.no_checkpoint", "the registry has not published a checkpoint yet")
        return Response(cosigned_note(latest.note, lines), mimetype="text/plain")


@blp.route("/keys")
class CheckpointKeys(MethodView):
    @blp.response(200, LogKeys)
    @requires(public=True)
    def get(self) -> Any:
        """Every key that signed or signs the registry's checkpoints, retired ones included"""
        tenant = current_tenant()
        with _transaction() as session:
            history = TenantLog(session, tenant.id).log_keys().history()
        items = [{**vars(k), "verifier_key": verifier_key(k.name, k.public_key)} for k in history]
        return {"items": items}


@blp.route("/proofs/inclusion")
class Inclusion(MethodView):
    @blp.arguments(LogInclusionQuery, location="query")
    @blp.response(200, LogInclusionProof)
    @requires(public=True)
    def get(self, query: dict[str, Any]) -> Any:
        """RFC 9162 inclusion proof of a journal record in a tree size"""
        tenant = current_tenant()
        with _transaction() as session:
            log = TenantLog(session, tenant.id)
            checkpoints = log.checkpoints()
            latest = checkpoints.latest()
            size = query["tree_size"] or (latest.size if latest else 0)
            sequence, store = query["sequence"], log.tree()
            try:
                hashes = proving.inclusion_proof(store, sequence - 1, size)
            except BeyondTree as error:
                raise _beyond(error) from None
            leaf = leaf_bytes(log.journal().entries(sequence, 1)[0])
            signed = checkpoints.of_size(size)
        return {
            "sequence": sequence,
            "leaf_index": sequence - 1,
            "tree_size": size,
            "leaf": leaf.decode(),
            "leaf_hash": _b64(leaf_hash(leaf)),
            "hashes": [_b64(h) for h in hashes],
            "checkpoint": signed.note if signed else None,
        }


@blp.route("/proofs/consistency")
class Consistency(MethodView):
    @blp.arguments(LogConsistencyQuery, location="query")
    @blp.response(200, LogConsistencyProof)
    @requires(public=True)
    def get(self, query: dict[str, Any]) -> Any:
        """RFC 9162 consistency proof between two tree sizes"""
        tenant = current_tenant()
        with _transaction() as session:
            try:
                hashes = proving.consistency_proof(
                    TenantLog(session, tenant.id).tree(), query["first"], query["second"]
                )
            except BeyondTree as error:
                raise _beyond(error) from None
        return {"first": query["first"], "second": query["second"], "hashes": [_b64(h) for h in hashes]}


@blp.route("/receipt")
class RecordReceipt(MethodView):
    @blp.arguments(LogReceiptQuery, location="query")
    @blp.response(200, LogReceipt)
    @requires(public=True)
    def get(self, query: dict[str, Any]) -> Any:
        """A receipt of a journal record (a retirement, a transfer, an issuance) under the latest checkpoint"""
        tenant = current_tenant()
        try:
            return receipt_for(current_platform().database, tenant.id, tenant.registry_id, query["sequence"])
        except NoCheckpoint as error:
            raise Problem(404, "transparency.no_checkpoint", str(error)) from None
        except BeyondTree as error:
            raise _beyond(error) from None


TILE = {
    "description": "a C2SP tlog-tiles hash tile (concatenated 32-byte hashes) or entry bundle "
    "(each leaf prefixed with its length, big-endian uint16)",
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
}
IMMUTABLE = "public, max-age=31536000, immutable"  # a tile of a given width never changes


def _tile(kind: str, path: str) -> Response:
    tenant = current_tenant()
    try:
        tile = parse_tile(kind, path)
        with _transaction() as session:
            log = TenantLog(session, tenant.id)
            found = proving.tile_bytes(log.tree(), log.journal(), tile)
    except NoSuchTile as error:
        raise Problem(404, "transparency.no_such_tile", f"{error}; see docs/transparency.md (Tiles)") from None
    response = Response(found, mimetype="application/octet-stream")
    response.headers["Cache-Control"] = IMMUTABLE
    return response


@blp.route("/tile/entries/<path:index>")
class EntryBundle(MethodView):
    @blp.doc(responses={"200": TILE})
    @requires(public=True)
    def get(self, index: str) -> Any:
        """An entry bundle of the log in the C2SP tlog-tiles layout: up to 256 leaves (journal records)"""
        return _tile("entries", index)


@blp.route("/tile/<string:level>/<path:index>")
class HashTile(MethodView):
    @blp.doc(responses={"200": TILE})
    @requires(public=True)
    def get(self, level: str, index: str) -> Any:
        """A hash tile of the log in the C2SP tlog-tiles layout: 256 (or, partial, W) hashes at height 8L"""
        return _tile(level, index)


witness_blp = Blueprint(
    "transparency_witness",
    __name__,
    url_prefix="/api/v1/registries/<string:registry>/witness",
    description="The registry as a witness of other logs (C2SP tlog-witness; no login: the log's signature is checked)",
)
MAX_REQUEST_BYTES = 16 * 1024
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
WITNESS_ANSWERS = {
    "200": {"description": "the witness's cosignature line", "content": {"text/plain": {"schema": {"type": "string"}}}},
    "409": {
        "description": "the old size is not the last size this witness cosigned; the body is that size",
        "content": {"text/x.tlog.size": {"schema": {"type": "string"}}},
    },
}


@witness_blp.route("/add-checkpoint")
class AddCheckpoint(MethodView):
    @witness_blp.doc(
        requestBody={
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        },
        responses=WITNESS_ANSWERS,
    )
    @requires(public=True)
    def post(self) -> Any:
        """Cosign a checkpoint of a log this registry witnesses, if it extends the last one it cosigned"""
        tenant = current_tenant()
        refuse_for_training(tenant, "witnessing logs outside the platform")
        if request.mimetype in FORM_TYPES:  # the form parser would have taken the body before this view
            raise Problem(
                415,
                "request.unsupported_media_type",
                "send the add-checkpoint request as text/plain or application/octet-stream, not as a form",
            )
        body = request.get_data(cache=False)
        if len(body) > MAX_REQUEST_BYTES:
            raise Problem(413, "request.too_large", f"an add-checkpoint request is at most {MAX_REQUEST_BYTES} bytes")
        try:
            text = body.decode("utf-8")
            box = AesGcmSecretBox(current_platform().settings.secret_key)
            platform = current_platform()
            line = add_checkpoint(platform.database, tenant.id, tenant.registry_id, box, text, platform.clock)
        except UnicodeDecodeError:
            raise Problem(400, "transparency.witness_refused", "the request is not UTF-8 text") from None
        except SizeConflict as conflict:
            return Response(f"{conflict.witness_size}\n", status=409, mimetype="text/x.tlog.size")
        except WitnessRefusal as refusal:
            raise Problem(refusal.status, "transparency.witness_refused", str(refusal)) from None
        return Response(line, mimetype="text/plain")


@witness_blp.route("/key")
class WitnessKey(MethodView):
    @witness_blp.doc(responses={"200": {"description": "the cosignature/v1 verifier key", "content": NOTE["content"]}})
    @requires(public=True)
    def get(self) -> Any:
        """The registry's verifier key as a witness (C2SP tlog-cosignature, cosignature/v1)"""
        tenant = current_tenant()
        with _transaction() as session:
            current = [k for k in TenantLog(session, tenant.id).witness_keys().history() if k.retired_at is None]
        if not current:
            raise Problem(404, "transparency.not_a_witness", "the registry witnesses no log yet")
        return Response(witness_verifier_key(current[0].name, current[0].public_key) + "\n", mimetype="text/plain")


def init_transparency(api: Api) -> None:
    api.register_blueprint(blp)
    api.register_blueprint(witness_blp)
