#!/usr/bin/env bash
# `kesu erase` on a loop device holding an ext4 filesystem with a file full of a marker: after
# `zero` the marker is gone, every byte reads zero and blkid finds nothing; after `random` with
# full verification the same, and the verification digest is the device's real content.
source "$(dirname "$0")/lib.sh"
need_loop
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 (e2fsprogs) is not installed"
command -v blkid >/dev/null || skip "blkid is not installed"

SIZE=$((128 << 20))
MARKER="KESU-ERASE-LOOP-MARKER-$$"
make_tmpdir dir
backing="$dir/backing"
truncate -s "$SIZE" "$backing"
loop_attach dev "$backing"

# make_fs: a fresh ext4 on the loop device with a 16 MiB file of marker lines, unmounted.
make_fs() {
  mkfs.ext4 -q -F "$dev" || fail "mkfs.ext4 $dev failed"
  mount_at "$dev" "$dir/mnt"
  yes "$MARKER" | head -c $((16 << 20)) >"$dir/mnt/secret.txt"
  umount "$dir/mnt" || fail "umount $dir/mnt failed"
  [[ $(count_marker "$backing" "$MARKER") -gt 0 ]] || fail "setup: marker not found in $backing"
  [[ $(blkid -p -o value -s TYPE "$dev") == ext4 ]] || fail "setup: blkid does not see ext4 on $dev"
}

# expect_no_fs WHAT: blkid's low-level probe finds no signature on the device.
expect_no_fs() {
  blockdev --flushbufs "$dev"
  local found
  found=$(blkid -p -o export "$dev" 2>/dev/null)
  [[ -z "$found" ]] || fail "$1: blkid still finds a signature on $dev: $(tr '\n' ' ' <<<"$found")"
}

make_fs
run_kesu "$dir/out" "$dir/err" erase "$dev" --method zero --yes --json
expect_rc 0 "erase $dev --method zero" "$dir/out" "$dir/err"
res=$(result_of "$dir/out" "$dev")
expect_success_record "$res" "$SIZE" "zero on loop"
expect_eq "zero on loop: marker lines left in the backing file" "$(count_marker "$backing" "$MARKER")" 0
expect_zero "$backing" "$SIZE" "zero on loop (backing file)"
expect_no_fs "zero on loop"

make_fs
run_kesu "$dir/out" "$dir/err" erase "$dev" --method random --verify full --yes --json
expect_rc 0 "erase $dev --method random --verify full" "$dir/out" "$dir/err"
res=$(result_of "$dir/out" "$dev")
expect_success_record "$res" "$SIZE" "random on loop"
expect_eq "random on loop: bytes verified" "$(field "$res" .verification.bytes_read)" "$SIZE"
expect_eq "random on loop: marker lines left" "$(count_marker "$backing" "$MARKER")" 0
cmp -s -n "$SIZE" "$backing" /dev/zero && fail "random on loop: the device is all zero"
expect_no_fs "random on loop"
expect_sha_matches "$res" "$backing" "random on loop"
note "ok"
