#!/usr/bin/env bash
# What `kesu erase` opens as an image file: only a regular file, opened once and judged by
# what was opened. A FIFO, a directory, a character device (/dev/zero) and a symlink whose
# target is a FIFO are refused with one line (exit 2, bad input) before anything is opened
# for writing; a FIFO is never opened (kesu would hang on it). A symlink to a regular image is
# followed once, at description: the prompt and the record name the real path.
source "$(dirname "$0")/lib.sh"
make_tmpdir dir

mkfifo "$dir/fifo" || fail "mkfifo failed"
mkdir "$dir/adir"
ln -s "$dir/fifo" "$dir/fifo-link"
truncate -s $((1 << 20)) "$dir/real.img"
ln -s "$dir/real.img" "$dir/real-link.img"

# refused TARGET WANT: exit 2 and one line containing WANT.
refused() {
  run_kesu "$dir/out" "$dir/err" erase "$1" --method zero --yes
  expect_rc 2 "$1" "$dir/out" "$dir/err"
  expect_eq "$1: lines on stderr ($(tr '\n' '|' <"$dir/err"))" "$(grep -c . "$dir/err")" 1
  grep -qF -- "$2" "$dir/err" || fail "$1: the message does not say '$2': $(cat "$dir/err")"
  note "$(cat "$dir/err")"
}
refused "$dir/fifo" "is not a block device or a regular image file"
refused "$dir/fifo-link" "is not a block device or a regular image file"
refused "$dir/adir" "is a directory"
refused /dev/zero "is not a block device or a regular image file"

# Through a symlink: erased, and recorded under the real path.
run_kesu "$dir/out" "$dir/err" erase "$dir/real-link.img" --method zero --yes --json
expect_rc 0 "image named through a symlink" "$dir/out" "$dir/err"
res=$(result_of "$dir/out" "$dir/real.img")
expect_eq "recorded path" "$(field "$res" .device.path)" "$dir/real.img"
[[ -L $dir/real-link.img ]] || fail "the symlink itself was replaced"
note "ok"

# An image under a path longer than PATH_MAX (4096) cannot be named canonically: refused with
# one line (exit 2) before anything is opened for writing; its contents stay.
(
  cd "$dir" || exit 1
  for _ in $(seq 45); do mkdir "d$(printf '%0100d' 0)" && cd "d$(printf '%0100d' 0)" || exit 1; done
  fill_marker img $((1 << 20)) KESU-LONG-PATH
  "$KESU" --config /dev/null erase ./img --method zero --yes --cert-dir "$dir/certs-long" \
    >"$dir/out" 2>"$dir/err"
  echo "$?" >"$dir/rc"
  count_marker img KESU-LONG-PATH >"$dir/left"
)
expect_eq "long path: exit code ($(cat "$dir/err"))" "$(cat "$dir/rc")" 2
expect_eq "long path: lines on stderr" "$(grep -c . "$dir/err")" 1
grep -qF "File name too long" "$dir/err" || fail "long path: $(cat "$dir/err")"
expect_eq "long path: marker lines left" "$(cat "$dir/left")" $(((1 << 20) / 15))
note "long path: $(cat "$dir/err")"
