"""Witness state in SQL, on a tenant-bound session: the logs a registry witnesses, its witnesses, cosignatures."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from services.transparency.adapters.tables import cosignatures, witnessed_logs, witnesses
from services.transparency.domain.witness import Witnessed
from services.transparency.service_layer.ports import WitnessEntry


class SqlWitnessedLogs:
    """As a witness: each log's verifier key and the last checkpoint cosigned."""

    def __init__(self, session: Session, tenant_id: UUID) -> None:
        self.session, self.tenant_id = session, tenant_id

    def verifier_key(self, origin: str) -> str | None:
        w = witnessed_logs.c
        statement = select(w.verifier_key).where(w.tenant_id == self.tenant_id, w.origin == origin)
        found: str | None = self.session.execute(statement).scalar()
        return found

    def last(self, origin: str, *, lock: bool = False) -> Witnessed:
        w = witnessed_logs.c
        statement = select(w.size, w.root).where(w.tenant_id == self.tenant_id, w.origin == origin)
        row = self.session.execute(statement.with_for_update() if lock else statement).first()
        if row is None or row.root is None:
            return Witnessed(0, None)
        return Witnessed(row.size, bytes.fromhex(row.root))

    def follow(self, origin: str, verifier_key: str) -> None:
        """Witness the log from now on (or take its new key); what was cosigned is kept."""
        w = witnessed_logs.c
        where = (w.tenant_id == self.tenant_id) & (w.origin == origin)
        if self.session.execute(select(w.origin).where(where)).first() is None:
            row = {"tenant_id": self.tenant_id, "origin": origin, "verifier_key": verifier_key, "size": 0}
            self.session.execute(insert(witnessed_logs), row)
        else:
            self.session.execute(update(witnessed_logs).where(where).values(verifier_key=verifier_key))

    def cosigned(self, origin: str, size: int, root: bytes) -> None:
        where = (witnessed_logs.c.tenant_id == self.tenant_id) & (witnessed_logs.c.origin == origin)
        self.session.execute(update(witnessed_logs).where(where).values(size=size, root=root.hex()))


class SqlWitnesses:
    """As a log: who cosigns its checkpoints, the size each last cosigned, and the cosignatures received."""

    def __init__(self, session: Session, tenant_id: UUID) -> None:
        self.session, self.tenant_id = session, tenant_id

    def all(self) -> list[WitnessEntry]:
        w = witnesses.c
        statement = select(witnesses).where(w.tenant_id == self.tenant_id).order_by(w.name)
        return [
            WitnessEntry(r.name, r.verifier_key, r.registry_code, r.url, r.size)
            for r in self.session.execute(statement)
        ]

    def add(self, entry: WitnessEntry) -> None:
        w = witnesses.c
        where = (w.tenant_id == self.tenant_id) & (w.name == entry.name)
        self.session.execute(witnesses.delete().where(where))
        self.session.execute(insert(witnesses), {"tenant_id": self.tenant_id, **vars(entry)})

    def record(self, name: str, size: int, line: str, at: datetime) -> None:
        w = witnesses.c
        where = (w.tenant_id == self.tenant_id) & (w.name == name)
        self.session.execute(update(witnesses).where(where).values(size=size))
        c = cosignatures.c
        known = select(c.size).where(c.tenant_id == self.tenant_id, c.size == size, c.witness == name)
        if self.session.execute(known).first() is None:
            row = {"tenant_id": self.tenant_id, "size": size, "witness": name, "line": line, "signed_at": at}
            self.session.execute(insert(cosignatures), row)

    def lines(self, size: int) -> list[str]:
        c = cosignatures.c
        statement = select(c.line).where(c.tenant_id == self.tenant_id, c.size == size).order_by(c.witness)
        return list(self.session.execute(statement).scalars())
