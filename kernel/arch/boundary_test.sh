#!/bin/bash
# kernel/arch/boundary_test.sh — fails when a kernel source outside kernel/arch/ includes an
# architecture internal (kernel/arch/x86_64/...) or contains inline assembly.
#
# Usage: boundary_test.sh MANIFEST... (kernel_sources manifests: "label<TAB>path" lines; the
# files are in the runfiles). Checks every file listed, i.e. everything linked into the images.
set -euo pipefail

violations=0
checked=0
while IFS=$'\t' read -r label path; do
  [[ -z "$path" ]] && continue
  case "$path" in kernel/arch/*) continue ;; esac
  checked=$((checked + 1))
  if grep -nE '#[[:space:]]*include[[:space:]]*[<"]kernel/arch/[^/">]+/' "$path" >/tmp/$$.hits; then
    while read -r hit; do
      echo "$path:$hit: includes an architecture internal; include a kernel/arch/<concern>.h interface ($label)"
    done </tmp/$$.hits
    violations=$((violations + 1))
  fi
  # `asm`/`__asm__` as a token, outside // comments.
  if sed -e 's|//.*$||' "$path" | grep -nE '(^|[^[:alnum:]_])(asm|__asm__|__asm)([^[:alnum:]_]|$)' >/tmp/$$.hits; then
    while read -r hit; do
      echo "$path:$hit: inline assembly outside kernel/arch ($label)"
    done </tmp/$$.hits
    violations=$((violations + 1))
  fi
done < <(sort -u -t$'\t' -k2,2 "$@")
rm -f /tmp/$$.hits

if [[ $checked -eq 0 ]]; then
  echo "no kernel sources outside kernel/arch in the manifests: the check saw nothing" >&2
  exit 1
fi
echo "$checked kernel source files outside kernel/arch checked, $violations with violations"
[[ $violations -eq 0 ]]
