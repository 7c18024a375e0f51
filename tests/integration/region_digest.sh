#!/usr/bin/env bash
# The content digest is the region digest of docs/verification.md: on an image whose size is not
# a multiple of the region size, with uniform and with random content, kesu's value (while
# erasing and from `kesu verify`) equals tests/tools/region_digest.py's. The leaf sidecar
# beside the result record is the one the record and the certificate name, and
# `kesu verify --against` finds a changed byte in its own region and nothing when unchanged.
source "$(dirname "$0")/lib.sh"

MiB=$((1 << 20))
SIZE=$((5 * MiB + 4608))  # 5 whole regions and a short one; a multiple of 512 plus a tail
make_tmpdir dir
img="$dir/disk.img"
truncate -s "$SIZE" "$img"

# --- uniform content: zero fill, full verification.
run_kesu "$dir/out" "$dir/err" erase "$img" --method zero --verify full --yes --json \
  --result-dir "$dir/res"
expect_rc 0 "erase --method zero --verify full" "$dir/out" "$dir/err"
res=$(result_of "$dir/out" "$img")
expect_eq "zero: digest format" "$(field "$res" .verification.digest_format)" \
  kesu-region-sha256-v1
expect_sha_matches "$res" "$img" "zero"
zero_digest=$(region_digest "$img")
run_kesu "$dir/vout" "$dir/verr" verify "$img" --expect zero --json
expect_rc 0 "verify --expect zero" "$dir/vout" "$dir/verr"
expect_eq "verify: digest of the zero image" "$(jq -r .content_sha256 "$dir/vout")" "$zero_digest"

# --- random content: the digest, the sidecar and the certificate.
run_kesu "$dir/out" "$dir/err" erase "$img" --method random --verify full --yes --json \
  --result-dir "$dir/res"
expect_rc 0 "erase --method random --verify full" "$dir/out" "$dir/err"
res=$(result_of "$dir/out" "$img")
expect_sha_matches "$res" "$img" "random"
digest=$(field "$res" .verification.content_sha256)
sidecar="$dir/res/$(field "$res" .verification.leaves_file)"
[[ -f $sidecar ]] || fail "no leaf sidecar at $sidecar"
expect_eq "sidecar SHA-256 in the record" "$(field "$res" .verification.leaves_sha256)" \
  "$(sha256sum <"$sidecar" | cut -d' ' -f1)"
# The sidecar holds 6 leaves (5 whole regions and the short one) after its 46-byte header.
expect_eq "sidecar size uncompressed" "$(gzip -dc "$sidecar" | wc -c)" $((22 + 24 + 6 * 40))
# The random erasure's certificate: the one whose method is random (both erasures may be issued
# within the same second, so the file names alone do not order them).
cert=$(grep -l '"method_id":"random"' "$dir"/certs/*.json | head -n 1)
[[ -n $cert ]] || fail "no certificate of the random erasure in $dir/certs"
expect_eq "certificate: content digest" "$(jq -r .verification.content_sha256 "$cert")" "$digest"
expect_eq "certificate: sidecar SHA-256" "$(jq -r .verification.leaves_sha256 "$cert")" \
  "$(field "$res" .verification.leaves_sha256)"

# `kesu verify` without --expect: the same digest; against the sidecar: nothing changed.
run_kesu "$dir/vout" "$dir/verr" verify "$img" --against "$sidecar" --json
expect_rc 0 "verify --against an unchanged image" "$dir/vout" "$dir/verr"
expect_eq "verify: digest of the random image" "$(jq -r .content_sha256 "$dir/vout")" "$digest"
expect_eq "verify: changed regions" "$(jq -c .changed_regions "$dir/vout")" "[]"

# One changed byte in region 3 and one in the short last region.
printf '\x5a' | dd of="$img" bs=1 seek=$((3 * MiB + 777)) conv=notrunc status=none
printf '\x5a' | dd of="$img" bs=1 seek=$((SIZE - 1)) conv=notrunc status=none
run_kesu "$dir/vout" "$dir/verr" verify "$img" --against "$sidecar" --json
expect_rc 1 "verify --against after two bytes changed" "$dir/vout" "$dir/verr"
expect_eq "verify: changed regions" "$(jq -c .changed_regions "$dir/vout")" \
  "[[$((3 * MiB)),$((4 * MiB))],[$((5 * MiB)),$SIZE]]"
expect_eq "verify: digest of the changed image" "$(jq -r .content_sha256 "$dir/vout")" \
  "$(region_digest "$img")"
run_kesu "$dir/vout" "$dir/verr" verify "$img" --against "$sidecar"
expect_rc 1 "verify --against (text)" "$dir/vout" "$dir/verr"
grep -q "changed: \[$((3 * MiB)), $((4 * MiB)))" "$dir/vout" || fail "text: $(cat "$dir/vout")"

# Bad input: not a sidecar, and --against with a sample.
run_kesu "$dir/vout" "$dir/verr" verify "$img" --against "$img"
expect_rc 2 "verify --against a file that is not a sidecar" "$dir/vout" "$dir/verr"
run_kesu "$dir/vout" "$dir/verr" verify "$img" --against "$sidecar" --sample 10
expect_rc 2 "verify --against with --sample" "$dir/vout" "$dir/verr"
exit 0
