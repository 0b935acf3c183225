#!/usr/bin/env bash
# Whole-process time of `meshport validate` on one ODCS contract, side by side in one hyperfine run
# with its peers on the same file:
#   - the standard alone: `datacontract lint` (datacontract-cli 1.2.8, PyPI, reading the local ODCS
#     schema) and `odcs validate` (the `odcs` crate 0.9.1, crates.io);
#   - with the demo mesh's policy packs: `opa eval` on the same Rego and the same input, with OPA from
#     the package registries when one carries it (see OPA below).
#
#   bash tests/bench/validate-peers.sh            # RUNS=30 by default (median of at least 20)
#
# Installs what is missing into the target dir: hyperfine (Debian), a venv with datacontract-cli,
# `odcs` with `cargo install --locked`. Any HTTP a tool attempts goes to a closed loopback port, so the
# run is hermetic. Prints the medians and the ratios the governance issue sets as goals.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
standards=$(cd ../shared/standards && pwd)
file=$standards/odcs/examples/column-validity.odcs.yaml
schema=$standards/odcs/schema/odcs-json-schema-v3.1.0.json
target=${CARGO_TARGET_DIR:-$root/target}
tools=$target/bench-tools
runs=${RUNS:-30}

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
venv=$target/bench-venv
[ -x "$venv/bin/datacontract" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q datacontract-cli==1.2.8; }
[ -x "$tools/bin/odcs" ] || cargo install -q --locked --root "$tools" odcs --version 0.9.1
cargo build --release --locked -q -p meshport-cli
meshport=$target/release/meshport

# The demo packs as plain files, so that OPA reads the very Rego Meshport embeds.
packs=$root/crates/meshport-governance/packs
input=$target/bench-input.json
"$meshport" convert --to json "$file" >"$input"

export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=
commands=(
  -n "meshport validate (standard alone)" "$meshport validate $file"
  -n "datacontract lint" "$venv/bin/datacontract lint --json-schema $schema $file"
  -n "odcs validate" "$tools/bin/odcs validate $file"
  -n "meshport validate --policies demo" "$meshport validate --policies demo $file"
)
# OPA: `opa eval` of the global pack's rules on the same document, when an OPA binary is at hand
# (OPA=/path/to/opa); see the README for which registry package provides one.
if [ -n "${OPA:-}" ] && [ -x "$OPA" ]; then
  rego=$(find "$packs/global" -name '*.rego' ! -name '*_test.rego' | sort | tr '\n' ' ')
  query='[data.meshport.global.deny_contract_sensitivity, data.meshport.global.deny_pii_masked_outside_production]'
  args=""
  for f in $rego; do args="$args -d $f"; done
  commands+=(-n "opa eval (demo global pack)" "$OPA eval --format raw $args -i $input '$query'")
fi
hyperfine -N --ignore-failure --warmup 3 --runs "$runs" --export-json "$target/validate-peers.json" "${commands[@]}"
python3 - "$target/validate-peers.json" <<'PY'
import json, sys
m = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
alone, demo = m["meshport validate (standard alone)"], m["meshport validate --policies demo"]
print(f"\nmedians of {len(json.load(open(sys.argv[1]))['results'][0]['times'])} runs, whole process:")
for name, t in m.items():
    print(f"  {name:<40} {t * 1e3:8.2f} ms")
print(f"standard alone: 1/{m['datacontract lint'] / alone:.0f} of datacontract lint (goal 1/150 or less), "
      f"1/{m['odcs validate'] / alone:.1f} of odcs validate (goal 1/5 or less)")
print(f"with the demo packs: {demo * 1e3:.2f} ms (goal 10 ms or less)")
opa = m.get("opa eval (demo global pack)")
if opa:
    print(f"with the demo packs: 1/{opa / demo:.1f} of opa eval (goal 1/3 or less)")
PY
