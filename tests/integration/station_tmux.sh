#!/usr/bin/env bash
# `kesu station` on the host, driven as an operator would in an 80x25 terminal (tmux send-keys,
# capture-pane), with its data directory on tmpfs (/dev/shm) holding a station key made by
# `kesu key init`. Three loop devices over image files made here: two drives full of a marker,
# and a "stick" whose filesystem is labelled KESU-DATA, which the station must never show.
# The operator selects the two drives, confirms by typing 2, waits for the summary and quits
# with Ctrl-C.
# Checked: both drives listed and the stick not; a third drive attached while the menu is shown
# appears in it (hot-swap) and, not selected, keeps its marker; a wrong count starts nothing;
# both markers gone, the stick unchanged; two certificates and the disposal report (a signed
# document) that `kesu cert verify --ca` accepts; the report (also verified with `openssl cms`
# against the CA, and its text) names both drives as erased and the third as not.
# The screens with the drives selected and at the end are kept as
# BUILD_DIR/station-tmux.{selected,done}.txt.
source "$(dirname "$0")/lib.sh"
need_loop
command -v tmux >/dev/null || skip "tmux is not installed (scripts/setup installs it)"
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 (e2fsprogs) is not installed"
command -v openssl >/dev/null || skip "openssl is not installed"

make_tmpdir dir
data="$dir/data"
mkdir -p "$data/keys" || fail "mkdir $data/keys"
printf 'station-tmux-pass\n' >"$dir/pass"
"$KESU" --config /dev/null key init "$data/keys" --passphrase-file "$dir/pass" >"$dir/key.out" 2>&1 ||
  fail "kesu key init: $(cat "$dir/key.out")"
cp "$dir/pass" "$data/keys/passphrase"
echo "BOOT_IMAGE=/boot/vmlinuz console=ttyS0,115200" >"$dir/cmdline"  # no kesu.unattended

SIZE=$((8 << 20))
fill_marker "$dir/a.img" "$SIZE" "KESU-TMUX-A-$$"
fill_marker "$dir/b.img" "$SIZE" "KESU-TMUX-B-$$"
fill_marker "$dir/c.img" "$SIZE" "KESU-TMUX-C-$$"
truncate -s "$SIZE" "$dir/stick.img"
mkfs.ext4 -q -F -L KESU-DATA "$dir/stick.img" || fail "mkfs.ext4 on the stick image"
stick_sum=$(sha256sum <"$dir/stick.img")
loop_attach A "$dir/a.img"
loop_attach B "$dir/b.img"
loop_attach S "$dir/stick.img"
note "drives $A $B, stick $S"

# A private tmux server (its own socket), killed at exit.
TMUX_SOCK="kesu-station-test-$$"
tm() { tmux -L "$TMUX_SOCK" "$@"; }
on_exit tmux -L "$TMUX_SOCK" kill-server
tm new-session -d -s station -x 80 -y 25 \
  "TERM=xterm '$KESU' --config /dev/null station --data-dir '$data' --cmdline '$dir/cmdline' \
   --log '$dir/station.log'; echo \$? >'$dir/rc'; sleep 3600" || fail "tmux new-session"
screen() { tm capture-pane -p -t station; }
# wait_for TEXT: until the screen shows TEXT (at most 120 s: the condition, not the time, is
# what the test checks).
wait_for() {
  local i
  for ((i = 0; i < 240; i++)); do
    screen | grep -q -F -- "$1" && return 0
    [[ -f $dir/rc ]] && fail "the station exited ($(cat "$dir/rc")) before showing '$1': $(cat "$dir/station.log" 2>/dev/null)"
    sleep 0.5
  done
  fail "the screen never showed '$1'; it shows:
$(screen)"
}
row_of() {  # row_of DEV: the number the station gives DEV's line
  screen | awk -v d="$1" '$3 == d || $4 == d {print ($1 == "[" ? $3 : $2); exit}'
}

wait_for "$A "
wait_for "$B "
screen >"$dir/list.txt"
grep -q -F "$S " "$dir/list.txt" && fail "the KESU-DATA stick $S is offered:
$(cat "$dir/list.txt")"
grep -q "kesu station - " "$dir/list.txt" || fail "no title line: $(cat "$dir/list.txt")"
ra=$(row_of "$A")
rb=$(row_of "$B")
[[ $ra =~ ^[0-9]+$ && $rb =~ ^[0-9]+$ ]] || fail "cannot find the rows of $A ($ra) and $B ($rb):
$(cat "$dir/list.txt")"
note "rows: $A is $ra, $B is $rb"

# Hot-swap: a drive attached now shows up (rows are appended, so A's and B's numbers stay).
loop_attach C "$dir/c.img"
wait_for "$C "
note "$C appeared in the menu"

# The cursor starts on row 1. Select A, then B.
press() { tm send-keys -t station "$@"; }
down() { local n=$1; while ((n-- > 0)); do press Down; done; }
down $((ra - 1))
press Space
if ((rb > ra)); then down $((rb - ra)); else for ((n = ra - rb; n > 0; n--)); do press Up; done; fi
press Space
wait_for "[x] $(printf '%2d' "$rb") $B"
wait_for "[x] $(printf '%2d' "$ra") $A"
screen >"$BUILD_DIR/station-tmux.selected.txt"

# A wrong count starts nothing.
press e
wait_for "Type the number of drives selected"
press 3 Enter
wait_for "Not erased: you typed '3', but 2 drives are selected."
[[ $(count_marker "$dir/a.img" "KESU-TMUX-A-$$") -gt 0 ]] || fail "a wrong count erased $A"

press e
wait_for "Type the number of drives selected"
press 2 Enter
wait_for "Done: 2 erased and certified, 0 failed"
screen >"$dir/done.txt"
cp "$dir/done.txt" "$BUILD_DIR/station-tmux.done.txt"
grep -q -F "$S " "$dir/done.txt" && fail "the stick $S is shown after the erasure"
# Ctrl-C when nothing runs quits as q does: the screen restored, the report written, exit 0.
press C-c
for ((i = 0; i < 120; i++)); do [[ -f $dir/rc ]] && break; sleep 0.5; done
[[ -f $dir/rc ]] || fail "the station did not quit on Ctrl-C: $(screen)"
[[ $(cat "$dir/rc") == 0 ]] || fail "the station exited $(cat "$dir/rc"): $(tail -n 20 "$dir/station.log")"

[[ $(count_marker "$dir/a.img" "KESU-TMUX-A-$$") -eq 0 ]] || fail "the marker is still on $A"
[[ $(count_marker "$dir/b.img" "KESU-TMUX-B-$$") -eq 0 ]] || fail "the marker is still on $B"
[[ $(sha256sum <"$dir/stick.img") == "$stick_sum" ]] || fail "the stick image changed"
[[ $(count_marker "$dir/c.img" "KESU-TMUX-C-$$") -gt 0 ]] || fail "$C was not selected but lost its marker"

shopt -s nullglob
reports=("$data"/certificates/*_disposal-report_*.json)
((${#reports[@]} == 1)) || fail "expected one disposal report, found: $(ls -R "$data")"
r=${reports[0]}
certs=()
for c in "$data"/certificates/*.json; do [[ $c == "$r" ]] || certs+=("$c"); done
((${#certs[@]} == 2)) || fail "expected 2 certificates, found: ${certs[*]}"
"$KESU" --config /dev/null cert verify --ca "$data/keys/ca.pem" "${certs[@]}" "$r" >"$dir/verify.out" 2>&1 ||
  fail "kesu cert verify: $(cat "$dir/verify.out")"
openssl cms -verify -binary -inform DER -in "$r.p7s" -content "$r" -CAfile "$data/keys/ca.pem" \
  -out /dev/null 2>"$dir/cms.err" || fail "openssl cms -verify of the report: $(cat "$dir/cms.err")"
for dev in "$A" "$B"; do
  jq -e --arg d "$dev" '.kind == "disposal-report" and
    any(.body.drives[]; .path == $d and .erased and .outcome == "success" and .certificate_id != "")' \
    "$r" >/dev/null || fail "the report does not name $dev as erased: $(cat "$r")"
done
jq -e --arg d "$S" 'all(.body.drives[]; .path != $d)' "$r" >/dev/null || fail "the report lists the stick"
# The host's own disk (refused) and the unselected drive are in it too, so it is "partial".
jq -e --arg d "$C" '.outcome.result == "partial" and any(.body.drives[]; .path == $d and (.erased | not))' \
  "$r" >/dev/null || fail "the report does not name $C as not erased, or is not partial: $(cat "$r")"
[[ -f ${r%.json}.txt ]] || fail "no text report beside $r"
grep -q "kesu-station: result $A .*success" "$dir/station.log" || fail "the log has no result for $A"
note "PASS: two drives erased and certified from the menu; the stick never offered"
cat "$dir/done.txt"
