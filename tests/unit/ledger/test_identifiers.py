import pytest

from services.ledger.domain import identifiers
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.identifiers import AccountNumber, ItmoId


def test_an_itmo_identifier_reads_approach_registry_party_serial_vintage() -> None:
    unit = ItmoId.parse("CA0001-GHA01-GHA-1000001-2023")

    assert unit == ItmoId("CA0001", "GHA01", "GHA", 1_000_001, 2023)
    assert str(unit) == "CA0001-GHA01-GHA-1000001-2023"


@pytest.mark.parametrize(
    "text",
    [
        "CA001-GHA01-GHA-1-2023",
        "CA0001-GH01-GHA-1-2023",
        "CA0001-GHA01-gha-1-2023",
        "CA0001-GHA01-GHA-0-2023",
        "CA0001-GHA01-GHA-01-2023",
        "CA0001-GHA01-GHA-1-23",
        "CA0001-GHA01-GHA-1-2023-",
    ],
)
def test_malformed_itmo_identifiers_are_refused(text: str) -> None:
    with pytest.raises(CheckFailed) as failure:
        ItmoId.parse(text)
    assert failure.value.code == "LDG-023"


def test_an_account_number_carries_two_check_digits() -> None:
    number = AccountNumber("GHA", AccountType.PARTY_HOLDING.code, 42)

    text = str(number)

    assert text.startswith("GHA-100-000042-")
    assert AccountNumber.parse(text) == number
    body = "".join(str(int(c, 36)) for c in "GHA100000042")
    assert int(body + text[-2:]) % 97 == 1, "ISO 7064 MOD 97-10, as in an IBAN"


@pytest.mark.parametrize(
    "mistake",
    [
        lambda t: t[:-1] + str((int(t[-1]) + 1) % 10),
        lambda t: t.replace("000042", "000024"),
        lambda t: t.replace("GHA", "GAH"),
        lambda t: t.replace("-100-", "-120-"),
        lambda t: t.replace("000042", "0000042"),
        lambda t: t.lower(),
        lambda t: t.replace("-", ""),
    ],
)
def test_a_mistyped_account_number_is_refused(mistake: object) -> None:
    text = str(AccountNumber("GHA", 100, 42))

    with pytest.raises(CheckFailed) as failure:
        AccountNumber.parse(mistake(text))  # type: ignore[operator]
    assert failure.value.code == "LDG-004"


def test_every_account_type_has_its_own_three_digit_code() -> None:
    codes = [account_type.code for account_type in AccountType]

    assert len(set(codes)) == len(codes)
    assert all(100 <= code <= 999 for code in codes)


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (identifiers.approach_id, "CA0001", "CA-0001"),
        (identifiers.party_code, "CHE", "CH"),
        (identifiers.registry_id, "CHE01", "CHE1"),
    ],
)
def test_identifier_parts_follow_the_nomenclature(check: object, good: str, bad: str) -> None:
    assert check(good) == good  # type: ignore[operator]
    with pytest.raises(CheckFailed) as failure:
        check(bad)  # type: ignore[operator]
    assert failure.value.code == "LDG-023"


@pytest.mark.parametrize("value", [999, 10_000, "2023", 2023.0, True])
def test_a_vintage_is_a_four_digit_year(value: object) -> None:
    with pytest.raises(CheckFailed) as failure:
        identifiers.vintage(value)
    assert failure.value.code == "LDG-055"
