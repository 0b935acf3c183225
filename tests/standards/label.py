#!/usr/bin/env python3
"""Labels the wild corpus by the official JSON Schema of each document's declared version.

    python3 tests/standards/label.py            # prints each file's schema verdict and first errors
    python3 tests/standards/label.py --check    # fails if manifest.json disagrees with the schemas

The verdicts come from the `jsonschema` Python package (Draft 2019-09, formats as annotations) and the
schemas vendored in `schemas/standards/`, read as YAML 1.2 would read the files (dates stay strings),
not from Meshport. ODPS `v0.9.0` is judged by the ODPS v1.0.0 schema, whose `apiVersion` lists it.
Semantic defects (`defects` in manifest.json) were confirmed by reading each file; this script does
not produce them. Needs `pyyaml` and `jsonschema` (e.g. the venv datacontract-cli brings).
"""
import json
import pathlib
import sys

import jsonschema
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
WILD = ROOT / "tests/standards/wild"
SCHEMAS = {
    "v3.0.0": "odcs-json-schema-v3.0.0.json",
    "v3.0.1": "odcs-json-schema-v3.0.1.json",
    "v3.0.2": "odcs-json-schema-v3.0.2.json",
    "v3.1.0": "odcs-json-schema-v3.1.0.json",
    "v1.0.0": "odps-json-schema-v1.0.0.json",
    "v0.9.0": "odps-json-schema-v1.0.0.json",
}


class Yaml12(yaml.SafeLoader):
    """PyYAML reads YAML 1.1; without the timestamp resolver dates stay strings, as in YAML 1.2."""


Yaml12.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def verdict(doc):
    """`valid`, `invalid` (with the errors) or `unknown-version`."""
    name = SCHEMAS.get(doc.get("apiVersion")) if isinstance(doc, dict) else None
    if name is None:
        return "unknown-version", []
    schema = json.loads((ROOT / "schemas/standards" / name).read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    # Draft 2019-09 makes `format` an annotation, so formats are not checked.
    validator = validator_class(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    found = ["/" + "/".join(map(str, e.absolute_path)) + ": " + e.message[:160] for e in errors]
    return ("invalid" if errors else "valid"), found


def main():
    manifest = json.loads((WILD / "manifest.json").read_text())
    disagreements = 0
    for entry in manifest["files"]:
        text = (WILD / entry["file"]).read_text()
        try:
            docs = list(yaml.load_all(text, Loader=Yaml12))
        except yaml.YAMLError as error:
            docs, got, errors = [], "yaml-error", [str(error).splitlines()[0]]
        else:
            got, errors = verdict(docs[0])
        if "--check" in sys.argv:
            if got != entry["schema"]:
                disagreements += 1
                print(f"{entry['file']}: manifest says {entry['schema']}, the schema says {got}: {errors[:2]}")
        else:
            print(f"{got:16} {entry['file']}")
            for error in errors[:3]:
                print(f"    {error}")
    if disagreements:
        sys.exit(1)


if __name__ == "__main__":
    main()
