#!/usr/bin/env python3
"""Whole-process time of two `meshport` builds validating the same files, runs alternated in random
order so that both see the same machine (other builds, caches, frequency): a change's cost measured
in one session, as the issues' "within 10%" goals ask.

    python3 tests/bench/validate-before-after.py --before OLD/meshport --after NEW/meshport \\
        [--runs 200] [--policies demo] FILE...

Build the old one from another checkout with its own target dir, e.g. `git worktree add /tmp/before
main && cd /tmp/before && CARGO_TARGET_DIR=/tmp/before-target cargo build --release -p meshport-cli`.
Prints, per file and build, the median and minimum wall and CPU (user + system) time, and the
after/before ratio of the medians. RUST_BACKTRACE is unset for the runs (see the README's figures).
"""
import argparse
import os
import random
import statistics
import subprocess
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", required=True)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--policies", help="also run each build with --policies POLICIES")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "RUST_BACKTRACE"}
    devnull = open(os.devnull, "w")
    for file in args.files:
        commands = {
            "before": [args.before, "validate", file],
            "after": [args.after, "validate", file],
        }
        if args.policies:
            commands["before, policies"] = commands["before"][:2] + ["--policies", args.policies, file]
            commands["after, policies"] = commands["after"][:2] + ["--policies", args.policies, file]
        wall = {name: [] for name in commands}
        cpu = {name: [] for name in commands}
        for run in range(args.runs + 3):  # three warm-up rounds
            order = list(commands)
            random.shuffle(order)
            for name in order:
                started = time.perf_counter()
                child = subprocess.Popen(commands[name], stdout=devnull, stderr=devnull, env=env)
                _, _, usage = os.wait4(child.pid, 0)
                if run >= 3:
                    wall[name].append((time.perf_counter() - started) * 1e3)
                    cpu[name].append((usage.ru_utime + usage.ru_stime) * 1e3)
        print(f"{file} ({args.runs} runs each):")
        for name in commands:
            print(
                f"  {name:<18} wall median {statistics.median(wall[name]):6.2f} ms, min {min(wall[name]):6.2f};"
                f" cpu median {statistics.median(cpu[name]):6.2f} ms, min {min(cpu[name]):6.2f}"
            )
        for suffix in ["", ", policies"]:
            if "before" + suffix in wall:
                ratio = statistics.median(wall["after" + suffix]) / statistics.median(wall["before" + suffix])
                print(f"  after/before{suffix}: {ratio:.3f} (wall medians)")


if __name__ == "__main__":
    main()
