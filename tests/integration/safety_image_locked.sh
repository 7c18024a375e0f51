#!/usr/bin/env bash
# A second kesu on the same image file: `kesu erase` takes a non-blocking exclusive flock(2) on
# an image file it opens for writing (block devices have O_EXCL instead), so another kesu
# erasing the same file, under any name, is refused (exit 3, one line, nothing written)
# instead of interleaving its passes. The other kesu is stood in for by flock(1) taking the
# same lock (a real one finishes a small image too fast to be caught in the act), reached
# through the file's own name and through a hard link.
source "$(dirname "$0")/lib.sh"
command -v flock >/dev/null || skip "flock (util-linux) not installed"
make_tmpdir dir

fill_marker "$dir/disk.img" $((4 << 20)) KESU-LOCK-MARKER
ln "$dir/disk.img" "$dir/hardlink.img"
# This shell holds the lock on a descriptor of its own (another open of the file, as another
# kesu would have), released by closing it below.
exec {lockfd}>>"$dir/disk.img"
flock -n "$lockfd" || fail "flock(1) could not take the lock"

for name in disk.img hardlink.img; do
  run_kesu "$dir/out" "$dir/err" erase "$dir/$name" --method zero --yes
  expect_rc 3 "$name while another holds the lock" "$dir/out" "$dir/err"
  expect_eq "$name: lines on stderr" "$(grep -c . "$dir/err")" 1
  grep -qF "in use by another kesu" "$dir/err" || fail "$name: $(cat "$dir/err")"
  note "$(cat "$dir/err")"
done
expect_eq "marker lines left" "$(count_marker "$dir/disk.img" KESU-LOCK-MARKER)" \
  "$(( (4 << 20) / 17 ))"
exec {lockfd}>&-

# Unlocked again: the erasure runs.
run_kesu "$dir/out" "$dir/err" erase "$dir/disk.img" --method zero --yes
expect_rc 0 "after the lock was released" "$dir/out" "$dir/err"
expect_eq "marker lines left after the erasure" "$(count_marker "$dir/disk.img" KESU-LOCK-MARKER)" 0
note "ok"
