#!/usr/bin/env python3
"""Runs Meshport, `datacontract lint` and `odcs validate` on every file of the wild corpus and counts
how often each agrees with the file's label (valid or not, in tests/standards/wild/manifest.json).
`bash tests/standards/compare.sh` installs the tools and runs it; by hand:

    python3 tests/standards/compare.py --meshport target/release/meshport \
        [--datacontract /tmp/venv/bin/datacontract] [--odcs /tmp/odcs/bin/odcs] [--json out.json]

A tool's verdict is its exit code: 0 is valid, anything else invalid. `datacontract lint` is
datacontract-cli 1.2.8 from PyPI (`pip install 'datacontract-cli==1.2.8'`), run with its defaults
(its bundled schemas); `odcs validate` is the command line of the `odcs` crate 0.9.1 (`cargo install
odcs --version 0.9.1`), the crate's own validation. HTTP goes to a closed loopback port, so the run
is hermetic: `datacontract lint` then fails a file whose business definitions it would fetch (it
resolves `authoritativeDefinitions` URLs), which this script counts, as it counts any exit code. Both
are measured for the README; CI checks Meshport against the labels in Rust (`cargo test -p
meshport-governance --test governance wild`).
"""
import argparse
import json
import os
import pathlib
import subprocess

WILD = pathlib.Path(__file__).resolve().parent / "wild"


def verdict(command, cwd):
    env = dict(os.environ, HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9", NO_PROXY="")
    try:
        run = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, env=env)
    except subprocess.TimeoutExpired:
        return "invalid", "timeout"
    tail = (run.stdout + run.stderr).strip().splitlines()[-3:]
    return ("valid" if run.returncode == 0 else "invalid"), " | ".join(tail)[:300]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--meshport", required=True)
    parser.add_argument("--datacontract")
    parser.add_argument("--odcs")
    parser.add_argument("--json", help="write every verdict to this file")
    args = parser.parse_args()
    tools = {"meshport": lambda f: [args.meshport, "validate", "--no-default-policies", f]}
    if args.datacontract:
        tools["datacontract lint"] = lambda f: [args.datacontract, "lint", f]
    if args.odcs:
        tools["odcs validate"] = lambda f: [args.odcs, "validate", f]
    manifest = json.loads((WILD / "manifest.json").read_text())["files"]
    rows = []
    for entry in manifest:
        label = "valid" if entry["valid"] else "invalid"
        row = {"file": entry["file"], "kind": entry["kind"], "label": label}
        for name, command in tools.items():
            row[name], row[name + " says"] = verdict(command(str(WILD / entry["file"])), WILD)
        rows.append(row)
    for scope, selected in [
        ("all files", rows),
        ("ODCS files", [r for r in rows if r["kind"] == "DataContract"]),
        ("ODPS files", [r for r in rows if r["kind"] == "DataProduct"]),
    ]:
        print(f"{scope} ({len(selected)}):")
        for name in tools:
            agree = sum(r[name] == r["label"] for r in selected)
            false_invalid = sum(r[name] == "invalid" and r["label"] == "valid" for r in selected)
            false_valid = sum(r[name] == "valid" and r["label"] == "invalid" for r in selected)
            print(
                f"  {name:<18} agrees on {agree}/{len(selected)}"
                f" (refuses {false_invalid} valid, passes {false_valid} invalid)"
            )
    print("disagreements:")
    for row in rows:
        for name in tools:
            if row[name] != row["label"]:
                print(f"  {name}: {row['file']}: label {row['label']}, says {row[name]}: {row[name + ' says']}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
