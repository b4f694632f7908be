"""The numbered catalogue of ledger checks.

Codes are stable: a code is never reused for another check. Each entry names the rules of
article6-rules.md section 8 it implements (0 means a ledger rule with no number there).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """`conflict`: the check fails on the ledger's state (a repeat, a finished transaction, a hold), not on
    the request's content; HTTP answers 409 for it and 422 for any other failed check."""

    code: str
    description: str
    remedy: str
    rules: tuple[int, ...] = ()
    conflict: bool = False


# Accounts
ACCOUNT_EXISTS = Check(
    "LDG-001",
    "The account exists in this registry.",
    "Check the account id or number; open the account first if it is new.",
    (1, 2),
)
SOURCE_ACCOUNT_OPEN = Check(
    "LDG-002",
    "The transferring account is open, not suspended or closed.",
    "Ask the registry administrator to reopen the account, or use another account.",
    (1,),
)
DESTINATION_ACCOUNT_OPEN = Check(
    "LDG-003",
    "The acquiring account is open, not suspended or closed.",
    "Ask the registry administrator to reopen the account, or use another account.",
    (2,),
)
ACCOUNT_NUMBER_VALID = Check(
    "LDG-004",
    "The account number reads PARTY-TYPE-NUMBER-CHECK and its check digits are right.",
    "Copy the account number again from the account page.",
    (3,),
)
ACCOUNT_TYPE_ALLOWED = Check(
    "LDG-005",
    "The account types fit the action (for example, use towards an NDC goes to an NDC use account).",
    "Choose an account of the type the message names.",
    (1, 2),
)
ACCOUNTS_DIFFER = Check(
    "LDG-006", "The transferring and the acquiring account differ.", "Choose another acquiring account.", (2,)
)
ACCOUNT_METRIC_MATCHES = Check(
    "LDG-007", "The account's metric is the metric of the units.", "Use an account opened for this metric.", (14,)
)
ACCOUNT_DETAILS_COMPLETE = Check(
    "LDG-008",
    "The account has the details its type needs (year of use, OIMP purpose, Party and registry).",
    "Fill in the field the message names.",
    (2, 19),
)
ACCOUNT_EMPTY_BEFORE_CLOSING = Check(
    "LDG-009",
    "An account holds no live units when it is closed.",
    "Transfer, cancel or retire the units it holds, then close it.",
)
ACCOUNT_STATUS_CHANGE_ALLOWED = Check("LDG-010", "A closed account stays closed.", "Open a new account instead.")

# Quantities and units
QUANTITY_POSITIVE_INTEGER = Check(
    "LDG-011", "The quantity is a whole number greater than zero.", "Enter a whole number of units, 1 or more.", (6,)
)
QUANTITY_AVAILABLE = Check(
    "LDG-012",
    "The account holds the quantity asked for, among units that match the selection.",
    "Lower the quantity or widen the selection; the account's holdings show what is available.",
    (4, 6),
)
UNITS_NOT_RESERVED = Check(
    "LDG-013",
    "The units are not reserved by another pending transaction.",
    "Wait until the pending transaction the message names finishes, or cancel it.",
    (4,),
)
UNITS_NOT_TERMINAL = Check(
    "LDG-014",
    "The units are not already used, cancelled or retired.",
    "Choose other units: used, cancelled and retired units never move again.",
    (5, 16),
)
BLOCK_INTEGRITY = Check(
    "LDG-015",
    "A unit block is a valid serial range that overlaps no other block.",
    "Correct the serial range; report a suspected duplicate to the registry administrator.",
    (7,),
)
NUMBERS_AVAILABLE = Check(
    "LDG-016",
    "The registry has serial numbers left for the units (serials are 64-bit integers, 1 to 2^63 - 2).",
    "Lower the quantity; an issuance never runs past the last serial number.",
    (7,),
)

# Reference data
COOPERATIVE_APPROACH_EXISTS = Check(
    "LDG-020",
    "The cooperative approach is recorded in this registry.",
    "Record the cooperative approach (its CARP id, CANNNN) first.",
    (8,),
)
COOPERATIVE_APPROACH_ACTIVE = Check(
    "LDG-021",
    "The cooperative approach is active, not suspended or closed.",
    "Ask the registry administrator about the status of the cooperative approach.",
    (8,),
)
PARTY_PARTICIPATES = Check(
    "LDG-022",
    "The Party takes part in the cooperative approach.",
    "Add the Party to the cooperative approach, or choose units of an approach it takes part in.",
    (8, 11),
)
IDENTIFIER_FORMAT = Check(
    "LDG-023",
    "Identifiers follow the nomenclature: CANNNN, ISO alpha-3 Party, registry AAA00, ITMO id.",
    "Correct the identifier the message names.",
    (7, 19),
)
PROJECT_EXISTS = Check(
    "LDG-024", "The mitigation activity (project) is recorded in this registry.", "Record the project first.", (19,)
)
ISSUANCE_EXISTS = Check(
    "LDG-025",
    "The issuance (monitoring and verification record) is recorded in this registry.",
    "Record the issuance first.",
    (19,),
)
ISSUANCE_QUANTITY = Check(
    "LDG-026",
    "Units issued for a vintage stay within the quantity the issuance verified for it.",
    "Lower the quantity, or record a new issuance for the extra units.",
    (7,),
)
AUTHORIZED_ENTITY_ACTIVE = Check(
    "LDG-027",
    "The authorized entity is active under the cooperative approach, not revoked.",
    "Ask the authorizing officer about the entity's authorization.",
    (17,),
)
REFERENCE_DATA_VALID = Check(
    "LDG-028",
    "A reference record is complete and consistent (names, dates in order, positive quantities).",
    "Correct the field the message names.",
    (19,),
)

# Authorizations
AUTHORIZATION_EXISTS = Check(
    "LDG-030",
    "The authorization is recorded in this registry.",
    "Record the authorization first, or check its id.",
    (9,),
)
AUTHORIZATION_IN_FORCE = Check(
    "LDG-031",
    "The authorization is in force on the date of the action.",
    "Ask the authorizing officer to record a new version that is in force.",
    (9,),
)
AUTHORIZED_QUANTITY = Check(
    "LDG-032",
    "The units stay within the authorized quantity.",
    "Lower the quantity, or ask for a version of the authorization with a larger quantity.",
    (9,),
)
AUTHORIZED_TIMEFRAME = Check(
    "LDG-033", "The vintage lies within the authorized timeframe.", "Choose units of an authorized vintage.", (9, 13)
)
AUTHORIZED_PURPOSE = Check(
    "LDG-034",
    "The authorization covers the purpose of the action (NDC, OIMP, IMP or OP).",
    "Choose units authorized for this purpose.",
    (11,),
)
AUTHORIZED_PARTY = Check(
    "LDG-035",
    "The acquiring or using Party is among the Parties the authorization names.",
    "Choose units whose authorization names this Party.",
    (9, 11),
)
AUTHORIZED_ENTITY = Check(
    "LDG-036",
    "The account holder is among the entities the authorization names.",
    "Transfer to an account of an authorized entity.",
    (9, 17),
)
AUTHORIZATION_MATCHES_UNITS = Check(
    "LDG-037",
    "The authorization is for the units' cooperative approach and metric.",
    "Choose the authorization of this cooperative approach and metric.",
    (7, 14),
)
UNITS_AUTHORIZED = Check(
    "LDG-038",
    "The units are authorized before any first transfer, transfer abroad or use.",
    "Authorize the units first.",
    (9,),
)
UNITS_NOT_YET_AUTHORIZED = Check(
    "LDG-039",
    "Units are authorized once; an authorization on units is never replaced.",
    "Choose units that are not yet authorized.",
    (9,),
)
OWN_MITIGATION_OUTCOMES = Check(
    "LDG-040",
    "Only this Party's own mitigation outcomes are issued or authorized here.",
    "Authorize units whose first transferring Party is this registry's Party.",
    (9,),
)
AUTHORIZATION_TERMS_VALID = Check(
    "LDG-041",
    "The authorization terms are consistent (purposes, timeframe, OIMP first-transfer definition, version).",
    "Correct the field the message names.",
    (9, 19),
)

# First transfer
FIRST_TRANSFER_ONCE = Check(
    "LDG-045",
    "A unit is first transferred exactly once, also after its block is split.",
    "None: the units were already first transferred; record a transfer instead.",
    (10,),
)
FIRST_TRANSFER_TRIGGER = Check(
    "LDG-046",
    "The first-transfer event matches the authorization's OIMP first-transfer definition.",
    "Follow the definition the message names (for example, issue the units under the authorization).",
    (10,),
)

# Use towards an NDC
NDC_YEAR_IN_PERIOD = Check(
    "LDG-050",
    "The calendar year of use lies within the NDC implementation period.",
    "Choose a year of use within the NDC implementation period.",
    (12,),
)
NDC_ACCOUNT_YEAR = Check(
    "LDG-051",
    "The NDC use account is the account for the calendar year of use.",
    "Use the NDC use account opened for that year.",
    (12,),
)
NDC_USE_OF_ACQUIRED_ITMOS = Check(
    "LDG-052",
    "Only ITMOs first transferred by another Party are used towards this Party's NDC.",
    "Choose ITMOs acquired from another Party.",
    (12, 16),
)

# Vintage and metric
VINTAGE_FORMAT = Check(
    "LDG-055",
    "The vintage is a four-digit calendar year.",
    "Enter the year the mitigation occurred, for example 2023.",
    (13,),
)
VINTAGE_NOT_IN_FUTURE = Check(
    "LDG-056", "The vintage is not in the future.", "Issue units only for years whose mitigation has occurred.", (13,)
)
METRIC_VALID = Check(
    "LDG-057",
    "A non-GHG metric has a name and its authorization a conversion factor to t CO2 eq.",
    "Name the non-GHG metric and give the conversion factor.",
    (14,),
)

# International transfer and acquisition
COUNTERPARTY_KNOWN = Check(
    "LDG-060",
    "An external account names another Party and its registry.",
    "Open an external account for the other Party's registry.",
    (2,),
)
INCOMING_TRANSFER_ONCE = Check(
    "LDG-061",
    "An incoming transfer is acquired exactly once.",
    "None: this incoming transfer is already recorded; look up its acquisition.",
    (15,),
    conflict=True,
)
INCOMING_UNITS_NEW = Check(
    "LDG-062",
    "Incoming units are not already recorded in this registry.",
    "Ask the transferring registry to check the serial numbers.",
    (15, 16),
)
TRANSFER_AWAITING_ACCEPTANCE = Check(
    "LDG-063",
    "Only an international transfer awaiting acceptance is completed or reversed.",
    "Check the transaction id the other registry answered.",
    (15,),
    conflict=True,
)

# Transactions
TRANSACTION_EXISTS = Check("LDG-070", "The transaction exists in this registry.", "Check the transaction id.")
TRANSITION_ALLOWED = Check(
    "LDG-071",
    "The transaction may take the new status; final statuses never change.",
    "Look at the transaction's status: it may already be finished.",
    (5,),
    conflict=True,
)
FOUR_EYES = Check(
    "LDG-072",
    "The approver is not the initiator of the transaction.",
    "Ask another representative to approve the transaction.",
)
IDEMPOTENCY_KEY_MATCHES = Check(
    "LDG-073",
    "An idempotency key is reused only for the same request.",
    "Send a new idempotency key with a new request.",
    conflict=True,
)
REGISTRY_NOT_ON_HOLD = Check(
    "LDG-074",
    "The registry is not on hold for a reconciliation or an unresolved inconsistency.",
    "Try again when the registry administrator lifts the hold.",
    (18,),
    conflict=True,
)
ACTION_FIELDS_COMPLETE = Check(
    "LDG-075",
    "The action has every field its AEF row needs (year of use, purpose, beneficiary, Party).",
    "Fill in the field the message names.",
    (19,),
)
UTC_TIMESTAMP = Check("LDG-076", "Every time of an action is a UTC timestamp.", "Send times with a time zone.", (20,))


# Account protection: freezes, trusted accounts, limits, out of hours
ACCOUNT_NOT_FROZEN = Check(
    "LDG-080",
    "Nothing moves out of a frozen account.",
    "Ask the registry administrator why the account is frozen; two administrators unfreeze it.",
    conflict=True,
)
ORGANIZATION_NOT_FROZEN = Check(
    "LDG-081",
    "Nothing moves out of the accounts of a frozen organization.",
    "Ask the registry administrator why the organization is frozen; two administrators unfreeze it.",
    conflict=True,
)
TRANSFERS_ABROAD_OPEN = Check(
    "LDG-082",
    "The platform operator has not frozen this registry's transfers abroad.",
    "Wait until the operator lifts the freeze of transfers abroad; transfers at home still run.",
    conflict=True,
)
TRUSTED_ACCOUNT_VALID = Check(
    "LDG-083",
    "A trusted account is a holding account of this registry, or an account abroad named by its registry id "
    "and account number, listed once, and not the holding account itself.",
    "Correct the account number or registry id; an account already listed needs no second entry.",
)
TRUSTED_ACCOUNT_FOUR_EYES = Check(
    "LDG-084",
    "A trusted account is approved by another person than the one who proposed it.",
    "Ask another representative or administrator to approve the trusted account.",
)
TRUSTED_ACCOUNT_PENDING = Check(
    "LDG-085",
    "The trusted-account entry exists and, to be approved, still awaits approval.",
    "Look at the holding account's trusted list: the entry may be approved or removed already.",
    conflict=True,
)
UNTRUSTED_TRANSFER_DELAYED = Check(
    "LDG-086",
    "A transfer to an account that is not active on the holding account's trusted list waits the registry's "
    "untrusted-transfer delay, cancellable by the holder and the registry meanwhile.",
    "Cancel the transfer if you did not ask for it; add the acquiring account to the trusted list for the next.",
)
TRANSFER_QUANTITY_LIMIT = Check(
    "LDG-087",
    "A transfer moves no more units than the account's and the registry's limit per transfer.",
    "Lower the quantity, or ask the registry administrator to release the transfer or raise the limit.",
)
DAILY_QUANTITY_LIMIT = Check(
    "LDG-088",
    "The units moved out of an account in any 24 hours stay within its and the registry's limit.",
    "Wait until earlier transfers are more than 24 hours old, or ask the registry administrator to release it.",
    conflict=True,
)
DAILY_TRANSFER_COUNT_LIMIT = Check(
    "LDG-089",
    "The transfers out of an account in any 24 hours stay within its and the registry's limit on their number.",
    "Wait until earlier transfers are more than 24 hours old, or ask the registry administrator to release it.",
    conflict=True,
)
HELD_FOR_RELEASE = Check(
    "LDG-090",
    "Only a transaction held over a limit is released, by an administrator.",
    "Look at the transaction's status: it may be released, rejected or cancelled already.",
    conflict=True,
)
OUT_OF_HOURS = Check(
    "LDG-091",
    "Movements out of an account run only within the registry's hours; outside them they wait for the next opening.",
    "Nothing: the movement runs when the registry's hours open; cancel it meanwhile if you did not ask for it.",
)
UNFREEZE_FOUR_EYES = Check(
    "LDG-092",
    "A freeze is lifted by a second administrator, not the one who asked to lift it.",
    "Ask another registry administrator to confirm the unfreeze.",
)
FREEZE_CHANGE_ALLOWED = Check(
    "LDG-093",
    "An account or organization is frozen once, with a reason, and only a frozen one is unfrozen.",
    "Look at the freeze's state; give a reason when freezing.",
    conflict=True,
)
LIMITS_VALID = Check(
    "LDG-094",
    "A limit is a whole number greater than zero, or empty for no limit.",
    "Enter a whole number of 1 or more, or leave the limit out.",
)


CATALOGUE: tuple[Check, ...] = tuple(value for value in list(globals().values()) if isinstance(value, Check))


def render_markdown() -> str:
    """The catalogue as the markdown page docs/ledger/checks.md."""
    lines = [
        "# Ledger checks",
        "",
        "Generated from `services/ledger/domain/catalogue.py` by `render_markdown()`; do not edit by hand.",
        "A failed check raises `CheckFailed(code, message, field)` and changes nothing.",
        "The column Section 8 names the checks of article6-rules.md section 8 that the entry implements.",
        "A check marked conflict fails on the ledger's state, not on the request's content: HTTP answers",
        "409 for it and 422 for every other check.",
        "",
        "| Code | Check | What to do when it fails | Section 8 | Conflict |",
        "|---|---|---|---|---|",
    ]
    for check in CATALOGUE:
        rules = ", ".join(str(rule) for rule in check.rules) or "—"
        conflict = "conflict (409)" if check.conflict else "—"
        lines.append(f"| {check.code} | {check.description} | {check.remedy} | {rules} | {conflict} |")
    lines += ["", *_NOTES, ""]
    return "\n".join(lines)


_NOTES = [
    "Implemented differently:",
    "",
    "- Check 3: commands name accounts by id, so the account number is checked where a number is typed:",
    "  `AccountNumber.parse` and the account-number lookup raise LDG-004.",
    "- Check 18: the hold is registry-wide (tenant setting `on_hold`, set during a reconciliation or an",
    "  unresolved CARP inconsistency), not per block.",
    "- Check 20: the AEF row itself is written by the reporting context from the events; the ledger",
    "  guarantees the UTC execution time (LDG-076) and the event for every executed action.",
]
