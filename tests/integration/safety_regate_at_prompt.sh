#!/usr/bin/env bash
# The whole gate runs again after confirmation, on the open descriptors: a filesystem mounted
# from the target while `kesu erase` waits at its prompt (typed through a pseudo-terminal)
# makes it refuse with exit 3 and one line, and not a byte of the filesystem changes.
#  1. an image file, mounted with `mount -o loop` while the prompt waits;
#  2. a loop device (kesu already holds it with O_EXCL, so it cannot be mounted itself): a
#     second loop device over the same backing file is attached and mounted meanwhile.
source "$(dirname "$0")/lib.sh"
need_loop
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 (e2fsprogs) is not installed"
command -v python3 >/dev/null || skip "python3 is not installed (scripts/setup installs it)"

SIZE=$((32 << 20))
MARKER="KESU-REGATE-MARKER-$$"
make_tmpdir dir

# at_prompt TARGET ACTION WHAT: runs `kesu erase TARGET` (no --yes) on a pseudo-terminal, runs
# the shell function ACTION while the prompt waits, then confirms. Sets KESU_RC, and AFTER to
# what kesu wrote on stderr after the prompt.
at_prompt() {
  local target=$1 action=$2 what=$3 state pid i
  state=$(mktemp -d "$dir/state.XXXXXX")
  start_bg pid python3 "$SOURCE_DIR/tests/integration/confirm_pty.py" "$state" -- \
    "$KESU" erase "$target" --method zero --cert-dir "$dir/certs"
  note "$what: kesu erase $target (pid $pid) waits at its prompt"
  for ((i = 0; i < 1200; i++)); do
    [[ -e $state/prompt || -e $state/rc ]] && break
    sleep 0.1
  done
  [[ -e $state/prompt ]] || fail "$what: kesu did not ask for confirmation: $(cat "$state/stderr" 2>/dev/null)"
  "$action"
  touch "$state/go"
  wait_exit "$pid" 120 || fail "$what: kesu still running 120 s after the confirmation"
  [[ -e $state/rc ]] || fail "$what: the pty driver ended without an exit status"
  KESU_RC=$(cat "$state/rc")
  AFTER=$(awk 'f { print; next } /to confirm: / { f = 1; sub(/.*to confirm: /, ""); print }' "$state/stderr")
  note "$what: exit $KESU_RC: $AFTER"
}

# expect_refused_intact WHAT BACKING WANT: exit 3, one line naming WANT, the marker still there.
expect_refused_intact() {
  local what=$1 backing=$2 want=$3
  [[ $KESU_RC -eq 3 ]] || fail "$what: kesu exited $KESU_RC, expected 3 (refused): $AFTER"
  expect_eq "$what: lines after the prompt" "$(grep -c . <<<"$AFTER")" 1
  grep -qF -- "$want" <<<"$AFTER" || fail "$what: the refusal does not say '$want': $AFTER"
  sync
  [[ $(count_marker "$backing" "$MARKER") -gt 0 ]] || fail "$what: the marker is gone from $backing"
}

put_marker() {
  head -c $((1 << 20)) <(yes "$MARKER") >"$1/secret.txt" || fail "cannot write $1/secret.txt"
  sync
}

# 1. An image file, mounted through `mount -o loop` at the prompt.
truncate -s "$SIZE" "$dir/image.img"
mkfs.ext4 -q -F "$dir/image.img" || fail "mkfs.ext4 $dir/image.img failed"
mount_image() {
  mount_at "$dir/image.img" "$dir/mnt-image" -o loop,noatime
  put_marker "$dir/mnt-image"
}
at_prompt "$dir/image.img" mount_image "image mounted at the prompt"
expect_refused_intact "image mounted at the prompt" "$dir/image.img" "backs loop device /dev/loop"

# 2. A loop device, whose backing file gets a second, mounted loop device at the prompt.
truncate -s "$SIZE" "$dir/backing.img"
mkfs.ext4 -q -F "$dir/backing.img" || fail "mkfs.ext4 $dir/backing.img failed"
loop_attach target "$dir/backing.img"
mount_second_loop() {
  loop_attach second "$dir/backing.img"
  mount_at "$second" "$dir/mnt-second" -o noatime
  put_marker "$dir/mnt-second"
}
at_prompt "$target" mount_second_loop "second loop over $target's file mounted at the prompt"
expect_refused_intact "second loop mounted at the prompt" "$dir/backing.img" "which backs loop device /dev/loop"
note "ok"
