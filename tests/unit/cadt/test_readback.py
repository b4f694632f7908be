"""A project update on CAD Trust v1 carries the node's child row ids, as the node never removes a row."""

from __future__ import annotations

from services.cadt.domain.readback import with_node_ids

OLD_LABEL = {"id": "l-1", "label": "Authorization v1", "labelType": "Letter of Authorization", "orgUid": "o"}
HOST = {"id": "p-1", "country": "Ghana", "geographicIdentifier": "Ghana"}


def test_a_changed_row_goes_on_the_id_of_the_row_it_replaces() -> None:
    wanted = {"projectName": "P", "labels": [{"label": "Authorization v2", "labelType": "Letter of Authorization"}]}
    update = with_node_ids(wanted, {"labels": [OLD_LABEL]})
    assert update["labels"] == [{"id": "l-1", "label": "Authorization v2", "labelType": "Letter of Authorization"}]
    assert update["projectName"] == "P"


def test_rows_the_node_holds_as_they_are_keep_their_own_ids_and_new_rows_are_added() -> None:
    accra = {"id": "p-2", "country": "Ghana", "geographicIdentifier": "Accra"}
    wanted = [
        {"country": "Ghana", "geographicIdentifier": "Kumasi"},
        {"country": "Ghana", "geographicIdentifier": "Ghana"},
        {"country": "Ghana", "geographicIdentifier": "Tamale"},
    ]
    update = with_node_ids({"projectLocations": wanted}, {"projectLocations": [accra, HOST]})
    assert [row.get("id") for row in update["projectLocations"]] == ["p-2", "p-1", None]


def test_issuances_keep_the_ids_the_publisher_learned() -> None:
    wanted = {"issuances": [{"startDate": "2024-01-01", "endDate": "2024-12-31"}]}
    held = {"issuances": [{"id": "i-copy", "startDate": "2023-01-01", "endDate": "2023-12-31"}]}
    assert with_node_ids(wanted, held)["issuances"] == wanted["issuances"]


def test_a_row_left_over_when_a_table_shrinks_is_rewritten_as_a_wanted_row() -> None:
    held = {"coBenefits": [{"id": "c-1", "cobenefit": "SDG 13"}, {"id": "c-2", "cobenefit": "SDG 1"}]}
    update = with_node_ids({"coBenefits": [{"cobenefit": "SDG 1"}]}, held)
    assert update["coBenefits"] == [{"cobenefit": "SDG 1", "id": "c-2"}, {"cobenefit": "SDG 1", "id": "c-1"}]
