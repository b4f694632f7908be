"""The offline verifier stands alone: it imports nothing of the platform, only the standard library and
cryptography."""

import ast
import sys
from pathlib import Path

VERIFIER = Path(__file__).parents[3] / "verifier" / "registry_verify"


def test_the_verifier_imports_only_the_standard_library_and_cryptography() -> None:
    imported = set()
    for source in VERIFIER.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    foreign = imported - set(sys.stdlib_module_names) - {"cryptography", "registry_verify", "__future__"}
    assert imported, "no imports found: the verifier moved"
    assert foreign == set()
