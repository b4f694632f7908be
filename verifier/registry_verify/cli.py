"""registry-verify receipt.json --key registry.pub [--witness-key witness.pub ...]"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from registry_verify.check import Rejected, verify


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="registry-verify", description="Check a registry receipt offline.")
    parser.add_argument("receipt", type=Path, help="the receipt JSON file")
    parser.add_argument("--key", type=Path, required=True, help="file with the registry's C2SP verifier key")
    parser.add_argument(
        "--witness-key",
        type=Path,
        action="append",
        default=[],
        help="file with a witness's cosignature/v1 verifier key; its cosignature is then required (repeatable)",
    )
    args = parser.parse_args(argv)
    try:
        receipt = json.loads(args.receipt.read_text(encoding="utf-8"))
        witnesses = tuple(path.read_text(encoding="utf-8") for path in args.witness_key)
        checked = verify(receipt, args.key.read_text(encoding="utf-8"), witnesses)
    except (Rejected, ValueError, OSError) as error:
        print(f"REJECTED: {error}", file=sys.stderr)
        sys.exit(1)
    payload = json.dumps(checked.record.get("payload"), ensure_ascii=False, sort_keys=True)
    print(f"OK: record {checked.sequence} of {checked.origin} is in its log of {checked.tree_size} records")
    for path in args.witness_key:
        print(f"cosigned by the witness {path.read_text(encoding='utf-8').split('+', 1)[0]}")
    print(f"recorded at {checked.record.get('recorded_at')}: {payload}")
