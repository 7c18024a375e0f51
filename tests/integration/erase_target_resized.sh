#!/usr/bin/env bash
# A target whose size changes during the erasure is not certified: a loop device grown
# (backing file extended, `losetup -c`) while kesu writes it ends with outcome failed, exit 1,
# and an error naming both sizes. The loop device is throttled through a blkio cgroup of the
# test's own (only the kesu process is placed in it) so that the erasure lasts seconds.
source "$(dirname "$0")/lib.sh"
need_loop

SIZE=$((128 << 20))
GROWN=$((SIZE + (16 << 20)))
BPS=$((32 * 1000 * 1000))  # about 4 s for the whole device
make_tmpdir dir
blkio_cgroup cg

truncate -s "$SIZE" "$dir/disk.img"
loop_attach dev "$dir/disk.img"
throttle "$cg" "$dev" "$BPS" "$BPS"
base=$(sectors_written "$dev")
start_in_cgroup pid "$cg" "$dir/out" "$dir/err" "$KESU" erase "$dev" --method zero --verify full --yes --json --cert-dir "$dir/certs"
note "kesu erase $dev (pid $pid); growing it once writing has begun"
for ((i = 0; i < 150; i++)); do
  [[ $(sectors_written "$dev") -gt $((base + 2048)) ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$pid" 2>/dev/null || fail "kesu ended before the device could be grown: $(cat "$dir/err")"
truncate -s "$GROWN" "$dir/disk.img" || fail "cannot extend $dir/disk.img"
losetup -c "$dev" || fail "losetup -c $dev failed"
[[ $(blockdev --getsize64 "$dev") -eq $GROWN ]] || fail "$dev did not grow to $GROWN bytes"
kill -0 "$pid" 2>/dev/null || fail "kesu ended before the device grew; the test proves nothing"
note "$dev grown to $GROWN bytes while kesu writes"
wait_exit "$pid" 120 || fail "kesu still running 120 s later"
KESU_RC=$WAIT_RC
expect_rc 1 "erasure of a device that grew meanwhile" "$dir/out" "$dir/err"
res=$(result_of "$dir/out" "$dev")
[[ -n "$res" ]] || fail "no result record for $dev"
expect_eq "outcome" "$(field "$res" .outcome)" failed
field "$res" '.errors[]' | grep -qF "size changed during the erasure: $SIZE bytes at the start, $GROWN bytes at the end" ||
  fail "no error naming both sizes: $(field "$res" '.errors')"
note "$(field "$res" '.errors[-1]')"
note "ok"
