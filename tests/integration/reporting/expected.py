"""The AEF tables of the worked example, written out by hand: H is the host Party, B the buyer, T the third."""

from __future__ import annotations

from typing import Any

GHG = ["GHG", "AR5", "NA"]
CA = "CA0001"


def itmo(h: str, serial: int) -> str:
    return f"{CA}-{h}01-{h}-{serial}-2023"


def unit(h: str, reference: str, first: int, last: int) -> list[Any]:
    return [
        CA, reference, h, f"{h}01", itmo(h, first), itmo(h, last), "NA", "NA", "NA",
        *GHG, last - first + 1, "NA", "Emission reductions", 2023,
    ]  # fmt: skip


def row(
    when: str, kind: str, subtype: str, cells: list[Any], parties: tuple[Any, Any, Any, Any, Any], number: str
) -> list[Any]:
    transferring, acquiring, oimp, using, ndc_year = parties
    return [
        when,
        kind,
        subtype,
        *cells,
        transferring,
        acquiring,
        oimp,
        using,
        "NA",
        ndc_year,
        None,
        f"Transaction {number}",
    ]


def host_tables(h: str, b: str, year: int) -> dict[str, list[list[Any]]]:
    ndc, oimp = f"{h}-A-1", f"{h}-A-2"
    no = ("NA", "NA", "NA", "NA", "NA")
    if year == 2024:
        authorizations = [
            [ndc, "2024-04-01", CA, 1, 800, *GHG, "Energy generation", "Cookstoves", "NDC", "NA", "NA", "NA",
             "2021 - 2030", "Reported annually", None, "NA", "NA"],
            [oimp, "2024-05-01", CA, 1, "NA", *GHG, "Energy generation", "Cookstoves", "OIMP", "NA", "NA", "OIMP",
             "2021 - 2030", "Reported annually", None, "Use or Cancellation", "NA"],
        ]  # fmt: skip
        actions = [
            row("2024-04-02T10:00:00Z", "Authorization", "NA", unit(h, ndc, 401, 1000), no, f"{h}-T-00000003"),
            row("2024-05-02T10:00:00Z", "Authorization", "NA", unit(h, oimp, 1, 400), no, f"{h}-T-00000004"),
            row(
                "2024-06-02T10:00:00Z", "First transfer", "First transfer to another Party", unit(h, ndc, 901, 1000),
                ("NA", b, "NA", "NA", "NA"), f"{h}-T-00000006",
            ),
        ]  # fmt: skip
        holdings = [unit(h, oimp, 1, 400), unit(h, ndc, 401, 900)]
        entities = [["2024-02-01", "Stoves Ltd", h, "REG-42", CA, "Cookstoves only", "NA", "NA"]]
    else:
        authorizations, entities = [], []
        used = ("NA", "NA", "CORSIA", h, "NA")
        actions = [
            row(
                "2025-01-01T00:30:00Z", "First transfer", "Use or cancellation", unit(h, oimp, 101, 400), no,
                f"{h}-T-00000007",
            ),
            row(
                "2025-01-01T00:30:00Z", "Use", "NA", unit(h, oimp, 101, 400), used, f"{h}-T-00000007"
            ),
            row(
                "2025-01-15T10:00:00Z", "Cancellation", "Other cancellations", unit(h, oimp, 51, 100),
                ("NA", "NA", "Voluntary claims", h, "NA"), f"{h}-T-00000008",
            ),
            row(
                "2025-01-15T10:00:00Z", "First transfer", "Use or cancellation", unit(h, oimp, 51, 100), no,
                f"{h}-T-00000008",
            ),
            row(
                "2025-02-01T10:00:00Z", "Voluntary Cancellation", "NA", unit(h, ndc, 871, 900),
                ("NA", "NA", "NA", h, "NA"), f"{h}-T-00000009",
            ),
            row(
                "2025-03-01T10:00:00Z", "Cancellation", "Voluntary cancellation to deliver OMGE",
                unit(h, ndc, 851, 870), ("NA", "NA", "NA", h, "NA"), f"{h}-T-00000010",
            ),
            row(
                "2025-04-01T10:00:00Z", "Voluntary Cancellation", "NA",
                unit(h, ndc, 841, 850), ("NA", "NA", "NA", h, "NA"), f"{h}-T-00000011",
            ),
        ]  # fmt: skip
        holdings = [unit(h, oimp, 1, 50), unit(h, ndc, 401, 840)]
    return {
        "Table 2 Authorizations": authorizations,
        "Table 3 Actions": actions,
        "Table 4 Holdings": holdings,
        "Table 5 Auth. entities": entities,
    }


def buyer_tables(h: str, b: str, third: str, year: int) -> dict[str, list[list[Any]]]:
    ndc = f"{h}-A-1"
    if year == 2024:
        actions = [
            row(
                "2024-06-02T11:00:00Z", "Acquisition", "NA", unit(h, ndc, 901, 1000), (h, "NA", "NA", "NA", "NA"),
                f"{b}-T-00000001",
            ),
            row(
                "2024-12-31T23:59:00Z", "Use", "NA", unit(h, ndc, 971, 1000),
                ("NA", "NA", "NA", b, 2024), f"{b}-T-00000002",
            ),
        ]  # fmt: skip
        holdings = [unit(h, ndc, 901, 970)]
    else:
        actions = [
            row(
                "2025-05-02T10:00:00Z", "Transfer", "NA", unit(h, ndc, 931, 970),
                ("NA", third, "NA", "NA", "NA"), f"{b}-T-00000003",
            ),
            row(
                "2025-06-01T10:00:00Z", "Use", "NA", unit(h, ndc, 906, 930),
                ("NA", "NA", "NA", b, 2025), f"{b}-T-00000004",
            ),
        ]  # fmt: skip
        holdings = [unit(h, ndc, 901, 905)]
    return {
        "Table 2 Authorizations": [],
        "Table 3 Actions": actions,
        "Table 4 Holdings": holdings,
        "Table 5 Auth. entities": [],
    }
