#!/bin/sh
# Runs the pinned llvm-ar from @system_tools (actions run in the execroot).
exec external/system_tools/bin/llvm-ar "$@"
