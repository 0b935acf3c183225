#!/usr/bin/env python3
"""Meshport's quality checks against `datacontract test`, on a running platform's real data.

First, as the demo owner, it provisions a probe product through the platform (the demo orders
request with the contract of fixtures/probe-contract.yaml: every library metric, every operator,
both units, sql rules with placeholders, failing SQL) and loads fixtures/probe-rows.sql into the
tables the platform built. Then, for every product the platform provisioned on PostgreSQL (the
demo's and the probe), this asks the platform to run the
product's checks (POST /v1/products/{id}/quality-runs), fetches each port's contract as the platform
publishes it (with the `postgres` server entry the adapter wrote), and hands both to
compare_datacontract.py, which runs datacontract-cli on the same contract and the same tables and
compares the outcome of every rule both tools execute.

    MESHPORT_COMPARE_TOKEN=<a steward's token> MESHPORT_COMPARE_OWNER_TOKEN=<an owner of orders> \\
    MESHPORT_COMPARE_DATABASE=postgres://postgres@127.0.0.1:5432/postgres \\
    DATACONTRACT_POSTGRES_USERNAME=postgres DATACONTRACT_POSTGRES_PASSWORD=unused \\
    python platform_compare.py --platform http://127.0.0.1:8080 --out DIR

The token comes from the environment, never argv. Exit 0 when the tools agree on every rule both
run, 1 on a disagreement, 2 when the comparison cannot be made (no provisioned product, a platform
error).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import yaml
from psycopg import sql

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE.parents[1] / "crates/meshport-platform/demo/orders-request.yaml"

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare_datacontract  # noqa: E402


def call(base: str, token: str, method: str, path: str, body: object = None, key: str | None = None) -> tuple[int, object]:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(
        base.rstrip("/") + path,
        method=method,
        headers=headers,
        data=json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None),
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def probe_provision(base: str, owner: str, database: str) -> str:
    """Provisions the probe product through the platform and loads its rows; returns its id."""
    request = yaml.safe_load(TEMPLATE.read_text())
    probe = yaml.safe_load((HERE / "fixtures/probe-contract.yaml").read_text())
    product_id, contract_id = str(uuid.uuid4()), str(uuid.uuid4())
    product = request["product"]
    product.update(id=product_id, name="Quality Probe")
    product["outputPorts"] = [dict(product["outputPorts"][0], name="probe", contractId=contract_id)]
    contract = request["contracts"][0]
    contract.update(id=contract_id, name="probe", schema=probe["schema"])
    contract.pop("servers", None)
    # The demo's SLAs name order_lines columns; the probe keeps those without an element.
    contract["slaProperties"] = [s for s in contract.get("slaProperties", []) if "element" not in s]
    status, job = call(base, owner, "POST", "/v1/provisioning-requests", request, str(uuid.uuid4()))
    if status != 202:
        raise SystemExit(f"the probe request was refused: {status} {json.dumps(job, indent=2)}")
    for _ in range(600):
        status, job = call(base, owner, "GET", f"/v1/provisioning-requests/{job['id']}")
        if job["state"] in ("succeeded", "failed", "cancelled"):
            break
        time.sleep(0.1)
    if job["state"] != "succeeded":
        raise SystemExit(f"the probe request ended {job['state']}: {json.dumps(job, indent=2)}")
    status, published = call(base, owner, "GET", f"/v1/contracts/{contract_id}")
    schema = next(s["schema"] for s in published["servers"] if s.get("type") == "postgres")
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        conn.execute((HERE / "fixtures/probe-rows.sql").read_text())
    print(f"provisioned the probe product {product_id} (schema {schema}) and loaded its rows")
    return product_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--platform", required=True, help="the platform's base URL")
    parser.add_argument("--out", required=True, help="a folder for the contracts, runs and summaries")
    args = parser.parse_args(argv)
    token = os.environ.get("MESHPORT_COMPARE_TOKEN")
    if not token:
        print("set MESHPORT_COMPARE_TOKEN to a steward's token", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    owner, database = os.environ.get("MESHPORT_COMPARE_OWNER_TOKEN"), os.environ.get("MESHPORT_COMPARE_DATABASE")
    if owner and database:
        probe_provision(args.platform, owner, database)
    else:
        print("MESHPORT_COMPARE_OWNER_TOKEN or MESHPORT_COMPARE_DATABASE unset: no probe product", file=sys.stderr)

    status, page = call(args.platform, token, "GET", "/v1/products?limit=1000")
    if status != 200:
        print(f"listing products: {status} {page}", file=sys.stderr)
        return 2
    compared, worst = 0, 0
    totals = {"agreed": 0, "disagreed": 0, "onlyMeshport": 0, "onlyDatacontract": 0}
    for entry in page["items"]:
        product_id = entry["id"]
        status, run = call(args.platform, token, "POST", f"/v1/products/{product_id}/quality-runs")
        if status == 409:
            continue  # not provisioned here: no data to compare on
        if status != 201:
            print(f"{entry['name']}: quality run answered {status} {run}", file=sys.stderr)
            return 2
        status, product = call(args.platform, token, "GET", f"/v1/products/{product_id}")
        if status != 200:
            print(f"{entry['name']}: {status} {product}", file=sys.stderr)
            return 2
        for port in product.get("outputPorts", []):
            # The contract's rules; the schema checks a run adds are not rules datacontract lists.
            results = [r for r in run["results"] if r["port"] == port["name"] and r.get("type") != "schema"]
            skipped = [r for r in run.get("notExecutable", []) if r["port"] == port["name"]]
            if not results and not skipped:
                continue
            status, contract = call(args.platform, token, "GET", f"/v1/contracts/{port['contractId']}")
            if status != 200:
                print(f"{entry['name']}/{port['name']}: {status} {contract}", file=sys.stderr)
                return 2
            servers = [s for s in contract.get("servers", []) if s.get("type") == "postgres"]
            if not servers:
                print(f"{entry['name']}/{port['name']}: the contract names no postgres server", file=sys.stderr)
                return 2
            stem = out / f"{product_id}-{port['name']}"
            contract_file = stem.with_suffix(".contract.json")
            run_file = stem.with_suffix(".meshport.json")
            summary_file = stem.with_suffix(".summary.json")
            contract_file.write_text(json.dumps(contract, indent=2))
            run_file.write_text(json.dumps({"results": results, "notExecutable": skipped}, indent=2))
            print(f"\n== {entry['name']} ({entry['domain']}), port {port['name']}, server {servers[0]['server']}")
            code = compare_datacontract.main([
                "--contract", str(contract_file),
                "--server", servers[0]["server"],
                "--meshport", str(run_file),
                "--json-out", str(summary_file),
            ])
            if code == 2:
                return 2
            worst = max(worst, code)
            summary = json.loads(summary_file.read_text())
            for key in totals:
                value = summary.get(key, 0)
                totals[key] += value if isinstance(value, int) else len(value)
            compared += 1
    if compared == 0:
        print("no product of the platform has a provisioned port to compare on", file=sys.stderr)
        return 2
    print(
        f"\n{compared} port(s): {totals['agreed']} rules agree, {totals['disagreed']} disagree; "
        f"{totals['onlyMeshport']} run only by Meshport, {totals['onlyDatacontract']} only by datacontract"
    )
    return worst


if __name__ == "__main__":
    sys.exit(main())
