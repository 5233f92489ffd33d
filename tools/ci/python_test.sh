#!/bin/bash
# tools/ci/python_test.sh — runs one Python unittest file with the system python3 (a run-time pin),
# for CI helpers that are plain scripts. Usage (from BUILD): python_test.sh TEST_FILE
set -euo pipefail
exec python3 "$1"
