#!/usr/bin/env bash
# Signals during an erasure. SIGHUP and SIGTERM stop it cleanly like SIGINT: exit 1, and every
# target gets an `interrupted` certificate that verifies. SIGUSR1 prints one status line per
# target on stderr and the erasure goes on to success. A stdout that is a closed pipe or closed
# altogether does not stop the erasure: exit 0 and a success certificate. Loop devices are
# throttled through a blkio cgroup of the test's own (only kesu is placed in it), as in
# erase_sigint.sh, so an erasure lasts a few seconds.
source "$(dirname "$0")/lib.sh"
need_loop
command -v timeout >/dev/null || skip "timeout (coreutils) is not installed"

SIZE=$((64 << 20))
BPS=$((32 * 1000 * 1000))  # about 2 s to write, 2 s to verify
make_tmpdir dir
blkio_cgroup cg
printf 'signals-pass\n' >"$dir/pass"
"$KESU" --config /dev/null key init "$dir/org" --passphrase-file "$dir/pass" >/dev/null || fail "key init"
KEYOPTS=(--key "$dir/org/station.key" --passphrase-file "$dir/pass")

truncate -s "$SIZE" "$dir/a" "$dir/b"
loop_attach a "$dir/a"
loop_attach b "$dir/b"
throttle "$cg" "$a" "$BPS" "$BPS"
throttle "$cg" "$b" "$BPS" "$BPS"

# wait_writing PID DEV...: wait until 1 MiB more has been written to every DEV than before
# the command (loop devices keep their statistics across attachments), up to 15 s.
declare -A BASE
mark_base() {
  local d
  for d in "$@"; do BASE[$d]=$(sectors_written "$d"); done
}
wait_writing() {
  local pid=$1 d i ok
  shift
  for ((i = 0; i < 150; i++)); do
    ok=1
    for d in "$@"; do [[ $(sectors_written "$d") -gt $((BASE[$d] + 2048)) ]] || ok=0; done
    ((ok)) && return 0
    kill -0 "$pid" 2>/dev/null || fail "kesu ended before writing to $*"
    sleep 0.1
  done
  fail "kesu wrote nothing to $* within 15 s"
}

# expect_certs CERT_DIR OUTCOME N: N authentic certificates (verified against the org CA), each
# recording OUTCOME: a success is VALID (exit 0), anything else is AUTHENTIC — medium NOT
# sanitized (OUTCOME), exit 1.
expect_certs() {
  local f n=0 out rc want_rc=1 want="AUTHENTIC — medium NOT sanitized ($2)"  # BRE: ( ) are literal
  [[ $2 == success ]] && want_rc=0 want="VALID — .*outcome success"
  for f in "$1"/*.json; do
    [[ -e $f ]] || continue
    n=$((n + 1))
    rc=0
    out=$("$KESU" --config /dev/null cert verify --ca "$dir/org/ca.pem" "$f") || rc=$?
    [[ $rc == "$want_rc" ]] || fail "certificate $f: cert verify exit $rc, expected $want_rc: $out"
    echo "$out" | grep -q "$want" || fail "certificate $f: expected outcome $2: $out"
  done
  expect_eq "certificates in $1" "$n" "$3"
  note "$n certificate(s) in $1 verify with outcome $2"
}

# stop_with SIG DEV...: erase DEVs, send SIG once writing has begun; exit 1, interrupted certs.
stop_with() {
  local sig=$1 pid
  shift
  mark_base "$@"
  start_in_cgroup pid "$cg" "$dir/out-$sig" "$dir/err-$sig" "$KESU" --config /dev/null erase "$@" \
    --method random --verify full --yes --json --cert-dir "$dir/certs-$sig" "${KEYOPTS[@]}"
  wait_writing "$pid" "$@"
  kill -"$sig" "$pid"
  wait_exit "$pid" 20 || fail "SIG$sig: kesu still running 20 s after the signal"
  KESU_RC=$WAIT_RC
  expect_rc 1 "erase stopped by SIG$sig" "$dir/out-$sig" "$dir/err-$sig"
  expect_certs "$dir/certs-$sig" interrupted $#
}

stop_with HUP "$a"
stop_with TERM "$a" "$b"

# SIGUSR1: a status line per target, and the erasure carries on to success.
mark_base "$a" "$b"
start_in_cgroup pid "$cg" "$dir/out-usr1" "$dir/err-usr1" "$KESU" --config /dev/null erase "$a" "$b" \
  --method zero --verify full --yes --cert-dir "$dir/certs-usr1" "${KEYOPTS[@]}"
wait_writing "$pid" "$a" "$b"
kill -USR1 "$pid"
for ((i = 0; i < 50; i++)); do
  [[ $(grep -c "^kesu: status: " "$dir/err-usr1") -ge 2 ]] && break
  sleep 0.1
done
grep -q "^kesu: status: $a " "$dir/err-usr1" || fail "SIGUSR1: no status line for $a: $(cat "$dir/err-usr1")"
grep -q "^kesu: status: $b " "$dir/err-usr1" || fail "SIGUSR1: no status line for $b: $(cat "$dir/err-usr1")"
note "SIGUSR1: $(grep "^kesu: status: " "$dir/err-usr1" | head -n 1)"
wait_exit "$pid" 60 || fail "SIGUSR1: kesu still running 60 s later"
KESU_RC=$WAIT_RC
expect_rc 0 "erase after SIGUSR1" "$dir/out-usr1" "$dir/err-usr1"
expect_certs "$dir/certs-usr1" success 2

# stdout a pipe whose reader is gone (progress events hit EPIPE every second).
note "kesu erase --json | true"
timeout 60 bash -c 'echo $$ >"$1/cgroup.procs" || exit 125; shift; exec "$@" 2>"$0"' \
  "$dir/err-pipe" "$cg" "$KESU" --config /dev/null erase "$a" --method zero --verify full --yes --json \
  --cert-dir "$dir/certs-pipe" "${KEYOPTS[@]}" | true
KESU_RC=${PIPESTATUS[0]}
expect_rc 0 "erase with stdout a closed pipe" /dev/null "$dir/err-pipe"
expect_certs "$dir/certs-pipe" success 1
grep -q "standard output" "$dir/err-pipe" || fail "closed pipe: the lost output is not logged: $(cat "$dir/err-pipe")"

# stdout closed altogether.
note "kesu erase >&-"
timeout 60 bash -c 'echo $$ >"$1/cgroup.procs" || exit 125; shift; exec "$@" 2>"$0" >&-' \
  "$dir/err-closed" "$cg" "$KESU" --config /dev/null erase "$a" --method zero --verify full --yes --json \
  --cert-dir "$dir/certs-closed" "${KEYOPTS[@]}"
KESU_RC=$?
expect_rc 0 "erase with stdout closed" /dev/null "$dir/err-closed"
expect_certs "$dir/certs-closed" success 1
grep -q "standard output" "$dir/err-closed" || fail "closed stdout: not logged: $(cat "$dir/err-closed")"
note "ok"
