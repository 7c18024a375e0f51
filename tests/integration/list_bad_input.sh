#!/usr/bin/env bash
# Bad input to kesu list gives one line on stderr and exit 2: an unknown option, a path that
# does not exist, a directory, a partition instead of its disk.
set -uo pipefail
BUILD=$1
KESU=$BUILD/kesu
source "$(dirname "$0")/lib_loop.bash"
kesu_tmpdir

check() {  # check WANT_SUBSTRING ARGS...
  local want=$1; shift
  local err rc
  err=$("$KESU" "$@" 2>&1 >/dev/null); rc=$?
  [[ $rc == 2 ]] || fail "kesu $*: exit $rc, want 2 ($err)"
  [[ $(wc -l <<<"$err") == 1 ]] || fail "kesu $*: more than one line: $err"
  [[ $err == *"$want"* ]] || fail "kesu $*: '$err' lacks '$want'"
}

check "--bogus" list --bogus
check "no such device or image file" list "$KESU_TMP/missing"
check "is a directory; name a block device or an image file" list "$KESU_TMP"

# An image file is a target: listed with transport file.
truncate -s 1M "$KESU_TMP/img"
out=$("$KESU" list --json "$KESU_TMP/img") || fail "image file"
[[ $(python3 -c 'import json,sys; d=json.load(sys.stdin)["devices"][0]; print(d["tran"], d["erasable"])' <<<"$out") == "file True" ]] ||
  fail "image: $out"

if [[ $(id -u) -eq 0 && -e /dev/loop-control ]] && command -v sfdisk >/dev/null; then
  kesu_make_loop 8
  dev=$KESU_DEV
  check "name the whole disk $dev" list "${dev}p1"
fi
echo PASS
