"""Identifier formats: cooperative approach, Party, registry, vintage, ITMO id, account number."""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Self

from services.ledger.domain import catalogue
from services.ledger.domain.errors import failed

_APPROACH = re.compile(r"CA\d{4}")
_PARTY = re.compile(r"[A-Z]{3}")
_REGISTRY = re.compile(r"[A-Z]{3}\d{2}")
_ITMO = re.compile(r"(CA\d{4})-([A-Z]{3}\d{2})-([A-Z]{3})-([1-9]\d*)-(\d{4})")
_ACCOUNT_NUMBER = re.compile(r"([A-Z]{3})-(\d{3})-(\d{6,})-(\d{2})")


def _matching(pattern: re.Pattern[str], value: object, what: str, field: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise failed(catalogue.IDENTIFIER_FORMAT, f"{value!r} is not a valid {what}.", field)
    return value


def approach_id(value: object, field: str = "cooperative_approach_id") -> str:
    return _matching(_APPROACH, value, "cooperative approach id (CANNNN)", field)


def party_code(value: object, field: str = "party") -> str:
    return _matching(_PARTY, value, "Party code (ISO 3166-1 alpha-3)", field)


def registry_id(value: object, field: str = "registry_id") -> str:
    return _matching(_REGISTRY, value, "Party registry id (alpha-3 and two digits)", field)


def vintage(value: object, field: str = "vintage") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 9999:
        raise failed(catalogue.VINTAGE_FORMAT, f"{value!r} is not a four-digit year.", field)
    return value


@dataclass(frozen=True)
class ItmoId:
    """`<cooperative approach>-<registry>-<first transferring Party>-<serial>-<vintage>`."""

    cooperative_approach_id: str
    registry_id: str
    first_transferring_party: str
    serial: int
    vintage: int

    def __str__(self) -> str:
        return (
            f"{self.cooperative_approach_id}-{self.registry_id}-"
            f"{self.first_transferring_party}-{self.serial}-{self.vintage}"
        )

    @classmethod
    def parse(cls, text: str, field: str = "itmo_id") -> Self:
        match = _ITMO.fullmatch(text)
        if match is None:
            raise failed(catalogue.IDENTIFIER_FORMAT, f"{text!r} is not an ITMO identifier.", field)
        approach, registry, party, serial, year = match.groups()
        return cls(approach, registry, party, int(serial), int(year))


@lru_cache(maxsize=4096)  # account numbers are formatted again at every read and write
def _mod97_check(body: str) -> str:
    digits = "".join(str(int(char, 36)) for char in body)
    return f"{98 - int(digits + '00') % 97:02d}"


@dataclass(frozen=True)
class AccountNumber:
    """`PARTY-TYPE-NUMBER-CHECK`, e.g. `GHA-100-000042-47`.

    TYPE is the three-digit account type code, NUMBER the tenant's account counter (at least six
    digits) and CHECK two ISO 7064 MOD 97-10 check digits over PARTY, TYPE and NUMBER, as in an IBAN.
    """

    party: str
    type_code: int
    sequence: int

    @property
    def check_digits(self) -> str:
        return _mod97_check(f"{self.party}{self.type_code:03d}{self.sequence:06d}")

    def __str__(self) -> str:
        return f"{self.party}-{self.type_code:03d}-{self.sequence:06d}-{self.check_digits}"

    @classmethod
    def parse(cls, text: str, field: str = "account_number") -> Self:
        match = _ACCOUNT_NUMBER.fullmatch(text)
        if match is None:
            raise failed(catalogue.ACCOUNT_NUMBER_VALID, f"{text!r} is not an account number.", field)
        party, code, sequence, check = match.groups()
        number = cls(party, int(code), int(sequence))
        if number.check_digits != check or str(number) != text:
            raise failed(catalogue.ACCOUNT_NUMBER_VALID, f"The check digits of {text!r} are wrong.", field)
        return number
