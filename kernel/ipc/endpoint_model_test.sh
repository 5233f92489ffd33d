#!/bin/bash
# kernel/ipc/endpoint_model_test.sh — model-checks endpoint.pml with SPIN: the full model must
# have no error (assertions, invalid end states) over its whole state space, and each injected
# fault (MUTANT_*) must be caught, which shows the properties can fail.
# Usage: endpoint_model_test.sh SPIN CLANG MODEL
set -euo pipefail
spin=$(realpath "$1") clang=$(realpath "$2") model=$(realpath "$3")
work="${TEST_TMPDIR:-$(mktemp -d)}/spin"
rm -rf "$work" && mkdir -p "$work"

# check NAME OPT DEFINES... : builds the verifier with clang -OPT and runs it; prints its report
# to NAME.log. The optimisation level changes how fast pan searches, never what it checks: the
# full model (millions of states) is worth -O2's compile time (~5 s of CPU); a mutant's search
# stops at its first error after at most a few thousand states, so it is compiled at -O0
# (~0.6 s instead of ~5 s each).
check() {
  local name=$1 opt=$2
  shift 2
  mkdir -p "$work/$name"
  (
    cd "$work/$name"
    "$spin" "-P$clang -E -x c" "$@" -a "$model" >spin.log 2>&1 || { cat spin.log; exit 2; }
    "$clang" "-$opt" -w -DSAFETY -DCOLLAPSE -DVECTORSZ=2048 -o pan pan.c
    ./pan -m200000 >"$work/$name.log" 2>&1 || true
  )
}

errors() { sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$work/$1.log"; }

failed=0
check model O2
if [ "$(errors model)" != "0" ] || grep -q "Search not completed" "$work/model.log"; then
  echo "FAIL: the endpoint model has errors or was not searched completely:"
  cat "$work/model.log"
  failed=1
else
  echo "ok: endpoint model: $(grep -m1 'states, stored' "$work/model.log" | xargs), errors: 0"
fi

for mutant in LOST_CALL WRONG_REPLY NO_STRAND COPY_CAP NO_ORPHAN REJECT_TAKES_CAP; do
  check "$mutant" O0 "-DMUTANT_$mutant" -DROUNDS=1
  n=$(errors "$mutant")
  if [ -z "$n" ] || [ "$n" = "0" ]; then
    echo "FAIL: injected fault MUTANT_$mutant was not caught:"
    cat "$work/$mutant.log"
    failed=1
  else
    echo "ok: MUTANT_$mutant caught: $(grep -m1 -E 'assertion violated|invalid end state' "$work/$mutant.log")"
  fi
done
exit $failed
