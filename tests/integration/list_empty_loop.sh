#!/usr/bin/env bash
# kesu list on a loop device bound to nothing: the test binds one of its own, unbinds it (the
# node stays, bound to no file, size 0) and lists it: ERASABLE "no: empty", and in JSON
# erasable false with refusal "empty". The old listing called such a device erasable.
source "$(dirname "$0")/lib.sh"
need_root
need_loop
make_tmpdir dir
truncate -s $((8 << 20)) "$dir/x.img"
dev=$(losetup -f --show "$dir/x.img") || fail "losetup -f --show failed"
losetup -d "$dev" || fail "losetup -d $dev failed"
# Listing only reads; should another process bind the node meanwhile, there is nothing to check.
[[ -z $(losetup -n -O BACK-FILE "$dev" 2>/dev/null) ]] || skip "$dev was bound again by someone else"

run_kesu "$dir/out" "$dir/err" list "$dev"
expect_rc 0 "kesu list $dev (unbound)" "$dir/out" "$dir/err"
grep -q "^$dev .* no: empty$" "$dir/out" || fail "an unbound loop device is not 'no: empty': $(cat "$dir/out")"
run_kesu "$dir/out" "$dir/err" list --json "$dev"
expect_rc 0 "kesu list --json $dev (unbound)" "$dir/out" "$dir/err"
expect_eq "erasable" "$(jq -r '.devices[0].erasable' "$dir/out")" false
expect_eq "refusal" "$(jq -r '.devices[0].refusal' "$dir/out")" empty
