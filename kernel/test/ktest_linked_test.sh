#!/bin/bash
# kernel/test/ktest_linked_test.sh — fails unless every given *_ktest.cc is linked into the
# ktest image. Usage: ktest_linked_test.sh MANIFEST FILE... (MANIFEST from kernel_sources).
set -euo pipefail
manifest="$1"
shift
[[ $# -gt 0 ]] || { echo "no ktest sources given" >&2; exit 1; }
missing=0
for file in "$@"; do
  if ! awk -F'\t' -v file="$file" '$2 == file { found = 1 } END { exit !found }' "$manifest"; then
    echo "$file is not linked into //kernel:kernel_ktest: add its ktest_library to" \
      "_KTEST_LIBRARIES in kernel/BUILD.bazel"
    missing=$((missing + 1))
  fi
done
echo "$# ktest sources checked, $missing not linked into the ktest image"
[[ $missing -eq 0 ]]
