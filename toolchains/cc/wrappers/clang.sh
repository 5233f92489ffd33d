#!/bin/sh
# Runs the pinned clang from @system_tools (actions run in the execroot).
# A compile that loads the precompiled GoogleTest header (toolchains/rules/gtest_pch.bzl) lists
# that header's inputs in its dependency file under the paths they were precompiled from,
# /proc/self/cwd/external/...; Bazel checks each path there against the action's declared
# inputs, so they are made execroot-relative again (they are the same files).
case " $* " in
  *" -include-pch "*) ;;
  *) exec external/system_tools/bin/clang "$@" ;;
esac
dep_file="" prev=""
for arg in "$@"; do
  [ "$prev" = "-MF" ] && dep_file=$arg
  prev=$arg
done
external/system_tools/bin/clang "$@" || exit
if [ -n "$dep_file" ]; then sed -i 's|/proc/self/cwd/||g' "$dep_file"; fi
