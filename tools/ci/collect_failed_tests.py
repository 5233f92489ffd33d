#!/usr/bin/env python3
"""Keeps what failing tests left behind: for every test whose summary in the build-event JSON
file is not PASSED/FLAKY, copies test.log and test.xml from bazel-testlogs and unpacks its
undeclared outputs (QEMU tests: serial.log) into DEST/<package>/<test>/.
Usage: collect_failed_tests.py BEP_JSON DEST
"""
import json
import pathlib
import shutil
import sys
import zipfile


def failed_labels(bep_path):
    failed = set()
    with open(bep_path, encoding="utf-8") as events:
        for line in events:
            event = json.loads(line)
            summary_id = event.get("id", {}).get("testSummary")
            if summary_id:
                status = event.get("testSummary", {}).get("overallStatus", "NO_STATUS")
                if status not in ("PASSED", "FLAKY"):
                    failed.add(summary_id["label"])
    return sorted(failed)


def main() -> int:
    bep, dest = sys.argv[1], pathlib.Path(sys.argv[2])
    for label in failed_labels(bep):
        relative = label.lstrip("@").lstrip("/").replace(":", "/").lstrip("/")
        logs = pathlib.Path("bazel-testlogs") / relative
        target = dest / relative
        target.mkdir(parents=True, exist_ok=True)
        for name in ("test.log", "test.xml"):
            if (logs / name).is_file():
                shutil.copyfile(logs / name, target / name)
        outputs = logs / "test.outputs"
        if (outputs / "outputs.zip").is_file():
            with zipfile.ZipFile(outputs / "outputs.zip") as archive:
                archive.extractall(target)
        elif outputs.is_dir():
            shutil.copytree(outputs, target, dirs_exist_ok=True)
        kept = ", ".join(sorted(p.name for p in target.iterdir())) or "nothing"
        print(f"kept for failed {label}: {target} ({kept})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
