#!/usr/bin/env bash
# The USB image's station program finds the stick and the drives through
# bootable-image/kesu-list-tsv, which turns `kesu list --json` into tab-separated lines. On an
# image file with a GPT holding an unlabelled partition and FAT32 partitions labelled KESU-BOOT
# and KESU-DATA (made with sgdisk and mkfs.fat, as the image builder does), it must print one
# `part` line per partition with its label and filesystem, after them one `disk` line with the
# path, transport, removable and erasable flags, an empty serial (JSON null), and the reason
# when kesu refuses the target. No root needed.
source "$(dirname "$0")/lib.sh"
command -v sgdisk >/dev/null || skip "sgdisk is not installed (scripts/setup --image)"
command -v mkfs.fat >/dev/null || skip "mkfs.fat is not installed (scripts/setup --image)"
TSV="$SOURCE_DIR/bootable-image/kesu-list-tsv"

make_tmpdir dir
img="$dir/stick.img"
truncate -s 80M "$img"
sgdisk -o -n 1:2048:4095 -t 1:EF02 -n 2:4096:+36M -t 2:EF00 -n 3:0:+36M -t 3:0700 "$img" \
  >/dev/null || fail "sgdisk"
for p in "2 KESU-BOOT" "3 KESU-DATA"; do
  set -- $p
  start=$(sgdisk -i "$1" "$img" | awk '/First sector/{print $3}')
  mkfs.fat -F 32 -s 1 -n "$2" -C "$dir/fs$1" $((36 * 1024)) >/dev/null || fail "mkfs.fat $2"
  dd if="$dir/fs$1" of="$img" bs=512 seek="$start" conv=notrunc status=none || fail "dd $2"
done

"$KESU" --config /dev/null list --json "$img" >"$dir/list.json" 2>"$dir/err" ||
  fail "kesu list: $(cat "$dir/err")"
awk -f "$TSV" <"$dir/list.json" >"$dir/list.tsv" || fail "kesu-list-tsv failed"
note "$(cat "$dir/list.tsv")"
t=$'\t'
expect_eq "line count" "$(wc -l <"$dir/list.tsv")" 4
expect_eq "partition 1" "$(sed -n 1p "$dir/list.tsv")" "part$t$img$t$t$t"
expect_eq "partition 2" "$(sed -n 2p "$dir/list.tsv" | cut -f1,2,4,5)" "part$t$img${t}KESU-BOOT${t}vfat"
expect_eq "partition 3" "$(sed -n 3p "$dir/list.tsv" | cut -f1,2,4,5)" "part$t$img${t}KESU-DATA${t}vfat"
expect_eq "disk" "$(sed -n 4p "$dir/list.tsv" | cut -f1-6)" "disk$t$img${t}file${t}false$t$(jq -r '.devices[0].erasable' "$dir/list.json")$t"

# A refused target: its reason is the last field, quotes and all.
chmod 0444 "$img"
"$KESU" --config /dev/null list --json "$img" >"$dir/ro.json" 2>"$dir/err" || fail "kesu list (read-only)"
reason=$(jq -r '.devices[0].refusal // ""' "$dir/ro.json")
if [[ -n $reason ]]; then
  expect_eq "refusal" "$(awk -f "$TSV" <"$dir/ro.json" | awk -F'\t' '$1 == "disk" {print $5 "|" $7}')" "false|$reason"
fi
echo "PASS: $TEST_NAME"
