"""docs/architecture.md draws the contexts and their arrows once; the import contracts and the code must agree."""

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import grimp

ROOT = Path(__file__).resolve().parents[2]
ROOT_PACKAGES = ("gateway", "services", "tenants")
Arrow = tuple[str, str]


def diagram(text: str) -> tuple[dict[str, str], set[Arrow]]:
    """The Mermaid flowchart's nodes (id to module) and arrows (module to module)."""
    block = re.search(r"```mermaid\n(.*?)```", text, re.S)
    assert block is not None, "docs/architecture.md has no Mermaid diagram"
    nodes = dict(re.findall(r'^\s*(\w+)\["([\w.]+)"\]\s*$', block.group(1), re.M))
    arrows = re.findall(r"^\s*(\w+)\s*-->(?:\|[^|]*\|)?\s*(\w+)\s*$", block.group(1), re.M)
    return nodes, {(nodes[a], nodes[b]) for a, b in arrows}


def contracts() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"
    ]
    return found


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def forbidden_arrows(rules: list[dict[str, Any]], arrows: Iterable[Arrow]) -> list[tuple[Arrow, str]]:
    """The arrows a contract forbids: an arrow forbids nothing of a package below its end (an arrow to the
    ledger may be one to its public API, where a contract forbids its adapters)."""
    broken = []
    for source, target in arrows:
        for rule in rules:
            if rule["type"] == "forbidden":
                sources = any(within(source, s) for s in rule["source_modules"])
                targets = any(within(target, f) for f in rule["forbidden_modules"])
                if sources and targets:
                    broken.append(((source, target), rule["name"]))
            elif rule["type"] == "independence":
                modules = rule["modules"]
                ignored = [
                    tuple(part.strip().removesuffix(".**") for part in i.split("->"))
                    for i in rule.get("ignore_imports", [])
                ]
                if (
                    any(within(source, m) for m in modules)
                    and any(within(target, m) for m in modules)
                    and not any(within(i_source, source) and within(i_target, target) for i_source, i_target in ignored)
                ):
                    broken.append(((source, target), rule["name"]))
    return broken


def contract_modules(rules: list[dict[str, Any]]) -> set[str]:
    names = set()
    for rule in rules:
        for key in ("source_modules", "forbidden_modules", "modules"):
            names |= {m for m in rule.get(key, []) if m.split(".")[0] in ROOT_PACKAGES}
    return names


def drawn(module: str, nodes: Iterable[str]) -> bool:
    """A contract's module is drawn as a node, inside one, or as the root package of some."""
    return any(within(module, node) or within(node, module) for node in nodes)


def code_arrows(nodes: Iterable[str]) -> set[Arrow]:
    graph = grimp.build_graph(*ROOT_PACKAGES)
    by_length = sorted(nodes, key=len, reverse=True)

    def node_of(module: str) -> str | None:
        return next((node for node in by_length if within(module, node)), None)

    arrows = set()
    for module in graph.modules:
        source = node_of(module)
        for imported in graph.find_modules_directly_imported_by(module):
            target = node_of(imported)
            if source and target and source != target:
                arrows.add((source, target))
    return arrows


DOC = (ROOT / "docs" / "architecture.md").read_text()


def test_no_arrow_of_the_diagram_is_forbidden_by_a_contract() -> None:
    _, arrows = diagram(DOC)
    assert forbidden_arrows(contracts(), arrows) == []


def test_every_context_in_a_contract_is_in_the_diagram() -> None:
    nodes, _ = diagram(DOC)
    assert sorted(m for m in contract_modules(contracts()) if not drawn(m, nodes.values())) == []


def test_the_diagram_draws_the_arrows_the_code_has_and_no_others() -> None:
    nodes, arrows = diagram(DOC)
    assert code_arrows(nodes.values()) == arrows


def test_an_arrow_a_contract_forbids_or_a_missing_context_is_caught() -> None:
    nodes, arrows = diagram(DOC)
    rules = contracts()
    assert forbidden_arrows(rules, arrows | {("services.events", "services.ledger")})
    assert forbidden_arrows(rules, arrows | {("services.ledger", "services.identity")})
    assert not forbidden_arrows(rules, {("services.interregistry", "services.ledger")})
    without_cadt = [node for node in nodes.values() if node != "services.cadt"]
    assert not all(drawn(m, without_cadt) for m in contract_modules(rules))


def test_the_gateway_imports_no_adapter_of_any_context_without_exception() -> None:
    rules = [r for r in contracts() if r["type"] == "forbidden" and r["source_modules"] == ["gateway"]]
    forbidden = {m for r in rules for m in r["forbidden_modules"]}
    contexts = {p.name for p in (ROOT / "services").iterdir() if (p / "adapters").is_dir()}
    assert {f"services.{c}.adapters" for c in contexts} <= forbidden
    assert [r["name"] for r in rules if r.get("ignore_imports")] == []


def test_every_context_builds_its_adapters_in_its_bootstrap_module() -> None:
    contexts = [p for p in (ROOT / "services").iterdir() if (p / "adapters").is_dir()]
    assert len(contexts) >= 7
    assert sorted(p.name for p in contexts if not (p / "bootstrap.py").is_file()) == []


def test_the_composition_root_is_one_package_of_the_gateway() -> None:
    spread = ["platform.py", "bus.py", "consumers.py", "witnesses.py", "cadt/wiring.py", "reporting/context.py"]
    assert [m for m in spread if (ROOT / "gateway" / m).exists()] == []
    assert (ROOT / "gateway" / "bootstrap" / "__init__.py").is_file()
