"""Handlers that record reference data: cooperative approaches, projects, issuances, entities, authorizations."""

from services.ledger.domain import catalogue
from services.ledger.domain.authorizations import Authorization
from services.ledger.domain.checks.authorizations import require_authorization
from services.ledger.domain.checks.reference import check_participates, require, require_approach
from services.ledger.domain.commands import (
    RecordAuthorization,
    RecordAuthorizedEntity,
    RecordCooperativeApproach,
    RecordIssuance,
    RecordProject,
)
from services.ledger.domain.errors import failed
from services.ledger.domain.reference import AuthorizedEntity, CooperativeApproach, Issuance, Project
from services.ledger.domain.registry import RegistrySettings
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork
from services.ledger.service_layer.results import RecordResult
from services.shared.clock import Clock
from services.shared.ids import new_id


def record_cooperative_approach(
    cmd: RecordCooperativeApproach, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    approach = uow.reference.approach(cmd.cooperative_approach_id)
    if approach is None:
        approach = CooperativeApproach(
            id=cmd.cooperative_approach_id,
            name=cmd.name,
            participating_parties=cmd.participating_parties,
            status=cmd.status,
        )
        uow.reference.add(approach.recorded())
    else:
        approach.update(cmd.name, cmd.participating_parties, cmd.status)
    check_participates(approach, registry.party, "participating_parties")
    return RecordResult("cooperative_approach", approach.id)


def record_project(
    cmd: RecordProject, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    if cmd.cooperative_approach_id is not None:
        require_approach(uow.reference.approach(cmd.cooperative_approach_id), cmd.cooperative_approach_id)
    project = Project(
        id=new_id(),
        name=cmd.name,
        developer=cmd.developer,
        sector=cmd.sector,
        project_type=cmd.project_type,
        methodology=cmd.methodology,
        status=cmd.status,
        country=cmd.country,
        cooperative_approach_id=cmd.cooperative_approach_id,
        developer_id=cmd.developer_id,
        locations=cmd.locations,
        links=cmd.links,
        crediting_periods=cmd.crediting_periods,
    )
    uow.reference.add(project.recorded())
    return RecordResult("project", str(project.id))


def record_issuance(
    cmd: RecordIssuance, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    require(
        uow.reference.project(cmd.project_id),
        catalogue.PROJECT_EXISTS,
        f"There is no project {cmd.project_id}.",
        "project_id",
    )
    issuance = Issuance(
        id=new_id(),
        project_id=cmd.project_id,
        monitoring_start=cmd.monitoring_start,
        monitoring_end=cmd.monitoring_end,
        verifier=cmd.verifier,
        verified_on=cmd.verified_on,
        issued_on=cmd.issued_on,
        quantities=cmd.quantities,
    )
    uow.reference.add(issuance.recorded())
    return RecordResult("issuance", str(issuance.id))


def record_authorized_entity(
    cmd: RecordAuthorizedEntity, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    if cmd.entity_id is not None:
        entity = require(
            uow.reference.entity(cmd.entity_id),
            catalogue.AUTHORIZED_ENTITY,
            f"There is no authorized entity {cmd.entity_id}.",
            "entity_id",
        )
        entity.revoke(cmd.revoked_at or clock.now())
    else:
        require_approach(uow.reference.approach(cmd.cooperative_approach_id), cmd.cooperative_approach_id)
        entity = AuthorizedEntity(
            id=new_id(),
            cooperative_approach_id=cmd.cooperative_approach_id,
            name=cmd.name,
            country_of_incorporation=cmd.country_of_incorporation,
            identification_number=cmd.identification_number,
            authorized_on=cmd.authorized_on,
            organization_id=cmd.organization_id,
            conditions=cmd.conditions,
            change_conditions=cmd.change_conditions,
            revoked_at=cmd.revoked_at,
        )
        uow.reference.add(entity.recorded())
    return RecordResult("authorized_entity", str(entity.id))


def record_authorization(
    cmd: RecordAuthorization, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    terms = cmd.terms
    if terms.authorizing_party != registry.party:
        raise failed(
            catalogue.AUTHORIZATION_TERMS_VALID,
            f"{registry.party} records its own authorizations, not {terms.authorizing_party}'s.",
            "authorizing_party",
        )
    approach = require_approach(uow.reference.approach(terms.cooperative_approach_id), terms.cooperative_approach_id)
    check_participates(approach, registry.party, "cooperative_approach_id")
    for entity_id in sorted(terms.authorized_entities):
        entity = uow.reference.entity(entity_id)
        if entity is None or entity.cooperative_approach_id != approach.id:
            raise failed(
                catalogue.AUTHORIZED_ENTITY,
                f"There is no authorized entity {entity_id} under {approach.id}.",
                "authorized_entities",
            )
    if cmd.authorization_id is None:
        authorization = Authorization(id=new_id(), reference=cmd.reference.strip())
        uow.authorizations.add(authorization)
    else:
        authorization = require_authorization(
            uow.authorizations.get(cmd.authorization_id, for_update=True), cmd.authorization_id
        )
    authorization.add_version(terms)
    return RecordResult("authorization", str(authorization.id), authorization.reference, terms.version)
