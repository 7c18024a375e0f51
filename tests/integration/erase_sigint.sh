#!/usr/bin/env bash
# SIGINT (and SIGTERM) in the middle of an erasure stop it cleanly: exit 1, every target's
# outcome `interrupted`, fewer bytes written than the target holds, and kesu gone within a few
# seconds. The loop devices are throttled through a blkio cgroup of the test's own (only the
# kesu process is placed in it) so that an erasure lasts several seconds.
source "$(dirname "$0")/lib.sh"
need_loop

SIZE=$((256 << 20))
BPS=$((32 * 1000 * 1000))  # about 8 s for the whole device
make_tmpdir dir
blkio_cgroup cg

# run_and_signal SIGNAL DEV...: erase DEVs, send SIGNAL once writing has begun, check results.
run_and_signal() {
  local sig=$1 pid d i started=0 res written
  shift
  local base=()
  for d in "$@"; do base+=("$(sectors_written "$d")"); done
  start_in_cgroup pid "$cg" "$dir/out" "$dir/err" "$KESU" erase "$@" --method random --verify full --yes --json --cert-dir "$dir/certs"
  note "kesu erase $* (pid $pid), SIG$sig once every target is being written"
  for ((i = 0; i < 150 && started == 0; i++)); do
    started=1
    local k=0
    for d in "$@"; do
      [[ $(sectors_written "$d") -gt $((base[k] + 2048)) ]] || started=0
      k=$((k + 1))
    done
    kill -0 "$pid" 2>/dev/null || break
    ((started)) || sleep 0.1
  done
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"
    KESU_RC=$?
    cat "$dir/err" >&2
    fail "SIG$sig: kesu ended (exit $KESU_RC) before the signal could be sent"
  fi
  ((started)) || fail "SIG$sig: kesu wrote nothing to $* within 15 s"
  sleep 0.5
  kill -"$sig" "$pid"
  wait_exit "$pid" 10 || fail "SIG$sig: kesu still running 10 s after the signal"
  KESU_RC=$WAIT_RC
  expect_rc 1 "erase interrupted by SIG$sig" "$dir/out" "$dir/err"
  for d in "$@"; do
    res=$(result_of "$dir/out" "$d")
    [[ -n "$res" ]] || fail "SIG$sig: no result record for $d"
    expect_eq "SIG$sig: outcome of $d" "$(field "$res" .outcome)" interrupted
    written=$(field "$res" '[.passes[].bytes_written] | add // 0')
    [[ $written -lt $SIZE ]] || fail "SIG$sig: $d records $written bytes written, the whole device, despite the interruption"
    note "SIG$sig: $d interrupted after $written bytes"
  done
}

truncate -s "$SIZE" "$dir/a" "$dir/b"
loop_attach a "$dir/a"
loop_attach b "$dir/b"
throttle "$cg" "$a" "$BPS" "$BPS"
throttle "$cg" "$b" "$BPS" "$BPS"

run_and_signal INT "$a"
run_and_signal TERM "$a" "$b"
note "ok"
