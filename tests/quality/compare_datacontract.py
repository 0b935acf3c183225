#!/usr/bin/env python3
"""Compare Meshport's quality results with `datacontract test` (datacontract-cli 1.2.8).

    python compare_datacontract.py --contract CONTRACT.yaml --server SERVER_NAME \
        --meshport RESULTS.json [--junit OUT.xml] [--json-out SUMMARY.json]

CONTRACT.yaml is an ODCS v3.1 data contract, or a Meshport provisioning request whose `contracts`
list holds it (the one with a server named SERVER_NAME, or the one --contract-id names). RESULTS.json
is a Meshport quality run: `results` (or `latest`) and `notExecutable`, each entry naming its rule by
`object` (the schema object's `name`), `property` (the property's `name`, or null) and `index` (the
rule's position in that `quality` list).

How a datacontract check is traced back to its rule: the script hands datacontract a copy of the
contract in which every quality rule's `id` is set to a synthetic one naming its position
(`mpcmp-s<object>-q<index>`, `mpcmp-s<object>-p<property>-q<index>`), and datacontract reports that
id on each check as `qualityId`. Nothing else in the contract changes.

datacontract 1.2.8 keys its library checks by table, column and metric, not by rule, so two rules of
the same metric on the same column (or two rowCount rules on one table) share a key: the second gets
no result and the table's batched counts all fail. A dry run finds those keys first, and the rules
that share one run in separate passes (`--quality-id`), so each rule gets its own result.

Outcomes compared: Meshport `passed` with datacontract passed; `failed`/`warning` with failed/warning
(severity only decides which of the two); `error` (the rule could not be measured) with a
datacontract check that did not measure: an SQL error, a refused query, a missing table or column.
Rules only one tool executes are listed with the other's reason and do not count as disagreements.

Credentials come from the environment only (DATACONTRACT_POSTGRES_USERNAME,
DATACONTRACT_POSTGRES_PASSWORD, ...), as datacontract reads them; none is printed.

Exit status: 0 every rule both tools execute has the same outcome; 1 at least one disagrees;
2 bad input (unreadable files, unknown server or rule, datacontract could not run the contract).
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import os
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml  # a dependency of datacontract-cli

BAD_INPUT = 2
ID_PREFIX = "mpcmp"
MESHPORT_STATUSES = {"passed", "failed", "warning", "error"}

# The outcome classes both tools' results are reduced to. "not-executed" never counts as a
# disagreement: the rule is listed as executed by one tool only.
PASS, FAIL, ERROR, NOT_EXECUTED = "pass", "fail", "error", "not-executed"
MESHPORT_OUTCOME = {"passed": PASS, "failed": FAIL, "warning": FAIL, "error": ERROR}


class BadInput(Exception):
    """Input the comparison cannot work with; exit status 2."""


# ------------------------------------------------------------------------------------------------
# The contract and its rules
# ------------------------------------------------------------------------------------------------
class _NoTimestampLoader(yaml.SafeLoader):
    """Reads timestamps as the strings they are written as, as datacontract's own loader does, so
    the copy handed to datacontract says exactly what the file says."""


_NoTimestampLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Rule:
    """One quality rule of the contract, named the way Meshport names it."""

    object: str
    property: str | None
    index: int
    spec: dict
    synthetic_id: str
    physical_object: str | None = None

    @property
    def label(self) -> str:
        where = f"{self.object}.{self.property}" if self.property else self.object
        return f"{where}:{self.index}"

    @property
    def kind(self) -> str:
        return str(self.spec.get("type") or "library")

    @property
    def summary(self) -> str:
        """The rule in a few words: its metric or type, and its comparison."""
        what = self.spec.get("metric") or self.spec.get("rule") or self.kind
        ops = [f"{k} {self.spec[k]}" for k in OPERATORS if k in self.spec]
        unit = self.spec.get("unit")
        return " ".join([str(what), *ops] + ([f"({unit})"] if unit and unit != "rows" else []))


OPERATORS = (
    "mustBe",
    "mustNotBe",
    "mustBeGreaterThan",
    "mustBeGreaterOrEqualTo",
    "mustBeLessThan",
    "mustBeLessOrEqualTo",
    "mustBeBetween",
    "mustNotBeBetween",
)


def load_contract(path: str, server: str, contract_id: str | None) -> dict:
    """The ODCS DataContract document of `path`: the file itself, or one entry of its `contracts`."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=_NoTimestampLoader)
    except (OSError, yaml.YAMLError) as e:
        raise BadInput(f"cannot read the contract {path}: {e}")
    if not isinstance(doc, dict):
        raise BadInput(f"{path} is not a YAML mapping")
    if doc.get("kind") == "DataContract":
        candidates = [doc]
    else:
        candidates = [c for c in doc.get("contracts") or [] if isinstance(c, dict) and c.get("kind") == "DataContract"]
        if not candidates:
            raise BadInput(f"{path} holds no ODCS DataContract (kind: DataContract, or a `contracts` list)")
    if contract_id is not None:
        candidates = [c for c in candidates if contract_id in (c.get("id"), c.get("name"))]
    else:
        candidates = [c for c in candidates if any(s.get("server") == server for s in c.get("servers") or [])]
    if len(candidates) != 1:
        which = f"id or name {contract_id!r}" if contract_id else f"a server named {server!r}"
        raise BadInput(f"{path}: {len(candidates)} contracts have {which}; exactly one must")
    contract = candidates[0]
    if not any(s.get("server") == server for s in contract.get("servers") or []):
        names = [s.get("server") for s in contract.get("servers") or []]
        raise BadInput(f"the contract has no server {server!r} (it has {names})")
    return contract


def tag_rules(contract: dict) -> tuple[dict, list[Rule]]:
    """A copy of the contract whose every quality rule carries a synthetic `id`, and the rules."""
    tagged = copy.deepcopy(contract)
    rules: list[Rule] = []

    def tag(quality: Any, obj: dict, prop: dict | None, position: str) -> None:
        for index, spec in enumerate(quality or []):
            if not isinstance(spec, dict):
                continue
            spec["id"] = f"{ID_PREFIX}-{position}-q{index}"
            rules.append(
                Rule(
                    object=str(obj.get("name") or obj.get("physicalName")),
                    property=None if prop is None else str(prop.get("name") or prop.get("physicalName")),
                    index=index,
                    spec=spec,
                    synthetic_id=spec["id"],
                    physical_object=obj.get("physicalName"),
                )
            )

    for s, obj in enumerate(tagged.get("schema") or []):
        tag(obj.get("quality"), obj, None, f"s{s}")
        # Only top-level properties: Meshport names a rule's property by its name alone.
        for p, prop in enumerate(obj.get("properties") or []):
            tag(prop.get("quality"), obj, prop, f"s{s}-p{p}")
    return tagged, rules


# ------------------------------------------------------------------------------------------------
# Meshport's results
# ------------------------------------------------------------------------------------------------
@dataclass
class MeshportEntry:
    status: str | None  # None for a notExecutable entry
    value: float | None = None
    reason: str | None = None  # the message of a result, the reason of a notExecutable entry


def load_meshport(path: str, rules: list[Rule], contract: dict, port: str | None) -> dict[str, MeshportEntry]:
    """Meshport's entries by rule label. Every entry must name a rule of the contract."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise BadInput(f"cannot read the Meshport results {path}: {e}")
    if not isinstance(doc, dict):
        raise BadInput(f"{path}: expected an object with `results` and `notExecutable`")
    results = doc.get("results", doc.get("latest"))
    not_executable = doc.get("notExecutable", [])
    if not isinstance(results, list) or not isinstance(not_executable, list):
        raise BadInput(f"{path}: `results` (or `latest`) and `notExecutable` must be lists")

    # A run may cover several ports; keep the contract's (--port, or the contract's name).
    ports = {e.get("port") for e in results + not_executable if isinstance(e, dict) and e.get("port")}
    if len(ports) > 1 and port is None:
        if contract.get("name") in ports:
            port = contract["name"]
        else:
            raise BadInput(f"{path} holds results of several ports {sorted(ports)}: name one with --port")

    by_name = {(r.object, r.property, r.index): r for r in rules}
    by_physical = {(r.physical_object, r.property, r.index): r for r in rules if r.physical_object}
    entries: dict[str, MeshportEntry] = {}
    for section, items in (("results", results), ("notExecutable", not_executable)):
        for i, item in enumerate(items):
            where = f"{path}: {section}[{i}]"
            if not isinstance(item, dict):
                raise BadInput(f"{where} is not an object")
            if port is not None and item.get("port") not in (None, port):
                continue
            obj, prop, index = item.get("object"), item.get("property"), item.get("index")
            if not isinstance(obj, str) or not (prop is None or isinstance(prop, str)):
                raise BadInput(f"{where}: `object` must be a string and `property` a string or null")
            if not isinstance(index, int) or isinstance(index, bool) or index < 0:
                raise BadInput(f"{where}: `index` must be a non-negative integer")
            rule = by_name.get((obj, prop, index)) or by_physical.get((obj, prop, index))
            if rule is None:
                name = f"{obj}.{prop}:{index}" if prop else f"{obj}:{index}"
                raise BadInput(f"{where} names rule {name}, which the contract does not have")
            if rule.label in entries:
                raise BadInput(f"{where}: rule {rule.label} is listed twice")
            if section == "results":
                status = item.get("status")
                if status not in MESHPORT_STATUSES:
                    raise BadInput(f"{where}: `status` must be one of {sorted(MESHPORT_STATUSES)}")
                value = item.get("value")
                if value is not None and not isinstance(value, (int, float)):
                    raise BadInput(f"{where}: `value` must be a number or null")
                entries[rule.label] = MeshportEntry(status, value, item.get("message"))
            else:
                entries[rule.label] = MeshportEntry(None, reason=str(item.get("reason") or "listed as not executable"))
    return entries


# ------------------------------------------------------------------------------------------------
# datacontract
# ------------------------------------------------------------------------------------------------
@dataclass
class DcResult:
    outcome: str  # PASS, FAIL, ERROR or NOT_EXECUTED
    result: str  # datacontract's own word: passed, failed, warning, ...
    value: float | None = None
    reason: str | None = None
    notes: list[str] = field(default_factory=list)


def run_datacontract(contract_text: str, server: str, rule_ids: list[str]) -> dict[str, Any]:
    """datacontract's quality checks by synthetic rule id, from as many passes as its check keys need."""
    from datacontract.data_contract import DataContract  # imported here: slow, and --help needs none of it

    if not rule_ids:
        return {"checks": {}, "shared": {}, "passes": 0}

    def test(**kwargs):
        run = DataContract(data_contract_str=contract_text, server=server, **kwargs).test()
        # A failed check without a category is about the whole run: the contract did not validate,
        # the server was unreachable, credentials were missing...
        fatal = [c for c in run.checks if c.category is None and _word(c.result) in ("failed", "error")]
        if fatal:
            raise BadInput("datacontract could not run the contract: " + "; ".join(
                f"{c.name}: {c.reason}" for c in fatal))
        return run

    # The dry run reads no data: it gives each rule's check key, so shared keys are found first.
    plan = test(dry_run=True, quality_ids=set(rule_ids))
    keys: dict[str, list[str]] = {}
    for check in plan.checks:
        if check.qualityId in rule_ids and check.key:
            keys.setdefault(check.key, []).append(check.qualityId)
    passes: list[set[str]] = [set(rule_ids)]
    for ids in keys.values():
        for n, rule_id in enumerate(ids[1:], start=1):  # the n-th sharer of a key runs in pass n
            passes[0].discard(rule_id)
            while len(passes) <= n:
                passes.append(set())
            passes[n].add(rule_id)

    checks: dict[str, Any] = {}
    for ids in passes:
        if not ids:
            continue
        run = test(quality_ids=ids)
        for check in run.checks:
            if check.qualityId in ids:
                checks.setdefault(check.qualityId, check)
    shared = {rule_id: ids for ids in keys.values() if len(ids) > 1 for rule_id in ids}
    return {"checks": checks, "shared": shared, "passes": sum(1 for p in passes if p)}


def _word(result: Any) -> str | None:
    return None if result is None else getattr(result, "value", str(result))


def classify(check: Any) -> DcResult:
    """Reduce one datacontract check to an outcome class.

    A measured check carries diagnostics with the metric it computed; a rule datacontract cannot run
    as written gets a preset `warning` (unsupported metric, level or unit); one it refused or could
    not measure is `failed` without diagnostics (SQL error, refused query, missing table or column).
    """
    result = _word(check.result)
    diag = check.diagnostics or {}
    value = diag.get("percent", diag.get("value"))
    # A numeric query result may come back as a Decimal (e.g. AVG over numeric).
    value = float(value) if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) else None
    reason = check.reason
    if result is None:
        return DcResult(NOT_EXECUTED, "none", None, "datacontract reported no result for this check")
    if result == "passed":
        return DcResult(PASS, result, value)
    if "metric" in diag and result in ("failed", "warning"):
        return DcResult(FAIL, result, value, reason)
    # The query ran and answered NULL: measured, and no number keeps the rule (Meshport: failed).
    if result in ("failed", "warning") and reason and "was None" in reason:
        return DcResult(FAIL, result, None, reason)
    if result in ("warning", "skipped", "info", "unknown"):
        return DcResult(NOT_EXECUTED, result, None, reason)
    return DcResult(ERROR, result, None, reason)


def no_check_reason(rule: Rule) -> str:
    """Why datacontract made no check of a rule at all."""
    if rule.kind == "text":
        return "datacontract runs no check for `text` rules"
    if rule.kind == "custom":
        return f"datacontract runs no check for custom engine {rule.spec.get('engine')!r}"
    if rule.kind == "library" and not rule.spec.get("metric"):
        return "datacontract runs no library rule without `metric`"
    return "datacontract made no check of this rule"


# ------------------------------------------------------------------------------------------------
# Comparison and reports
# ------------------------------------------------------------------------------------------------
@dataclass
class Row:
    rule: Rule
    meshport: MeshportEntry | None
    dc: DcResult
    verdict: str  # agree, DISAGREE, only-meshport, only-datacontract, neither

    def as_json(self) -> dict:
        m = self.meshport
        return {
            "rule": self.rule.label,
            "object": self.rule.object,
            "property": self.rule.property,
            "index": self.rule.index,
            "type": self.rule.kind,
            "summary": self.rule.summary,
            "meshport": None if m is None else (m.status or "not-executable"),
            "meshportValue": None if m is None else m.value,
            "meshportReason": None if m is None else m.reason,
            "datacontract": self.dc.result,
            "datacontractValue": self.dc.value,
            "datacontractReason": self.dc.reason,
            "notes": [_scrub(note) for note in self.dc.notes],
        }


def compare(rules: list[Rule], meshport: dict[str, MeshportEntry], dc: dict[str, Any]) -> list[Row]:
    rows = []
    for rule in rules:
        check = dc["checks"].get(rule.synthetic_id)
        d = classify(check) if check is not None else DcResult(NOT_EXECUTED, "no check", None, no_check_reason(rule))
        others = [r.label for r in rules if r.synthetic_id in dc["shared"].get(rule.synthetic_id, [])
                  and r is not rule]
        if others:
            d.notes.append(f"shares datacontract check key {check.key} with {', '.join(others)}: "
                           "datacontract ran them in separate passes")
        if d.outcome == ERROR:
            d.notes.append(f"datacontract could not measure it: {d.reason}")
        m = meshport.get(rule.label)
        m_outcome = MESHPORT_OUTCOME.get(m.status) if m and m.status else NOT_EXECUTED
        if m_outcome == NOT_EXECUTED and d.outcome == NOT_EXECUTED:
            verdict = "neither"
        elif m_outcome == NOT_EXECUTED:
            verdict = "only-datacontract"
        elif d.outcome == NOT_EXECUTED:
            verdict = "only-meshport"
        else:
            verdict = "agree" if m_outcome == d.outcome else "DISAGREE"
        if verdict == "agree" and m.value is not None and d.value is not None and not _close(m.value, d.value):
            d.notes.append(f"values differ: Meshport {_num(m.value)}, datacontract {_num(d.value)}")
        rows.append(Row(rule, m, d, verdict))
    return rows


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _num(v: float | None) -> str:
    if v is None:
        return "-"
    return str(int(v)) if float(v).is_integer() else f"{v:.6g}"


def _scrub(text: str | None) -> str:
    """No secret reaches the output, even if a driver message were to quote one."""
    text = " ".join((text or "").split())
    for name, secret in os.environ.items():
        if name.startswith("DATACONTRACT_") and re.search("PASSWORD|SECRET|TOKEN|KEY", name) and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def print_report(rows: list[Row], dc: dict[str, Any], out=sys.stdout) -> None:
    def status(row: Row) -> tuple[str, str]:
        m = row.meshport
        ms = "-" if m is None else (m.status or "not-executable")
        if m is not None and m.status and m.value is not None:
            ms += f" ({_num(m.value)})"
        ds = row.dc.result + (f" ({_num(row.dc.value)})" if row.dc.value is not None else "")
        if row.dc.outcome == ERROR and row.dc.result != "error":
            ds += " [error]"  # datacontract says `failed` for a rule it could not measure
        return ms, ds

    table = [("rule", "check", "meshport", "datacontract", "agree?")]
    for row in rows:
        ms, ds = status(row)
        agree = {"agree": "yes", "DISAGREE": "NO"}.get(row.verdict, row.verdict)
        table.append((row.rule.label, row.rule.summary[:48], ms, ds, agree))
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    for n, r in enumerate(table):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip(), file=out)
        if n == 0:
            print("  ".join("-" * w for w in widths), file=out)

    def listing(title: str, wanted: str, why) -> None:
        picked = [r for r in rows if r.verdict == wanted]
        if picked:
            print(f"\n{title} ({len(picked)}):", file=out)
            for r in picked:
                print(f"  {r.rule.label}: {_scrub(why(r))}", file=out)

    def disagreement(r: Row) -> str:
        m, d = r.meshport, r.dc
        text = f"Meshport {m.status}" + (f" {_num(m.value)}" if m.value is not None else "")
        text += f" ({m.reason})" if m.reason else ""
        text += f"; datacontract {d.result}" + (f" {_num(d.value)}" if d.value is not None else "")
        return text + (f" ({d.reason})" if d.reason else "")

    listing("Disagreements", "DISAGREE", disagreement)
    listing("Only Meshport executes", "only-meshport", lambda r: f"datacontract: {r.dc.reason}")
    listing("Only datacontract executes", "only-datacontract", lambda r: "Meshport: " + (
        "no entry for this rule (neither a result nor notExecutable)" if r.meshport is None else r.meshport.reason))
    listing("Neither executes", "neither", lambda r: f"datacontract: {r.dc.reason}; Meshport: "
            + ("no entry for this rule (neither a result nor notExecutable)" if r.meshport is None else str(r.meshport.reason)))
    notes = [r for r in rows if r.dc.notes]
    if notes:
        print("\nNotes:", file=out)
        for r in notes:
            for note in r.dc.notes:
                print(f"  {r.rule.label}: {_scrub(note)}", file=out)
    agreed = sum(r.verdict == "agree" for r in rows)
    disagreed = sum(r.verdict == "DISAGREE" for r in rows)
    print(f"\n{len(rows)} rules: {agreed} agree, {disagreed} disagree, "
          f"{sum(r.verdict == 'only-meshport' for r in rows)} only Meshport, "
          f"{sum(r.verdict == 'only-datacontract' for r in rows)} only datacontract, "
          f"{sum(r.verdict == 'neither' for r in rows)} neither; datacontract ran in {dc['passes']} pass(es)",
          file=out)


def summary(rows: list[Row]) -> dict:
    def pick(verdict: str) -> list[dict]:
        return [{k: (_scrub(v) if isinstance(v, str) and k.endswith("Reason") else v)
                 for k, v in r.as_json().items()} for r in rows if r.verdict == verdict]

    return {
        "agreed": sum(r.verdict == "agree" for r in rows),
        "disagreed": pick("DISAGREE"),
        "onlyMeshport": pick("only-meshport"),
        "onlyDatacontract": pick("only-datacontract"),
        "neither": pick("neither"),
    }


def write_junit(rows: list[Row], path: str) -> None:
    """One test case per rule: a failure where the tools disagree, skipped where one does not run it."""
    suite = ET.Element("testsuite", name="meshport-vs-datacontract", tests=str(len(rows)),
                       failures=str(sum(r.verdict == "DISAGREE" for r in rows)),
                       skipped=str(sum(r.verdict not in ("agree", "DISAGREE") for r in rows)))
    for r in rows:
        where = f"{r.rule.object}.{r.rule.property}" if r.rule.property else r.rule.object
        case = ET.SubElement(suite, "testcase", classname=where, name=f"{r.rule.label} {r.rule.summary}")
        m = "-" if r.meshport is None else (r.meshport.status or "not-executable")
        if r.verdict == "DISAGREE":
            ET.SubElement(case, "failure", message=f"Meshport {m}, datacontract {r.dc.result}").text = _scrub(
                r.dc.reason)
        elif r.verdict != "agree":
            ET.SubElement(case, "skipped", message=_scrub(f"{r.verdict}: Meshport {m}, datacontract "
                                                          f"{r.dc.result} {r.dc.reason or ''}"))
    ET.indent(suite)
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


# ------------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contract", required=True, help="ODCS v3.1 contract, or a provisioning request holding it")
    parser.add_argument("--server", required=True, help="the contract's server to test (its `server` name)")
    parser.add_argument("--meshport", required=True, help="Meshport's quality run (results, notExecutable)")
    parser.add_argument("--contract-id", help="which of a request's contracts (id or name), if several")
    parser.add_argument("--port", help="keep only this port's Meshport results, if the run has several")
    parser.add_argument("--junit", metavar="OUT.xml", help="write the comparison as JUnit XML")
    parser.add_argument("--json-out", metavar="FILE", help="write the comparison summary as JSON")
    parser.add_argument("--verbose", action="store_true", help="let datacontract's own log warnings through")
    args = parser.parse_args(argv)

    # datacontract logs every failed check as a warning; the table says it better.
    logging.getLogger("datacontract").setLevel(logging.WARNING if args.verbose else logging.CRITICAL)
    try:
        contract = load_contract(args.contract, args.server, args.contract_id)
        tagged, rules = tag_rules(contract)
        meshport = load_meshport(args.meshport, rules, contract, args.port)
        contract_text = yaml.safe_dump(tagged, sort_keys=False, allow_unicode=True)
        dc = run_datacontract(contract_text, args.server, [r.synthetic_id for r in rules])
    except BadInput as e:
        print(f"compare_datacontract: {_scrub(str(e))}", file=sys.stderr)
        return BAD_INPUT

    rows = compare(rules, meshport, dc)
    print_report(rows, dc)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            json.dump(summary(rows), f, indent=2)
            f.write("\n")
    if args.junit:
        write_junit(rows, args.junit)
    return 1 if any(r.verdict == "DISAGREE" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
