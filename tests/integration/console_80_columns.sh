#!/usr/bin/env bash
# The technician's console at 80 columns, on a pseudo-terminal sized 80x24: the confirmation
# prompt gives the size in binary units ("64 MiB", not bytes), the live progress is redrawn in
# place with no line wider than 80 columns, the run ends with the summary line, and `kesu
# list` fits too.
source "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip "python3 is needed to drive a pseudo-terminal"
make_tmpdir dir
# A long file name, so fitting has to shorten it on the terminal.
img="$dir/a-rather-long-image-name-that-a-technician-might-give-it.img"
truncate -s $((64 << 20)) "$img"
truncate -s $((1 << 30)) "$dir/b.img"

# The terminal output, one screen line per element: split at CR and LF, escape sequences
# (CSI, ECMA-48 5.4) removed.
screen_lines() {
  python3 -c '
import re, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
for piece in re.split(r"[\r\n]", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw)):
    print(piece)' "$1"
}

# wider_than_80 FILE: the lines of FILE wider than 80 columns (code points).
wider_than_80() {
  cat "$1" | python3 -c 'import sys; [print(l, end="") for l in sys.stdin if len(l.rstrip("\n")) > 80]'
}

note "kesu erase on an 80x24 pseudo-terminal"
python3 "$SOURCE_DIR/tests/integration/console_pty.py" "$dir/erase.tty" -- \
  "$KESU" erase "$img" --method gutmann --cert-dir "$dir/certs"
rc=$?
[[ $rc -eq 0 ]] || { screen_lines "$dir/erase.tty" | tail -n 20 >&2; fail "kesu erase exited $rc"; }
grep -aq "$(basename "$img"), 64 MiB" "$dir/erase.tty" ||
  fail "the prompt does not give the size as 64 MiB: $(grep -a 'about to erase' "$dir/erase.tty")"
grep -a 'about to erase' "$dir/erase.tty" >"$dir/prompt"
grep -q "bytes" "$dir/prompt" && fail "the prompt still counts bytes"
grep -aq $'\x1b\[2K' "$dir/erase.tty" || fail "progress was not redrawn in place"
# Whole files, never `screen_lines | grep -q`: grep -q stops reading early, and under
# pipefail the writer's SIGPIPE fails the pipeline.
screen_lines "$dir/erase.tty" >"$dir/erase.screen"
grep " pass [0-9]*/35 " "$dir/erase.screen" >"$dir/progress" ||
  fail "no progress line for 35 passes on the terminal"
# Prose (warnings, the prompt, the summary's paths) may wrap; the redrawn progress lines must
# not, or moving the cursor up would land on the wrong line.
wide=$(wider_than_80 "$dir/progress")
[[ -z $wide ]] || fail "progress lines wider than 80 columns on the terminal: $wide"
grep -q "^Summary: 1 of 1 succeeded, " "$dir/erase.screen" ||
  fail "no summary line: $(tail -n 3 "$dir/erase.screen")"
note "$(grep " pass 35/35 " "$dir/erase.screen" | tail -n 1)"

note "kesu list on an 80x24 pseudo-terminal"
python3 "$SOURCE_DIR/tests/integration/console_pty.py" "$dir/list.tty" -- "$KESU" list "$img" "$dir/b.img"
rc=$?
[[ $rc -eq 0 ]] || fail "kesu list exited $rc: $(screen_lines "$dir/list.tty")"
screen_lines "$dir/list.tty" >"$dir/list"
grep -q "^NAME .* TYPE .*ROTA .*ERASABLE" "$dir/list" || fail "no TYPE and ROTA columns: $(cat "$dir/list")"
wide=$(wider_than_80 "$dir/list")
[[ -z $wide ]] || fail "kesu list lines wider than 80 columns: $wide"
