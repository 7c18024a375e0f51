#!/usr/bin/env bash
# `kesu erase --work-order` on a loop device (no serial: matched by its backing file's name):
# each refusal (method not agreed, not on the order, instruction hold / return-unerased,
# overdue, a flag contradicting the order, an unknown key) exits with its code and one line,
# leaves the device's bytes as they were and writes no certificate; --allow-overdue lets an
# overdue order through.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_work_order.bash"
need_loop

SIZE=$((8 << 20))
MARKER="KESU-WORK-ORDER-LOOP-MARKER-$$"
make_tmpdir dir
backing="$dir/S-LOOP-7.img"
fill_marker "$backing" "$SIZE" "$MARKER"
loop_attach dev "$backing"
[[ -z $(lsblk -dno SERIAL "$dev" 2>/dev/null | tr -d ' ') ]] || skip "$dev reports a serial here"
refusal_cases loop "$dev" "$backing" S-LOOP-7.img
note "ok"
