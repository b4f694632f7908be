"""Lookup of a unit by its ITMO identifier or serial number, and the permanent page of each unit block.

A block's page (the `unitRegistryLink` sent to CAD Trust) keeps answering whatever became of the block:
it shows the block as it is today, the history of its units, and the blocks that were split from it.
"""

from __future__ import annotations

from uuid import UUID

from flask import render_template, request

from gateway.inputs.limits import whole_number
from gateway.ledger.context import uow, views
from gateway.tenancy import current_tenant
from gateway.web.public import bp
from gateway.web.public.common import found
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.identifiers import ItmoId
from services.ledger.service_layer import queries

MAX_APPROACHES = 200


@bp.get("/registries/<registry>/units")
def units() -> tuple[str, int]:
    text = request.args.get("q", "").strip()
    histories = [queries.unit_history(uow(), itmo_id) for itmo_id in _itmo_ids(text)] if text else []
    histories = [h for h in histories if h.current is not None or h.entries]
    status = 404 if text and not histories else 200
    return render_template("web/public/units.html", query=text, histories=histories), status


@bp.get("/registries/<registry>/units/<uuid:block_id>")
def unit_block(block_id: UUID) -> str:
    block = found(views().block(block_id), "unit block")
    history = queries.unit_history(uow(), block.first_itmo_id)
    return render_template(
        "web/public/unit_block.html", block=block.snapshot(), history=history, split=views().blocks_split_from(block)
    )


def _itmo_ids(text: str) -> list[str]:
    """An ITMO identifier as it is; a bare serial number in each of the registry's cooperative approaches."""
    try:
        return [str(ItmoId.parse(text))]
    except CheckFailed:
        pass
    serial, registry_id = whole_number(text), current_tenant().registry_id
    if not serial:
        return []
    found = []
    with uow() as unit_of_work:
        for approach in views().approaches(None, 1, MAX_APPROACHES).items:
            block = unit_of_work.blocks.containing(approach.id, registry_id, serial)
            if block is not None:
                found.append(str(block.itmo_id(serial)))
    return found
