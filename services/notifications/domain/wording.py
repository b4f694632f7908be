"""A notice in words, in one of the registries' languages (English, French, Spanish).

The subject says what happened and to which account; the body repeats it with the facts (transaction,
quantity, when a pending movement executes) and, for a pending movement, the link to cancel it.
"""

from __future__ import annotations

from datetime import datetime

from services.notifications.domain.notices import Email, Happening, Notice, Recipient

LANGUAGES = ("en", "fr", "es")
DEFAULT_LANGUAGE = "en"

HEADLINES: dict[str, dict[Happening, str]] = {
    "en": {
        Happening.PROPOSED: "A movement out of account {account} was proposed and waits for approval",
        Happening.DELAYED: "A movement out of account {account} will execute at {executes_at} unless cancelled",
        Happening.HELD: "A movement out of account {account} is held for the registry's release",
        Happening.EXECUTED: "A movement out of account {account} was executed",
        Happening.CANCELLED: "A movement out of account {account} was cancelled",
        Happening.REJECTED: "A movement out of account {account} was rejected",
        Happening.TERMINATED: "A movement out of account {account} was terminated",
        Happening.TRUSTED_PROPOSED: "An addition to the trusted list of account {account} was proposed",
        Happening.TRUSTED_APPROVED: "An addition to the trusted list of account {account} is approved",
        Happening.TRUSTED_REMOVED: "An account was removed from the trusted list of account {account}",
        Happening.FROZEN: "Account {account} is frozen",
        Happening.UNFROZEN: "Account {account} is no longer frozen",
        Happening.NEW_DEVICE: "A sign-in to {registry} from a new device",
    },
    "fr": {
        Happening.PROPOSED: "Un mouvement au départ du compte {account} a été proposé et attend son approbation",
        Happening.DELAYED: "Un mouvement au départ du compte {account} sera exécuté le {executes_at} sauf annulation",
        Happening.HELD: "Un mouvement au départ du compte {account} est retenu jusqu'à sa libération par le registre",
        Happening.EXECUTED: "Un mouvement au départ du compte {account} a été exécuté",
        Happening.CANCELLED: "Un mouvement au départ du compte {account} a été annulé",
        Happening.REJECTED: "Un mouvement au départ du compte {account} a été refusé",
        Happening.TERMINATED: "Un mouvement au départ du compte {account} a été interrompu",
        Happening.TRUSTED_PROPOSED: "Un ajout à la liste de confiance du compte {account} a été proposé",
        Happening.TRUSTED_APPROVED: "Un ajout à la liste de confiance du compte {account} est approuvé",
        Happening.TRUSTED_REMOVED: "Un compte a été retiré de la liste de confiance du compte {account}",
        Happening.FROZEN: "Le compte {account} est gelé",
        Happening.UNFROZEN: "Le compte {account} n'est plus gelé",
        Happening.NEW_DEVICE: "Une connexion à {registry} depuis un nouvel appareil",
    },
    "es": {
        Happening.PROPOSED: "Se propuso un movimiento desde la cuenta {account}, que espera su aprobación",
        Happening.DELAYED: "Un movimiento desde la cuenta {account} se ejecutará el {executes_at} salvo cancelación",
        Happening.HELD: "Un movimiento desde la cuenta {account} queda retenido hasta que el registro lo libere",
        Happening.EXECUTED: "Se ejecutó un movimiento desde la cuenta {account}",
        Happening.CANCELLED: "Se canceló un movimiento desde la cuenta {account}",
        Happening.REJECTED: "Se rechazó un movimiento desde la cuenta {account}",
        Happening.TERMINATED: "Se interrumpió un movimiento desde la cuenta {account}",
        Happening.TRUSTED_PROPOSED: "Se propuso añadir una cuenta a la lista de confianza de la cuenta {account}",
        Happening.TRUSTED_APPROVED: "Se aprobó añadir una cuenta a la lista de confianza de la cuenta {account}",
        Happening.TRUSTED_REMOVED: "Se retiró una cuenta de la lista de confianza de la cuenta {account}",
        Happening.FROZEN: "La cuenta {account} está congelada",
        Happening.UNFROZEN: "La cuenta {account} ya no está congelada",
        Happening.NEW_DEVICE: "Un inicio de sesión en {registry} desde un dispositivo nuevo",
    },
}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "greeting": "Hello {name},",
        "registry": "Registry",
        "account": "Account",
        "transaction": "Transaction",
        "type": "Type",
        "quantity": "Quantity",
        "executes_at": "Executes at",
        "active_from": "Active from",
        "counterpart": "Trusted account",
        "reason": "Reason",
        "device": "Device",
        "at": "When",
        "cancel": "If you did not expect this movement, cancel it at once: {link}",
        "not_you": "If this was not you, change your password and tell your registry administrator at once.",
        "footer": "This message was sent by the registry to the representatives of the account holder.",
    },
    "fr": {
        "greeting": "Bonjour {name},",
        "registry": "Registre",
        "account": "Compte",
        "transaction": "Transaction",
        "type": "Type",
        "quantity": "Quantité",
        "executes_at": "Exécution le",
        "active_from": "Active à partir du",
        "counterpart": "Compte de confiance",
        "reason": "Motif",
        "device": "Appareil",
        "at": "Quand",
        "cancel": "Si vous n'attendiez pas ce mouvement, annulez-le sans attendre : {link}",
        "not_you": "Si ce n'était pas vous, changez votre mot de passe et prévenez l'administrateur du registre.",
        "footer": "Ce message est envoyé par le registre aux représentants du titulaire du compte.",
    },
    "es": {
        "greeting": "Hola {name}:",
        "registry": "Registro",
        "account": "Cuenta",
        "transaction": "Transacción",
        "type": "Tipo",
        "quantity": "Cantidad",
        "executes_at": "Se ejecuta el",
        "active_from": "Activa desde",
        "counterpart": "Cuenta de confianza",
        "reason": "Motivo",
        "device": "Dispositivo",
        "at": "Cuándo",
        "cancel": "Si no esperaba este movimiento, cancélelo de inmediato: {link}",
        "not_you": "Si no fue usted, cambie su contraseña y avise al administrador del registro de inmediato.",
        "footer": "Este mensaje lo envía el registro a los representantes del titular de la cuenta.",
    },
}

# The ledger's transaction types as people name them; a type not listed is shown as the ledger names it.
TRANSACTION_TYPES: dict[str, dict[str, str]] = {
    "en": {
        "first_transfer": "first transfer",
        "transfer_domestic": "transfer within the registry",
        "transfer_international": "transfer to another registry",
        "use_ndc": "use towards the NDC",
        "use_oimp": "use for other international mitigation purposes",
        "cancellation_oimp": "cancellation for other international mitigation purposes",
        "voluntary_cancellation": "voluntary cancellation",
        "omge_cancellation": "cancellation for overall mitigation (OMGE)",
        "retirement": "retirement",
    },
    "fr": {
        "first_transfer": "premier transfert",
        "transfer_domestic": "transfert au sein du registre",
        "transfer_international": "transfert vers un autre registre",
        "use_ndc": "utilisation au titre de la CDN",
        "use_oimp": "utilisation à d'autres fins d'atténuation internationales",
        "cancellation_oimp": "annulation à d'autres fins d'atténuation internationales",
        "voluntary_cancellation": "annulation volontaire",
        "omge_cancellation": "annulation pour l'atténuation globale (OMGE)",
        "retirement": "retrait",
    },
    "es": {
        "first_transfer": "primera transferencia",
        "transfer_domestic": "transferencia dentro del registro",
        "transfer_international": "transferencia a otro registro",
        "use_ndc": "uso para la CDN",
        "use_oimp": "uso para otros fines de mitigación internacional",
        "cancellation_oimp": "cancelación para otros fines de mitigación internacional",
        "voluntary_cancellation": "cancelación voluntaria",
        "omge_cancellation": "cancelación para la mitigación global (OMGE)",
        "retirement": "retiro",
    },
}

FACTS = ("registry", "account", "transaction", "type", "quantity", "executes_at", "active_from", "counterpart")


def language_or_default(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def email_for(notice: Notice, recipient: Recipient, language: str) -> Email:
    language = language_or_default(language)
    words = LABELS[language]
    headline = HEADLINES[language][notice.happening].format(
        account=notice.account_number or "", registry=notice.registry, executes_at=_time(notice.executes_at)
    )
    lines = [words["greeting"].format(name=recipient.name), "", headline + ".", ""]
    lines += [f"{words[key]}: {value}" for key, value in _facts(notice, language)]
    if notice.cancel_link:
        lines += ["", words["cancel"].format(link=notice.cancel_link)]
    if notice.happening is Happening.NEW_DEVICE:
        lines += ["", words["not_you"]]
    lines += ["", "-- ", words["footer"]]
    return Email(recipient.email, headline, "\n".join(lines) + "\n")


def _facts(notice: Notice, language: str) -> list[tuple[str, str]]:
    kind = notice.transaction_type
    values = {
        "registry": notice.registry,
        "account": notice.account_number,
        "transaction": notice.transaction_number,
        "type": TRANSACTION_TYPES[language].get(kind, kind) if kind else None,
        "quantity": None if notice.quantity is None else f"{notice.quantity:,}",
        "executes_at": _time(notice.executes_at) if notice.executes_at else None,
        "active_from": _time(notice.active_from) if notice.active_from else None,
        "counterpart": notice.counterpart,
    }
    facts = [(key, value) for key in FACTS if (value := values[key])]
    facts += [("reason", notice.reason)] if notice.reason else []
    facts += [("device", notice.device)] if notice.device else []
    return [*facts, ("at", _time(notice.at))]


def _time(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")
