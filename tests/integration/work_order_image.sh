#!/usr/bin/env bash
# `kesu erase --work-order` on an image file (matched by its file name): each refusal (method
# not agreed, file name not on the order, instruction hold / return-unerased, overdue, a flag
# contradicting the order, an unknown key) exits with its code and one line, leaves the image
# byte-for-byte as it was and writes no certificate; --allow-overdue lets an overdue order
# through.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_work_order.bash"

SIZE=$((8 << 20))
MARKER="KESU-WORK-ORDER-IMAGE-MARKER-$$"
make_tmpdir dir
img="$dir/intake-0042.img"
fill_marker "$img" "$SIZE" "$MARKER"
refusal_cases image "$img" "$img" intake-0042.img
note "ok"
