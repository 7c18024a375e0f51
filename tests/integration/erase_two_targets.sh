#!/usr/bin/env bash
# Two targets in one `kesu erase` run (a loop device and an image file, then two loop devices)
# both end `success`, each with its own result record whose digest is its own content.
source "$(dirname "$0")/lib.sh"
need_loop

SIZE=$((64 << 20))
MARKER="KESU-TWO-TARGETS-MARKER-$$"
make_tmpdir dir
fill_marker "$dir/a" "$SIZE" "$MARKER"
fill_marker "$dir/b" "$SIZE" "$MARKER"
fill_marker "$dir/c.img" "$SIZE" "$MARKER"
loop_attach a "$dir/a"
loop_attach b "$dir/b"

# Two loop devices, random with full verification.
run_kesu "$dir/out" "$dir/err" erase "$a" "$b" --method random --verify full --yes --json
expect_rc 0 "erase $a $b --method random --verify full" "$dir/out" "$dir/err"
ra=$(result_of "$dir/out" "$a")
rb=$(result_of "$dir/out" "$b")
expect_success_record "$ra" "$SIZE" "$a"
expect_success_record "$rb" "$SIZE" "$b"
expect_sha_matches "$ra" "$dir/a" "$a"
expect_sha_matches "$rb" "$dir/b" "$b"
[[ $(field "$ra" .verification.content_sha256) != $(field "$rb" .verification.content_sha256) ]] ||
  fail "both targets hold the same random content (one key for two targets?)"
for f in a b; do
  expect_eq "marker lines left in $dir/$f" "$(count_marker "$dir/$f" "$MARKER")" 0
done
# The two erasures ran at the same time, not one after the other.
sa=$(field "$ra" '.passes[0].start_ms'); ea=$(field "$ra" '.passes[0].end_ms')
sb=$(field "$rb" '.passes[0].start_ms'); eb=$(field "$rb" '.passes[0].end_ms')
[[ $sa -lt $eb && $sb -lt $ea ]] ||
  fail "the passes did not overlap in time: $a [$sa, $ea] ms, $b [$sb, $eb] ms"

# A loop device and an image file together, zero.
fill_marker "$dir/a" "$SIZE" "$MARKER"
run_kesu "$dir/out" "$dir/err" erase "$a" "$dir/c.img" --method zero --yes --json
expect_rc 0 "erase $a $dir/c.img --method zero" "$dir/out" "$dir/err"
expect_success_record "$(result_of "$dir/out" "$a")" "$SIZE" "$a"
expect_success_record "$(result_of "$dir/out" "$dir/c.img")" "$SIZE" "$dir/c.img"
expect_zero "$dir/a" "$SIZE" "$a"
expect_zero "$dir/c.img" "$SIZE" "$dir/c.img"
note "ok"
