#!/usr/bin/env bash
# The safety gate: `kesu erase` refuses a loop device whose filesystem is mounted, and a loop
# device one of whose partitions is mounted, with exit 3 and one line naming the mount point;
# not a byte of the device changes.
source "$(dirname "$0")/lib.sh"
need_loop
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 (e2fsprogs) is not installed"
command -v sfdisk >/dev/null || skip "sfdisk (fdisk) is not installed"

SIZE=$((64 << 20))
MARKER="KESU-MOUNTED-MARKER-$$"
make_tmpdir dir

# expect_refused DEV MOUNTPOINT BACKING WHAT
expect_refused() {
  local dev=$1 mnt=$2 backing=$3 what=$4 before after lines
  sync
  before=$(sha256sum <"$backing")
  run_kesu "$dir/out" "$dir/err" erase "$dev" --method zero --yes
  expect_rc 3 "$what" "$dir/out" "$dir/err"
  grep -qF -- "$mnt" "$dir/err" || fail "$what: the refusal does not name the mount point $mnt: $(cat "$dir/err")"
  lines=$(grep -c . "$dir/err")
  expect_eq "$what: lines on stderr ($(tr '\n' '|' <"$dir/err"))" "$lines" 1
  note "$what: $(cat "$dir/err")"
  sync
  after=$(sha256sum <"$backing")
  expect_eq "$what: backing file checksum" "$after" "$before"
  [[ $(count_marker "$backing" "$MARKER") -gt 0 ]] || fail "$what: the marker is gone"
  cmp -s "$mnt/secret.txt" <(yes "$MARKER" | head -c $((4 << 20))) ||
    fail "$what: $mnt/secret.txt changed"
}

# A whole-device filesystem, mounted.
truncate -s "$SIZE" "$dir/whole"
loop_attach dev "$dir/whole"
mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$dev" || fail "mkfs.ext4 $dev failed"
mount_at "$dev" "$dir/mnt-whole" -o noatime
yes "$MARKER" | head -c $((4 << 20)) >"$dir/mnt-whole/secret.txt"
expect_refused "$dev" "$dir/mnt-whole" "$dir/whole" "mounted filesystem on $dev"

# A partitioned device with its second partition mounted: the whole disk is refused.
truncate -s "$SIZE" "$dir/parted"
printf 'label: gpt\n,16MiB\n,\n' | sfdisk -q "$dir/parted" || fail "sfdisk on $dir/parted failed"
loop_attach pdev "$dir/parted" -P
# Kernels without the MBR/GPT parsers add no partitions on their own: add them through BLKPG.
[[ -b ${pdev}p2 ]] || partx -a "$pdev" || fail "partx -a $pdev failed"
on_exit partx -d "$pdev"
for ((i = 0; i < 50; i++)); do [[ -b ${pdev}p2 ]] && break; sleep 0.1; done
[[ -b ${pdev}p2 ]] || skip "no partition device ${pdev}p2 after losetup -P and partx -a"
mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "${pdev}p2" || fail "mkfs.ext4 ${pdev}p2 failed"
mount_at "${pdev}p2" "$dir/mnt-part" -o noatime
yes "$MARKER" | head -c $((4 << 20)) >"$dir/mnt-part/secret.txt"
expect_refused "$pdev" "$dir/mnt-part" "$dir/parted" "mounted partition ${pdev}p2 of $pdev"
note "ok"
