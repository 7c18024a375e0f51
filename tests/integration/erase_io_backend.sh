#!/usr/bin/env bash
# The I/O backend the CLI picks: io_uring by default, the synchronous queue when KESU_NO_URING
# is set (for benchmarks and for systems whose io_uring misbehaves). Both erase an image file
# with random data and full verification to `success`, the result record names the backend that
# ran, and each verification digest is the file's own SHA-256.
source "$(dirname "$0")/lib.sh"

SIZE=$((16 << 20))
make_tmpdir dir
img="$dir/disk.img"

# --- KESU_NO_URING set: "sync".
fill_marker "$img" "$SIZE" "KESU-IO-BACKEND-$$"
KESU_NO_URING=1 run_kesu "$dir/out" "$dir/err" erase "$img" --method random --verify full --yes --json
expect_rc 0 "KESU_NO_URING=1 erase --method random" "$dir/out" "$dir/err"
res=$(result_of "$dir/out" "$img")
expect_success_record "$res" "$SIZE" "random"
expect_eq "KESU_NO_URING=1: io engine" "$(field "$res" .io.engine)" sync
expect_sha_matches "$res" "$img" "KESU_NO_URING=1"

# --- unset: io_uring, unless this kernel refuses it to the process (then the record says
# sync, and this part cannot tell the backends apart).
fill_marker "$img" "$SIZE" "KESU-IO-BACKEND-$$"
run_kesu "$dir/out" "$dir/err" erase "$img" --method random --verify full --yes --json
expect_rc 0 "erase --method random" "$dir/out" "$dir/err"
res=$(result_of "$dir/out" "$img")
expect_success_record "$res" "$SIZE" "random"
expect_sha_matches "$res" "$img" "default backend"
engine=$(field "$res" .io.engine)
if [[ $engine == sync ]]; then
  skip "io_uring is not available to this process: the default backend fell back to sync"
fi
expect_eq "default: io engine" "$engine" io_uring
note "ok"
