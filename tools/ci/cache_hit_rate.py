#!/usr/bin/env python3
"""Sums Bazel's process summaries in build logs: prints 'HITS CACHEABLE' (remote cache hits, and
every process that is not internal), from lines such as
  INFO: 306 processes: 223 remote cache hit, 83 internal.
"""
import re
import sys

SUMMARY = re.compile(r"INFO: (\d+) process(?:es)?(?:: (.*))?\.$")
KIND = re.compile(r"(\d+) ([a-z][a-z -]*)")


def main() -> int:
    hits = cacheable = 0
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8", errors="replace") as log:
            for line in log:
                match = SUMMARY.match(line.strip())
                if not match:
                    continue
                kinds = {kind.strip(): int(n) for n, kind in KIND.findall(match.group(2) or "")}
                hits += kinds.get("remote cache hit", 0)
                cacheable += int(match.group(1)) - kinds.get("internal", 0)
    print(hits, cacheable)
    return 0


if __name__ == "__main__":
    sys.exit(main())
