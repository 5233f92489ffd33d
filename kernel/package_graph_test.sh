#!/bin/bash
# kernel/package_graph_test.sh — the kernel's package graph (what the kernel image links, tests
# excluded) has no cycle, and the architecture (kernel/arch, x86_64 included) depends on no
# other kernel package, and docs/kernel-arch.md shows this very graph. Usage:
# package_graph_test.sh MANIFEST DOC (MANIFEST: a kernel_sources manifest, its .edges file lies
# next to it; DOC: docs/kernel-arch.md).
set -euo pipefail

# label<TAB>label -> package package, kernel/arch/<arch> folded into kernel/arch.
package_edges() {
  awk -F'\t' '{
    split($1, a, ":"); split($2, b, ":");
    from = substr(a[1], 3); to = substr(b[1], 3);
    sub(/^kernel\/arch\/.*/, "kernel/arch", from); sub(/^kernel\/arch\/.*/, "kernel/arch", to);
    if (from != to) print from, to
  }' "$1" | sort -u
}

edges="$(package_edges "${1%.manifest}.edges")"
[[ -n "$edges" ]] || { echo "no package edges: the check saw nothing" >&2; exit 1; }
status=0
if ! order="$(tsort <<<"$edges" 2>&1)"; then
  echo "the kernel's package graph has a cycle:"
  echo "$order" | grep 'tsort:' || true
  status=1
fi
upward="$(awk '$1 == "kernel/arch"' <<<"$edges")"
if [[ -n "$upward" ]]; then
  echo "kernel/arch depends on generic kernel packages (pass a hook in, kernel/arch/kernel_services.h):"
  echo "$upward"
  status=1
fi
# The "## Package graph" block of the document: lines "package: dependency...".
documented="$(awk '/^## Package graph/ { in_section = 1 }
  in_section && /^```/ { fences++; next }
  in_section && fences == 1 && /^kernel[^ ]*:/ {
    package = $1; sub(/:$/, "", package)
    for (i = 2; i <= NF; i++) if ($i ~ /^kernel/) print package, $i
  }
  fences >= 2 { exit }' "$2" | sort -u)"
if [[ "$documented" != "$edges" ]]; then
  echo "docs/kernel-arch.md's package graph is out of date (< documented, > actual):"
  diff <(echo "$documented") <(echo "$edges") || true
  status=1
fi
echo "$(wc -l <<<"$edges") package dependencies checked"
exit $status
