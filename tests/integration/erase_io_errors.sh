#!/usr/bin/env bash
# Real I/O errors from a block device: a loop device over a file on fuse_faultfs (a FUSE
# filesystem of the test's own that fails chosen byte ranges with EIO; the kernel here has no
# device-mapper, null_blk or scsi_debug). A write error and a read-back error must end `failed`
# (or `partial`), exit 1, with a recorded error at an offset inside the failing range; never
# `success`. The faultfs log proves the fault actually fired.
source "$(dirname "$0")/lib.sh"
need_fuse

SIZE=$((64 << 20))
FAIL_OFF=$((32 << 20))  # aligned to any block size kesu may use up to 32 MiB
FAIL_LEN=$((1 << 20))

# erase_on_faultfs NAME METHOD FAULT_OPTION...: erase a fresh faulty loop device; sets res.
erase_on_faultfs() {
  local name=$1 method=$2 img dev
  shift 2
  make_tmpdir fdir
  faultfs_start img "$fdir" "$SIZE" "$@"
  loop_attach dev "$img" --direct-io=off
  run_kesu "$fdir/out" "$fdir/err" erase "$dev" --method "$method" --verify full --yes --json
  note "$name: exit $KESU_RC; faultfs: $(grep -c EIO "$fdir/faultfs.log") injected errors"
  expect_rc 1 "$name" "$fdir/out" "$fdir/err"
  res=$(result_of "$fdir/out" "$dev")
  [[ -n "$res" ]] || fail "$name: no result record for $dev"
  case $(field "$res" .outcome) in
    failed | partial) ;;
    *) fail "$name: outcome '$(field "$res" .outcome)', expected failed or partial" ;;
  esac
  faultlog="$fdir/faultfs.log"
}

# A write that fails: zero, then random.
for method in zero random; do
  erase_on_faultfs "write EIO ($method)" "$method" --fail-write "$FAIL_OFF:$FAIL_LEN"
  grep -q "EIO write" "$faultlog" || fail "write EIO ($method): the fault never fired (no EIO write in the faultfs log)"
  expect_error_in "$res" "$FAIL_OFF" "$FAIL_LEN" "write EIO ($method)"
  if [[ $(field "$res" .outcome) == partial ]]; then
    expect_eq "write EIO ($method): partial lists skipped regions" \
      "$(field "$res" '[.passes[].skipped[]] | length > 0')" true
  fi
done

# Writes succeed, the read-back fails: verification must not pass over the unreadable region.
erase_on_faultfs "read-back EIO" zero --fail-read "$FAIL_OFF:$FAIL_LEN"
grep -q "EIO read" "$faultlog" || fail "read-back EIO: the fault never fired (no EIO read in the faultfs log)"
grep -q "EIO write" "$faultlog" && fail "read-back EIO: a write failed although only reads were set to fail"
expect_eq "read-back EIO: outcome" "$(field "$res" .outcome)" failed
expect_error_in "$res" "$FAIL_OFF" "$FAIL_LEN" "read-back EIO"
note "ok"
