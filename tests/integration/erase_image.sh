#!/usr/bin/env bash
# `kesu erase` on image files (no root needed): the marker pattern the test wrote is gone and the
# file reads back as the method's final pattern; the result record says success only when every
# pass wrote every byte; the verification digest is the region digest of what is actually in the file.
source "$(dirname "$0")/lib.sh"

SIZE=$((64 << 20))
MARKER="KESU-ERASE-IMAGE-MARKER-$$"
make_tmpdir dir
img="$dir/disk.img"

# --- zero: every byte is zero afterwards, and `kesu verify` agrees (and disagrees once a byte
# is changed, so the check is not vacuous).
fill_marker "$img" "$SIZE" "$MARKER"
run_kesu "$dir/out" "$dir/err" erase "$img" --method zero --yes --json
expect_rc 0 "erase --method zero" "$dir/out" "$dir/err"
res=$(result_of "$dir/out" "$img")
expect_success_record "$res" "$SIZE" "zero"
expect_eq "zero: size after erase" "$(stat -c %s "$img")" "$SIZE"
expect_zero "$img" "$SIZE" "zero"
expect_eq "zero: marker lines left" "$(count_marker "$img" "$MARKER")" 0

run_kesu "$dir/vout" "$dir/verr" verify "$img" --expect zero
expect_rc 0 "verify --expect zero after a zero erase" "$dir/vout" "$dir/verr"
printf '\xab' | dd of="$img" bs=1 seek=$((SIZE / 2 + 12345)) conv=notrunc status=none
run_kesu "$dir/vout" "$dir/verr" verify "$img" --expect zero
expect_rc 1 "verify --expect zero with one byte changed at $((SIZE / 2 + 12345))" "$dir/vout" "$dir/verr"

# --- random with full verification: no marker, not zero, and the digest kesu computed while
# verifying equals sha256sum of the file.
fill_marker "$img" "$SIZE" "$MARKER"
run_kesu "$dir/out" "$dir/err" erase "$img" --method random --verify full --yes --json
expect_rc 0 "erase --method random --verify full" "$dir/out" "$dir/err"
res=$(result_of "$dir/out" "$img")
expect_success_record "$res" "$SIZE" "random"
expect_eq "random: verification mode" "$(field "$res" .verification.mode)" full
expect_eq "random: bytes verified" "$(field "$res" .verification.bytes_read)" "$SIZE"
expect_eq "random: mismatched bytes" "$(field "$res" .verification.mismatched_bytes)" 0
expect_eq "random: marker lines left" "$(count_marker "$img" "$MARKER")" 0
cmp -s -n "$SIZE" "$img" /dev/zero && fail "random: the image is all zero"
expect_sha_matches "$res" "$img" "random"
first_digest=$(field "$res" .verification.content_sha256)

# A second random erase uses a fresh key: different content, different digest.
run_kesu "$dir/out" "$dir/err" erase "$img" --method random --verify full --yes --json
expect_rc 0 "second erase --method random" "$dir/out" "$dir/err"
res=$(result_of "$dir/out" "$img")
expect_success_record "$res" "$SIZE" "random again"
expect_sha_matches "$res" "$img" "random again"
[[ $(field "$res" .verification.content_sha256) != "$first_digest" ]] ||
  fail "random again: same content digest as the first random erase (key reused?)"

# --- dod-5220.22-m: three passes, each writing every byte, the last random and verified.
fill_marker "$img" "$SIZE" "$MARKER"
run_kesu "$dir/out" "$dir/err" erase "$img" --method dod-5220.22-m --yes --json
expect_rc 0 "erase --method dod-5220.22-m" "$dir/out" "$dir/err"
res=$(result_of "$dir/out" "$img")
expect_success_record "$res" "$SIZE" "dod-5220.22-m"
expect_eq "dod-5220.22-m: passes" "$(field "$res" '.passes | length')" 3
field "$res" '.passes[-1].pattern' | grep -qi random ||
  fail "dod-5220.22-m: last pass pattern is '$(field "$res" '.passes[-1].pattern')', expected random"
expect_eq "dod-5220.22-m: marker lines left" "$(count_marker "$img" "$MARKER")" 0
cmp -s -n "$SIZE" "$img" /dev/zero && fail "dod-5220.22-m: the image is all zero after a random last pass"
[[ $(field "$res" .verification.mode) != none ]] || fail "dod-5220.22-m: the method's verification was skipped"
if [[ $(field "$res" .verification.mode) == full ]]; then
  expect_sha_matches "$res" "$img" "dod-5220.22-m"
fi
note "ok"
