#!/usr/bin/env bash
# Firmware methods on targets without drive firmware: `kesu erase` with nvme-format-user-data on
# a loop device and on an image file is refused with exit 2 and one line naming the target and
# the fix, nothing is written and no certificate is issued; `kesu list --json` gives both a
# "firmware-erase" object with no protocol and the reason.
source "$(dirname "$0")/lib.sh"
need_loop

SIZE=$((8 << 20))
MARKER="KESU-FIRMWARE-REFUSAL-$$"
make_tmpdir dir
fill_marker "$dir/image" "$SIZE" "$MARKER"
cp "$dir/image" "$dir/backing"
loop_attach dev "$dir/backing"
before=$(count_marker "$dir/backing" "$MARKER")

for target in "$dev" "$dir/image"; do
  file=$([[ $target == "$dev" ]] && echo "$dir/backing" || echo "$target")
  run_kesu "$dir/out" "$dir/err" erase "$target" --method nvme-format-user-data --yes
  expect_rc 2 "nvme-format-user-data on $target" "$dir/out" "$dir/err"
  expect_eq "$target: lines on stderr" "$(wc -l <"$dir/err")" 1
  grep -q "has no drive firmware to erase itself.*nothing was written" "$dir/err" ||
    fail "$target: the refusal does not say why: $(cat "$dir/err")"
  expect_eq "$target: marker lines after the refusal" "$(count_marker "$file" "$MARKER")" "$before"
  [[ -z $(ls "$dir/certs" 2>/dev/null) ]] || fail "$target: a refused erasure left certificates"

  run_kesu "$dir/list" "$dir/err" list --json "$target"
  expect_rc 0 "list --json $target" "$dir/list" "$dir/err"
  fw=$(jq -c '.devices[0]["firmware-erase"]' "$dir/list")
  expect_eq "$target: firmware-erase protocol" "$(jq -r .protocol <<<"$fw")" null
  expect_eq "$target: firmware-erase commands" "$(jq -c .commands <<<"$fw")" "[]"
  grep -q "no drive firmware" <<<"$fw" || fail "$target: firmware-erase gives no reason: $fw"
done
echo "PASS: firmware methods refused on a loop device and an image file, nothing written"
