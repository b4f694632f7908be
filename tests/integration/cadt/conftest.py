from tests.cadt_standin.fixtures import (
    cadt_node,  # noqa: F401 - fixture
    cadt_node_v2,  # noqa: F401 - fixture
)
