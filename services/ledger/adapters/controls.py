"""The SQL repository of account-protection controls, and the reads their checks make."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, bindparam, select

from services.ledger.adapters import orm
from services.ledger.domain.accounts import HOLDING_TYPES
from services.ledger.domain.guard import TRANSFER_TYPES, RecentMovement
from services.ledger.domain.protection import Controls, ControlSubject, Freeze, HeldAccount, Limits, TrustedAccount
from services.ledger.domain.transactions import TransactionStatus
from services.ledger.service_layer import ports
from services.shared.db.codec import decode, encode
from services.shared.db.statements import SqlStatements
from services.shared.db.tracking import Row, TableTracker, prepared

_WITHDRAWN = (TransactionStatus.REJECTED, TransactionStatus.CANCELLED, TransactionStatus.TERMINATED)


def controls_row(c: Controls) -> Row:
    return {
        "subject_id": c.subject_id,
        "kind": c.kind.value,
        "number": c.number,
        "trusted": encode(c.trusted),
        "limits": encode(c.limits),
        "freeze": encode(c.freeze),
    }


def controls_from(r: Mapping[str, Any]) -> Controls:
    return Controls(
        subject_id=r["subject_id"],
        kind=ControlSubject(r["kind"]),
        number=r["number"],
        trusted=decode(list[TrustedAccount], r["trusted"]),
        limits=decode(Limits, r["limits"]),
        freeze=decode(Freeze | None, r["freeze"]),  # type: ignore[arg-type]
    )


class SqlControlRepository(ports.ControlRepository):
    def __init__(self, statements: SqlStatements, tenant_id: UUID, flush: Callable[[], None]) -> None:
        super().__init__()
        self.flush, self.tenant_id = flush, tenant_id
        self.rows = TableTracker(
            statements,
            tenant_id,
            orm.controls,
            key=lambda c: c.subject_id,
            to_row=controls_row,
            from_row=controls_from,
            key_columns=("subject_id",),
        )

    def _add(self, controls: Controls) -> None:
        self.rows.add(controls)

    def _get(self, subject_id: UUID, for_update: bool) -> Controls | None:
        self.rows.flush()
        c = orm.controls.c

        def build(q: Any) -> Any:
            q = q.where(c.subject_id == bindparam("subject_id"))
            return q.with_for_update() if for_update else q

        return self.rows.load_one(self.rows.query(("get", for_update), build), subject_id=subject_id)

    def recent_transfers(self, account_id: UUID, since: datetime) -> list[RecentMovement]:
        self.flush()
        t = orm.transactions.c
        statement = prepared(
            ("ledger_controls", "recent_transfers"),
            lambda: select(t.proposed_at, t.quantity).where(
                t.tenant_id == bindparam("tenant_id"),
                t.source_account_id == bindparam("account_id"),
                t.proposed_at > bindparam("since"),
                t.type.in_(sorted(kind.value for kind in TRANSFER_TYPES)),
                and_(*(t.status != status.value for status in _WITHDRAWN)),
            ),
        )
        rows = self.rows.statements.read(
            statement, {"tenant_id": self.tenant_id, "account_id": account_id, "since": since}
        )
        return [RecentMovement(row["proposed_at"], int(row["quantity"])) for row in rows]

    def accounts_of(self, organization_id: UUID) -> list[HeldAccount]:
        self.flush()
        a = orm.accounts.c
        statement = prepared(
            ("ledger_controls", "accounts_of"),
            lambda: (
                select(a.id, a.number)
                .where(
                    a.tenant_id == bindparam("tenant_id"),
                    a.holder_id == bindparam("organization_id"),
                    a.type.in_(sorted(kind.value for kind in HOLDING_TYPES)),
                )
                .order_by(a.number)
            ),
        )
        rows = self.rows.statements.read(statement, {"tenant_id": self.tenant_id, "organization_id": organization_id})
        return [HeldAccount(row["id"], row["number"]) for row in rows]

    def flush_changes(self) -> None:
        self.rows.flush()
