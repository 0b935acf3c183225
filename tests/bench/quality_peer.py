#!/usr/bin/env python3
"""Meshport's quality run timed against `datacontract test`, on the same PostgreSQL table.

The platform provisions a product whose port carries the contract of quality/events.odcs.yaml (the 20
checks of the platform's quality benchmark: every library metric, both units, `sql` rules); this
fills the port's table with ROWS rows and analyzes it, fetches the contract as the platform publishes
it (with its `postgres` server entry), then alternates RUNS timed runs of each tool after one warm-up
run each:

- Meshport: `POST /v1/products/{id}/quality-runs` on the running platform, timed by this client
  (request to answer: the checks, storing the run, its results and its changes);
- datacontract-cli: `datacontract test CONTRACT --server NAME`, the whole process as a user runs it,
  and the time it reports itself ("Took N seconds": its run without Python's start and imports).

Both must pass every check, and compare_datacontract.py must find the same verdict on every rule both
run. Prints a Markdown table of medians and bests; exit 0 when the verdicts agree, 1 when not, 2 when
the benchmark cannot run.

    MESHPORT_COMPARE_TOKEN=<a steward's token> MESHPORT_COMPARE_OWNER_TOKEN=<an owner of orders> \\
    DATACONTRACT_POSTGRES_USERNAME=postgres DATACONTRACT_POSTGRES_PASSWORD=unused \\
    python quality_peer.py --platform http://127.0.0.1:8080 --database postgres://… --out DIR

`cargo xtask bench-quality` starts PostgreSQL and the platform and runs this.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import yaml
from psycopg import sql

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests/quality"))
import compare_datacontract  # noqa: E402
from platform_compare import TEMPLATE, call  # noqa: E402

CHECKS = 20


def provision(base: str, owner: str) -> tuple[str, dict]:
    """Provisions the 20-check product as the demo owner; returns its id and its published contract."""
    request = yaml.safe_load(TEMPLATE.read_text())
    contract_doc = yaml.safe_load((HERE / "quality/events.odcs.yaml").read_text())
    product_id, contract_id = str(uuid.uuid4()), str(uuid.uuid4())
    product = request["product"]
    product.update(id=product_id, name="Events")
    product["outputPorts"] = [dict(product["outputPorts"][0], name="events", contractId=contract_id)]
    contract = request["contracts"][0]
    contract.update(id=contract_id, name="events", schema=contract_doc["schema"])
    contract.pop("servers", None)
    contract["slaProperties"] = [s for s in contract.get("slaProperties", []) if "element" not in s]
    status, job = call(base, owner, "POST", "/v1/provisioning-requests", request, str(uuid.uuid4()))
    if status != 202:
        raise SystemExit(f"the request was refused: {status} {json.dumps(job, indent=2)}")
    deadline = time.monotonic() + 120
    while job["state"] not in ("succeeded", "failed", "cancelled") and time.monotonic() < deadline:
        time.sleep(0.1)
        status, job = call(base, owner, "GET", f"/v1/provisioning-requests/{job['id']}")
    if job["state"] != "succeeded":
        raise SystemExit(f"the request ended {job['state']}: {json.dumps(job, indent=2)}")
    status, published = call(base, owner, "GET", f"/v1/contracts/{contract_id}")
    if status != 200:
        raise SystemExit(f"the published contract: {status} {published}")
    return product_id, published


def load(database: str, schema: str, rows: int) -> None:
    """The rows of the platform's quality benchmark, then ANALYZE (as autovacuum would)."""
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(sql.SQL(
            "INSERT INTO {}.events (id, customer, status, amount, email, created_at, country) "
            "SELECT i, 'c' || (i %% 50000), (ARRAY['new','paid','shipped'])[1 + i %% 3], (i %% 1000) * 1.5, "
            "'u' || i || '@example.org', TIMESTAMPTZ '2026-11-01 00:00:00+00' + i * INTERVAL '1 second', "
            "(ARRAY['DE','FR','NL','ES'])[1 + i %% 4] FROM generate_series(1, %s) AS i"
        ).format(sql.Identifier(schema)), (rows,))
        conn.execute(sql.SQL("ANALYZE {}.events").format(sql.Identifier(schema)))


def meshport_run(base: str, token: str, product_id: str) -> tuple[float, dict]:
    began = time.perf_counter()
    status, run = call(base, token, "POST", f"/v1/products/{product_id}/quality-runs")
    elapsed = time.perf_counter() - began
    if status != 201:
        raise SystemExit(f"the quality run answered {status}: {run}")
    # The contract's rules, beside the schema checks each run adds (a column present, typed, filled).
    rules = [r for r in run["results"] if r.get("type") != "schema"]
    if len(rules) != CHECKS or run["passed"] != len(run["results"]):
        raise SystemExit(f"Meshport should pass all {CHECKS} rules and its schema checks: {json.dumps(run, indent=2)}")
    return elapsed, run


TOOK = re.compile(r"Took ([0-9.]+) seconds")


def datacontract_run(contract_file: Path, server: str) -> tuple[float, float, int]:
    """The whole `datacontract test` process: wall seconds, its own reported seconds, checks run."""
    began = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).parent / "datacontract"), "test", str(contract_file), "--server", server],
        capture_output=True, text=True, env=dict(os.environ, COLUMNS="200"),
    )
    elapsed = time.perf_counter() - began
    took = TOOK.search(done.stdout)
    ran = re.search(r"Ran (\d+) checks", done.stdout)
    if done.returncode != 0 or not took or not ran:
        raise SystemExit(f"datacontract test failed ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}")
    return elapsed, float(took.group(1)), int(ran.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--platform", required=True, help="the platform's base URL")
    parser.add_argument("--database", required=True, help="the PostgreSQL the platform provisions on")
    parser.add_argument("--out", required=True, help="a folder for the contract and the runs")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    steward, owner = os.environ.get("MESHPORT_COMPARE_TOKEN"), os.environ.get("MESHPORT_COMPARE_OWNER_TOKEN")
    if not steward or not owner:
        print("set MESHPORT_COMPARE_TOKEN (a steward) and MESHPORT_COMPARE_OWNER_TOKEN (an owner of orders)",
              file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    product_id, contract = provision(args.platform, owner)
    server = next((s for s in contract.get("servers", []) if s.get("type") == "postgres"), None)
    if server is None:
        print("the published contract names no postgres server", file=sys.stderr)
        return 2
    print(f"provisioned {product_id}; loading {args.rows} rows into {server['schema']}.events", flush=True)
    load(args.database, server["schema"], args.rows)
    contract_file = out / "events.contract.yaml"
    contract_file.write_text(yaml.safe_dump(contract, sort_keys=False, allow_unicode=True))

    _, run = meshport_run(args.platform, steward, product_id)
    _, _, dc_checks = datacontract_run(contract_file, server["server"])
    meshport, dc_wall, dc_took = [], [], []
    for i in range(args.runs):
        # Alternated, each tool first in turn, so that neither always runs on a warmer cache.
        order = ("meshport", "datacontract") if i % 2 == 0 else ("datacontract", "meshport")
        for tool in order:
            if tool == "meshport":
                elapsed, run = meshport_run(args.platform, steward, product_id)
                meshport.append(elapsed)
            else:
                wall, took, _ = datacontract_run(contract_file, server["server"])
                dc_wall.append(wall)
                dc_took.append(took)
        print(f"run {i + 1}: Meshport {meshport[-1]:.2f} s, datacontract {dc_wall[-1]:.2f} s "
              f"(it reports {dc_took[-1]:.2f} s)", flush=True)

    run_file = out / "events.meshport.json"
    rules = [r for r in run["results"] if r.get("type") != "schema"]
    run_file.write_text(json.dumps({"results": rules, "notExecutable": run["notExecutable"]}, indent=2))
    summary_file = out / "events.summary.json"
    verdicts = compare_datacontract.main([
        "--contract", str(contract_file), "--server", server["server"],
        "--meshport", str(run_file), "--json-out", str(summary_file),
    ])
    summary = json.loads(summary_file.read_text()) if summary_file.exists() else {}

    def figure(times: list[float]) -> str:
        return f"median {statistics.median(times):.2f} s, best {min(times):.2f} s"

    m = statistics.median(meshport)
    print(f"\n| {args.rows:,} rows, PostgreSQL, {args.runs} alternated runs | time |\n|---|---|")
    schema_checks = len(run["results"]) - len(rules)
    print(f"| Meshport, `POST /v1/products/{{id}}/quality-runs` ({CHECKS + schema_checks} checks: the {CHECKS} and "
          f"its {schema_checks} schema checks) | {figure(meshport)} |")
    print(f"| `datacontract test`, the whole process ({dc_checks} checks: the {CHECKS} and its {dc_checks - CHECKS} "
          "schema checks) "
          f"| {figure(dc_wall)}: {statistics.median(dc_wall) / m:.1f}x Meshport's median |")
    print(f"| `datacontract test`, the time it reports | {figure(dc_took)}: "
          f"{statistics.median(dc_took) / m:.1f}x |")
    def count(key: str) -> int:
        value = summary.get(key, 0)
        return value if isinstance(value, int) else len(value)

    print(f"| verdicts | {count('agreed')} rules agree, {count('disagreed')} disagree |")
    return verdicts


if __name__ == "__main__":
    sys.exit(main())
