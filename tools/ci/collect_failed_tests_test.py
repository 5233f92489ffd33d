"""Tests for collect_failed_tests.py: what a failed test leaves in artifacts/."""
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest
import zipfile

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "collect_failed_tests.py")


def summary(label, status):
    return {"id": {"testSummary": {"label": label}}, "testSummary": {"overallStatus": status}}


class CollectFailedTestsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = pathlib.Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def add_test_logs(self, relative, serial_in_zip):
        logs = self.root / "bazel-testlogs" / relative
        (logs / "test.outputs").mkdir(parents=True)
        (logs / "test.log").write_text("log of " + relative)
        (logs / "test.xml").write_text("<xml/>")
        if serial_in_zip:
            with zipfile.ZipFile(logs / "test.outputs" / "outputs.zip", "w") as archive:
                archive.writestr("serial.log", "serial of " + relative)
        else:
            (logs / "test.outputs" / "serial.log").write_text("serial of " + relative)

    def collect(self, events):
        bep = self.root / "bep.json"
        bep.write_text("".join(json.dumps(event) + "\n" for event in events))
        subprocess.run([sys.executable, SCRIPT, str(bep), "artifacts"], cwd=self.root,
                       check=True, capture_output=True)
        return self.root / "artifacts"

    def test_failed_test_keeps_log_and_unzipped_serial_log(self):
        self.add_test_logs("testing/ktest_smp4", serial_in_zip=True)
        out = self.collect([summary("//testing:ktest_smp4", "FAILED")])
        kept = out / "testing" / "ktest_smp4"
        self.assertEqual((kept / "serial.log").read_text(), "serial of testing/ktest_smp4")
        self.assertEqual((kept / "test.log").read_text(), "log of testing/ktest_smp4")
        self.assertTrue((kept / "test.xml").is_file())

    def test_unzipped_outputs_and_timeouts_are_kept_too(self):
        self.add_test_logs("testing/boot_test", serial_in_zip=False)
        out = self.collect([summary("//testing:boot_test", "TIMEOUT")])
        self.assertTrue((out / "testing" / "boot_test" / "serial.log").is_file())

    def test_passed_and_flaky_tests_leave_nothing(self):
        self.add_test_logs("lib/elf/elf_test", serial_in_zip=True)
        self.add_test_logs("testing/panic_test", serial_in_zip=True)
        out = self.collect([summary("//lib/elf:elf_test", "PASSED"),
                            summary("//testing:panic_test", "FLAKY")])
        self.assertFalse(out.exists() and any(out.iterdir()))

    def test_root_package_label(self):
        self.add_test_logs("top_test", serial_in_zip=True)
        out = self.collect([summary("//:top_test", "FAILED")])
        self.assertTrue((out / "top_test" / "serial.log").is_file())


if __name__ == "__main__":
    unittest.main()
