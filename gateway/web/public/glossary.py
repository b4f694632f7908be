"""Article 6 terms, as article6-rules.md (the project's reading of 2/CMA.3 and 6/CMA.4) explains them."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Term:
    anchor: str
    name: LazyString
    definition: LazyString


TERMS = (
    Term(
        "acquisition",
        _l("Acquisition"),
        _l("The receiving side of a transfer, recorded by the acquiring Party's registry."),
    ),
    Term(
        "aef",
        _l("Agreed Electronic Format (AEF)"),
        _l(
            "The tables in which a Party reports its Article 6.2 actions and holdings every year, "
            "block by block, to the UNFCCC."
        ),
    ),
    Term(
        "authorization",
        _l("Authorization"),
        _l(
            "The decision of the first transferring Party that mitigation outcomes may be used towards an NDC, "
            "for other international mitigation purposes, or both. An authorization can have several versions."
        ),
    ),
    Term(
        "authorized-entity",
        _l("Authorized entity"),
        _l("An organization a Party authorizes to take part in a cooperative approach."),
    ),
    Term(
        "cad-trust",
        _l("CAD Trust"),
        _l(
            "The Climate Action Data Trust: a shared public database of projects and units that registries "
            "publish to, so that the same unit is not counted twice across registries."
        ),
    ),
    Term(
        "cancellation",
        _l("Cancellation"),
        _l(
            "Taking units out of circulation so that nobody can use them again, for example to deliver "
            "overall mitigation in global emissions (OMGE)."
        ),
    ),
    Term(
        "cooperative-approach",
        _l("Cooperative approach"),
        _l(
            "An arrangement between two Parties or more under Article 6.2 of the Paris Agreement to transfer "
            "mitigation outcomes. Each has an identifier such as CA0001."
        ),
    ),
    Term(
        "corresponding-adjustment",
        _l("Corresponding adjustment"),
        _l(
            "The accounting entry that avoids double counting: the first transferring Party adds the ITMOs "
            "first transferred to its emissions balance for their vintage, and the Party that uses them "
            "subtracts them for the year of use."
        ),
    ),
    Term(
        "first-transfer",
        _l("First transfer"),
        _l(
            "The event that triggers the corresponding adjustment. For use towards an NDC it is the first "
            "international transfer; for other purposes it is the authorization, the issuance or the use or "
            "cancellation, as the authorization says."
        ),
    ),
    Term(
        "itmo",
        _l("ITMO"),
        _l(
            "Internationally transferred mitigation outcome: a mitigation outcome authorized under Article 6.2. "
            "Its identifier names the cooperative approach, the registry, the first transferring Party, the "
            "serial number and the vintage, e.g. CA0001-GHA01-GHA-1000001-2023."
        ),
    ),
    Term(
        "ndc",
        _l("NDC"),
        _l("Nationally determined contribution: a Party's climate target under the Paris Agreement."),
    ),
    Term(
        "oimp",
        _l("OIMP"),
        _l(
            "Other international mitigation purposes, such as an airline's offsetting under CORSIA, "
            "as opposed to use towards an NDC."
        ),
    ),
    Term(
        "omge",
        _l("OMGE"),
        _l(
            "Overall mitigation in global emissions: units cancelled so that no one counts them, to "
            "reduce global emissions. Parties are strongly encouraged to do so under Article 6.2."
        ),
    ),
    Term(
        "retirement",
        _l("Retirement"),
        _l(
            "A voluntary cancellation on behalf of a named beneficiary, for a stated purpose. "
            "Retired units can never move again."
        ),
    ),
    Term(
        "serial-block",
        _l("Serial block"),
        _l(
            "A contiguous range of serial numbers whose units share every attribute. Registries report blocks "
            "by their first and last identifier; a serial is never reused or renumbered."
        ),
    ),
    Term(
        "use",
        _l("Use"),
        _l("Counting ITMOs towards a Party's NDC for a calendar year, or towards another mitigation purpose."),
    ),
    Term(
        "vintage",
        _l("Vintage"),
        _l("The calendar year in which the mitigation outcome occurred."),
    ),
)


def terms() -> list[Term]:
    return sorted(TERMS, key=lambda term: str(term.name).casefold())
