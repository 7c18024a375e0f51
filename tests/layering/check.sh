#!/usr/bin/env bash
# The build refuses an upward include (docs/architecture.md, "Layers"). For every pair of layers
# L below U, a one-line file `#include "U/<header>"` is compiled with exactly the include path
# of the library kesu_L (its usage requirements, written by tests/CMakeLists.txt into
# BUILD/layering/L.include) and must fail as a missing file; and each layer's own headers
# must compile with that same path (the control: the failure is the include, not the setup).
# Also no source file may reach around the layers with a relative "../" include.
# Usage: check.sh BUILD_DIR SOURCE_DIR CXX_COMPILER
set -uo pipefail
build=$1 src=$2 cxx=$3
layers=(base crypto env config devices methods verify erase certs cli)
declare -A header=([base]=status.h [crypto]=sha256.h [env]=env.h [config]=config.h
  [devices]=device.h [methods]=method.h [verify]=sample_plan.h [erase]=engine.h
  [certs]=certificate.h [cli]=cli.h)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0 checked=0
flags_of() { sed 's/^/-I/' "$build/layering/$1.include"; }
for ((i = 0; i < ${#layers[@]}; i++)); do
  low=${layers[i]}
  mapfile -t flags < <(flags_of "$low")
  printf '#include "%s/%s"\n' "$low" "${header[$low]}" >"$work/own.cc"
  if ! out=$("$cxx" -std=c++20 -fsyntax-only "${flags[@]}" "$work/own.cc" 2>&1); then
    echo "FAIL: layer $low cannot include its own ${header[$low]}:"; echo "$out" | head -5
    fail=1
  fi
  for ((j = i + 1; j < ${#layers[@]}; j++)); do
    up=${layers[j]}
    printf '#include "%s/%s"\n' "$up" "${header[$up]}" >"$work/up.cc"
    checked=$((checked + 1))
    if out=$("$cxx" -std=c++20 -fsyntax-only "${flags[@]}" "$work/up.cc" 2>&1); then
      echo "FAIL: layer $low can include $up/${header[$up]} (an upward include builds)"
      fail=1
    elif ! grep -qE 'No such file|file not found' <<<"$out"; then  # gcc | clang
      echo "FAIL: $low including $up/${header[$up]} failed for another reason:"; echo "$out" | head -5
      fail=1
    fi
  done
done
if grep -rnE '#include "\.\./' "$src/src"; then
  echo "FAIL: a relative ../ include reaches around the layers"
  fail=1
fi
echo "layering: $checked upward includes refused, ${#layers[@]} layers see their own headers"
exit $fail
