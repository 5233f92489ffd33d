#!/usr/bin/env python3
"""Counts Bazel test results from a build-event JSON file: prints 'N passed, N failed'.

A test target counts as passed only when Bazel reports it PASSED (or FLAKY); every other final
status (FAILED, TIMEOUT, NO_STATUS, failed to build, ...) counts as failed. Extra results (e.g.
the reproducibility check) can be added with --extra NAME=PASS|FAIL.
"""
import argparse
import json
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("bep_json")
    parser.add_argument("--extra", action="append", default=[])
    args = parser.parse_args()
    statuses = {}
    with open(args.bep_json, encoding="utf-8") as events:
        for line in events:
            event = json.loads(line)
            event_id = event.get("id", {})
            if "testSummary" in event_id:
                label = event_id["testSummary"]["label"]
                statuses[label] = event.get("testSummary", {}).get("overallStatus", "NO_STATUS")
            elif "targetCompleted" in event_id and event.get("aborted") is not None:
                label = event_id["targetCompleted"]["label"]
                statuses.setdefault(label, "FAILED_TO_BUILD")
    for extra in args.extra:
        name, verdict = extra.split("=", 1)
        statuses[name] = "PASSED" if verdict == "PASS" else "FAILED"
    passed = sum(1 for s in statuses.values() if s in ("PASSED", "FLAKY"))
    failed = len(statuses) - passed
    for label, status in sorted(statuses.items()):
        if status not in ("PASSED", "FLAKY"):
            print(f"  {status}: {label}", file=sys.stderr)
    print(f"{passed} passed, {failed} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
