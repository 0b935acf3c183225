#!/usr/bin/env bash
# Whole-process time of `meshport validate` on every ODCS example, side by side in one run with
# `datacontract lint` (datacontract-cli, PyPI) on the same files, one process per file for both.
#
#   bash tests/bench/validate-vs-datacontract.sh
#
# Installs what is missing: hyperfine (Debian), datacontract-cli 1.2.8 in a venv under the target dir.
# Both tools read the ODCS JSON Schema from disk; any HTTP either attempts goes to a closed loopback
# port, so the run is hermetic.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
examples=$(cd ../shared/standards/odcs/examples && pwd)
schema=$(cd ../shared/standards/odcs/schema && pwd)/odcs-json-schema-v3.1.0.json
target=${CARGO_TARGET_DIR:-$root/target}

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
venv=$target/bench-venv
[ -x "$venv/bin/datacontract" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q datacontract-cli==1.2.8; }
cargo build --release --locked -q -p meshport-cli

export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=
files=("$examples"/*.yaml)
echo "${#files[@]} ODCS examples, one process per file"
hyperfine --ignore-failure --warmup 1 --runs "${RUNS:-5}" --export-json "$target/validate-bench.json" \
  -n "meshport validate" "for f in ${files[*]}; do $target/release/meshport validate \$f >/dev/null; done" \
  -n "datacontract lint" "for f in ${files[*]}; do $venv/bin/datacontract lint --json-schema $schema \$f >/dev/null; done"
python3 - "$target/validate-bench.json" "${#files[@]}" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
ours, theirs = results["meshport validate"]["median"], results["datacontract lint"]["median"]
print(f"median per file: meshport validate {ours / n * 1e3:.1f} ms, datacontract lint {theirs / n * 1e3:.1f} ms; "
      f"datacontract lint takes {theirs / ours:.1f}x as long")
PY
