#!/bin/bash
# toolchains/rules/update_fuzz_corpus.sh — regenerates the checked-in corpus of a fuzz_test
# (PKG/testdata/fuzz_corpus/NAME/, replayed by every `bazel test` run before its short run of
# new inputs): runs the fuzzer for RUNS inputs from seed 1, starting from its seeds and the
# current corpus, then keeps the smallest set of inputs with the same coverage (-merge=1).
# Run it from the workspace root after changing a fuzzed library or its fuzzer:
#   toolchains/rules/update_fuzz_corpus.sh //lib/ustar:ustar_fuzzer 100000
set -euo pipefail
label=${1:?usage: update_fuzz_corpus.sh //PKG:NAME [RUNS]} runs=${2:-100000}
pkg=${label#//}
pkg=${pkg%%:*}
name=${label##*:}
dest=$pkg/testdata/fuzz_corpus/$name
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/found" "$work/merged"
# The long run: run_fuzzer.sh passes these arguments on; new inputs land in the first directory.
./bazelw run "//$pkg:$name" -- "-runs=$runs" -seed=1 "$work/found"
fuzzer=bazel-bin/$pkg/${name}_instrumented
old=()
[ -d "$dest" ] && old=("$dest")
"$fuzzer" -merge=1 "$work/merged" "$work/found" "${old[@]}"
rm -rf "$dest"
mkdir -p "$dest"
cp "$work/merged"/* "$dest"/
echo "$dest: $(ls "$dest" | wc -l) inputs, $(du -sk "$dest" | cut -f1) KiB"
