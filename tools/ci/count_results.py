#!/usr/bin/env python3
"""Counts Bazel test results from a build-event JSON file: prints 'N passed, N failed'.

Every test target Bazel configured counts once: passed when its summary is PASSED (or FLAKY);
failed for any other status (FAILED, TIMEOUT, NO_STATUS, ...) and when it never ran because it
or a dependency failed to build; any other target that could not be analysed or built counts
as one failure too. Targets skipped as incompatible with the host platform are not
tests of this run and are not counted. Extra results (e.g. the reproducibility check) can be
added with --extra NAME=PASS|FAIL.
"""
import argparse
import json
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("bep_json")
    parser.add_argument("--extra", action="append", default=[])
    args = parser.parse_args()
    tests = set()
    skipped = set()
    statuses = {}
    with open(args.bep_json, encoding="utf-8") as events:
        for line in events:
            event = json.loads(line)
            event_id = event.get("id", {})
            if "targetConfigured" in event_id:
                kind = event.get("configured", {}).get("targetKind", "")
                if kind.endswith("_test rule") or "testSize" in event.get("configured", {}):
                    tests.add(event_id["targetConfigured"]["label"])
            elif "testSummary" in event_id:
                label = event_id["testSummary"]["label"]
                statuses[label] = event.get("testSummary", {}).get("overallStatus", "NO_STATUS")
            elif "targetCompleted" in event_id and "aborted" in event:
                label = event_id["targetCompleted"]["label"]
                reason = event["aborted"].get("reason", "UNKNOWN")
                if reason == "SKIPPED":
                    skipped.add(label)
                else:  # a target that could not be analysed or built breaks the run
                    statuses.setdefault(label, "ABORTED_" + reason)
    for label in tests - skipped:
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
