#!/bin/sh
# Coverage is not wired up in hiillos yet; say so instead of producing an empty report.
echo "hiillos: bazel coverage is not supported yet" >&2
exit 1
