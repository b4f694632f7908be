from tests.cadt_standin.fixtures import cadt_node  # noqa: F401 - fixture
