#!/usr/bin/env bash
# A loop device's backing file is identified by device and inode (LOOP_GET_STATUS64), not by
# the path sysfs shows: with the file moved under a directory more than 4 KiB deep, sysfs
# cannot give its path, yet erasing the file through a hard link in a short directory is
# refused (exit 3, one line naming the loop device) while the loop's filesystem is mounted,
# and not a byte of the file changes. So is erasing through the deep path itself, and a
# second loop device over the same file.
source "$(dirname "$0")/lib.sh"
need_loop
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 (e2fsprogs) is not installed"

SIZE=$((32 << 20))
MARKER="KESU-DEEP-MARKER-$$"
make_tmpdir dir

truncate -s "$SIZE" "$dir/image.img"
mkfs.ext4 -q -F "$dir/image.img" || fail "mkfs.ext4 failed"
ln "$dir/image.img" "$dir/link.img" || fail "cannot hard-link $dir/image.img"
loop_attach dev "$dir/image.img"
mount_at "$dev" "$dir/mnt" -o noatime
yes "$MARKER" | head -c $((1 << 20)) >"$dir/mnt/secret.txt"
sync

# A directory chain longer than PATH_MAX (4096), built one relative step at a time, and the
# loop's file moved to its bottom (the loop follows the file, and sysfs its new path).
component=$(printf 'd%.0s' {1..200})
(
  cd "$dir" || exit 1
  for ((i = 0; i < 25; i++)); do mkdir "$component" && cd "$component" || exit 1; done
  mv "$dir/image.img" ./image.img
) || fail "cannot build the deep directory"
backing_text=$(cat "/sys/block/$(basename "$dev")/loop/backing_file" 2>/dev/null) || true
note "sysfs backing_file of $dev now reads '${backing_text:0:60}...' (${#backing_text} bytes)"

run_kesu "$dir/out" "$dir/err" erase "$dir/link.img" --method zero --yes
expect_rc 3 "hard link to the deep backing file of mounted $dev" "$dir/out" "$dir/err"
expect_eq "lines on stderr ($(tr '\n' '|' <"$dir/err"))" "$(grep -c . "$dir/err")" 1
grep -qF "backs loop device $dev" "$dir/err" || fail "the refusal does not name $dev: $(cat "$dir/err")"
note "$(cat "$dir/err")"
sync
[[ $(count_marker "$dir/link.img" "$MARKER") -gt 0 ]] || fail "the marker is gone from the image"
cmp -s "$dir/mnt/secret.txt" <(yes "$MARKER" | head -c $((1 << 20))) || fail "$dir/mnt/secret.txt changed"

# A second loop device over the same file (through the hard link) is refused too: the file
# backs $dev, found by device and inode.
loop_attach second "$dir/link.img"
run_kesu "$dir/out" "$dir/err" erase "$second" --method zero --yes
expect_rc 3 "second loop device over the deep file" "$dir/out" "$dir/err"
grep -qF "backs loop device $dev" "$dir/err" || fail "the refusal does not name $dev: $(cat "$dir/err")"
note "$(cat "$dir/err")"
[[ $(count_marker "$dir/link.img" "$MARKER") -gt 0 ]] || fail "the marker is gone from the image"
note "ok"
