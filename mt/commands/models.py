"""``mt models``: models known locally."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="list known models")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="VERB")
    listing = verbs.add_parser("list", help="embedded, MT_MODEL and cached hub models")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=run_list)


def run_list(args: argparse.Namespace) -> int:
    import json

    from mt.models import list_models

    models = list_models()
    if args.format == "json":
        print(json.dumps(models, ensure_ascii=False, indent=2))
    else:
        for entry in models:
            mark = "*" if entry["default"] else " "
            print(f"{mark} {entry['name']}\t{entry['source']}\t{entry['path']}")
    return 0
