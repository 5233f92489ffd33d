"""Tests for cache_hit_rate.py: sums Bazel's process summary lines across logs."""
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cache_hit_rate.py")


def run(*logs):
    paths = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(logs):
            path = os.path.join(tmp, f"{i}.log")
            with open(path, "w", encoding="utf-8") as log:
                log.write(text)
            paths.append(path)
        out = subprocess.run([sys.executable, SCRIPT] + paths, check=True, capture_output=True,
                             text=True).stdout
    hits, cacheable = out.split()
    return int(hits), int(cacheable)


class CacheHitRateTest(unittest.TestCase):
    def test_internal_processes_are_not_cacheable(self):
        self.assertEqual(run("INFO: 306 processes: 223 remote cache hit, 83 internal.\n"),
                         (223, 223))

    def test_misses_count_against_the_rate(self):
        log = "INFO: 460 processes: 275 remote cache hit, 177 internal, 8 processwrapper-sandbox.\n"
        self.assertEqual(run(log), (275, 283))

    def test_sums_every_command_of_every_log(self):
        first = "noise\nINFO: 10 processes: 10 remote cache hit.\n"
        second = "INFO: 5 processes: 2 internal, 3 processwrapper-sandbox.\n"
        self.assertEqual(run(first, second), (10, 13))

    def test_summary_without_kinds_and_single_process(self):
        self.assertEqual(run("INFO: 0 processes.\nINFO: 1 process: 1 internal.\n"), (0, 0))

    def test_no_summary_line(self):
        self.assertEqual(run("ERROR: build failed\n"), (0, 0))


if __name__ == "__main__":
    unittest.main()
