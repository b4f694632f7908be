from uuid import UUID

from services.shared.ids import new_id


def test_ids_are_version_7_uuids_in_time_order() -> None:
    ids = [new_id() for _ in range(100)]

    assert all(type(i) is UUID and i.version == 7 for i in ids)
    assert len(set(ids)) == 100
    assert [i.bytes[:6] for i in ids] == sorted(i.bytes[:6] for i in ids)
