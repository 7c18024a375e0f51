#!/usr/bin/env bash
# Bad usage of `kesu erase` exits 2 with a one-line reason and writes nothing: an unknown method,
# `--verify none` with a method that does not permit it, a directory as target, a missing
# target, a malformed --verify value, no target at all. The image named alongside stays byte for byte the same.
source "$(dirname "$0")/lib.sh"

SIZE=$((4 << 20))
MARKER="KESU-ERASE-USAGE-MARKER-$$"
make_tmpdir dir
img="$dir/disk.img"
fill_marker "$img" "$SIZE" "$MARKER"
before=$(sha256sum <"$img")
mkdir "$dir/adir"

expect_usage() {
  local what=$1
  shift
  run_kesu "$dir/out" "$dir/err" erase "$@"
  expect_rc 2 "$what" "$dir/out" "$dir/err"
  [[ -s "$dir/err" ]] || fail "$what: exit 2 without a message on stderr"
  note "$what: $(head -n 1 "$dir/err")"
  expect_eq "$what: image content after the refused command" "$(sha256sum <"$img")" "$before"
}

expect_usage "unknown method" "$img" --method no-such-method-$$ --yes
grep -q "no-such-method-$$" "$dir/err" || fail "unknown method: the message does not name the method"
expect_usage "--verify none with dod-5220.22-m" "$img" --method dod-5220.22-m --verify none --yes
expect_usage "a directory as target" "$dir/adir" --method zero --yes
grep -qF "$dir/adir" "$dir/err" || fail "a directory as target: the message does not name $dir/adir"
expect_usage "a directory among the targets" "$img" "$dir/adir" --method zero --yes
expect_usage "a target that does not exist" "$dir/missing.img" --method zero --yes
expect_usage "malformed --verify" "$img" --method zero --verify sometimes --yes
expect_usage "no target" --method zero --yes
: >"$dir/afile"
expect_usage "an unwritable --result-dir" "$img" --method zero --yes --result-dir "$dir/afile/sub"
grep -q -- "--result-dir" "$dir/err" || fail "unwritable --result-dir: the message does not name the option"
note "ok"
