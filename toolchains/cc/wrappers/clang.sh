#!/bin/sh
# Runs the pinned clang from @system_tools (actions run in the execroot).
exec external/system_tools/bin/clang "$@"
