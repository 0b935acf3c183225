#!/usr/bin/env bash
# The agreement figures of the README: Meshport, `datacontract lint` and the `odcs` crate on every file
# of the wild corpus (tests/standards/wild/), each verdict compared with the file's label.
#
#   bash tests/standards/compare.sh [--json OUT.json]
#
# Installs what is missing into the target dir, as tests/bench/validate-peers.sh does: a venv with
# datacontract-cli 1.2.8 (PyPI), and the `odcs` crate 0.9.1's own command line (`odcs validate`,
# crates.io, `cargo install --locked`), then builds `meshport` (release). A tool's verdict is its exit
# code (0 valid, anything else invalid); every HTTP request a tool attempts goes to a closed loopback
# port, so the run is hermetic and gives the same figures on every machine. Prints the counts and
# every disagreement (tests/standards/compare.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}
tools=$target/bench-tools
venv=$target/bench-venv
[ -x "$venv/bin/datacontract" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q datacontract-cli==1.2.8; }
[ -x "$tools/bin/odcs" ] || cargo install -q --locked --root "$tools" odcs --version 0.9.1
cargo build --release --locked -q -p meshport-cli
python3 tests/standards/compare.py --meshport "$target/release/meshport" \
  --datacontract "$venv/bin/datacontract" --odcs "$tools/bin/odcs" "$@"
