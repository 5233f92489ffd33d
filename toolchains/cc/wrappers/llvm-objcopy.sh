#!/bin/sh
# Runs the pinned llvm-objcopy from @system_tools (actions run in the execroot).
exec external/system_tools/bin/llvm-objcopy "$@"
