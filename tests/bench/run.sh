#!/usr/bin/env bash
# kesu benchmark (not part of the test suite): kesu against the device limit (fio) and nwipe on
# devices this script creates and removes itself. Run as root on a quiet machine:
#   scripts/setup --bench && scripts/build && sudo tests/bench/run.sh [options]
# See tests/bench/README.md for what is measured and docs/performance.md for the figures.
#
# Targets, all created here and removed on exit (also on failure or Ctrl-C):
#   loop   a loop device over a SIZE file on /dev/shm (tmpfs), filled with random data first
#   zram   a zram device added through /sys/class/zram-control/hot_add (the id it returns is
#          the only one ever touched, and is hot_remove'd afterwards), filled with random data
#          because zram stores zero pages for free
#   small  a NWIPE_SIZE loop on /dev/shm where nwipe and kesu do the same work
#   4x     four THR_SIZE loops on /dev/shm, each throttled to BPS bytes/s read and write by a
#          blkio (cgroup v1) group of this script's own that holds only the kesu process
set -uo pipefail

usage() {
  cat <<'EOF'
usage: tests/bench/run.sh [--build DIR] [--size BYTES] [--nwipe-size BYTES]
                          [--throttled-size BYTES] [--bps BYTES_PER_S] [--no-nwipe]
                          [--no-throttled] [--quick] [--strict]
  --build DIR          build directory holding kesu (default: build/ at the top of the tree)
  --size               loop and zram target size (default 1G; K/M/G suffixes, powers of 1024)
  --nwipe-size         size of the target nwipe and kesu share (default 256M)
  --throttled-size     size of each of the four throttled loops (default 512M)
  --bps                throttle per device, read and write (default 150000000)
  --quick              small sizes for a trial run (256M, 64M, 128M)
  --strict             exit 1 when a target of the issue is missed
EOF
}

top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD="$top/build"
SIZE=1G
NWIPE_SIZE=256M
THR_SIZE=512M
BPS=150000000
DO_NWIPE=1
DO_THROTTLED=1
STRICT=0
while (($#)); do
  case $1 in
    --build) BUILD=$2; shift 2 ;;
    --size) SIZE=$2; shift 2 ;;
    --nwipe-size) NWIPE_SIZE=$2; shift 2 ;;
    --throttled-size) THR_SIZE=$2; shift 2 ;;
    --bps) BPS=$2; shift 2 ;;
    --no-nwipe) DO_NWIPE=0; shift ;;
    --no-throttled) DO_THROTTLED=0; shift ;;
    --quick) SIZE=256M NWIPE_SIZE=64M THR_SIZE=128M; shift ;;
    --strict) STRICT=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

bytes() {  # 1G -> 1073741824
  local v=$1 n=${1%[KkMmGg]}
  case $v in
    *[Kk]) echo $((n << 10)) ;; *[Mm]) echo $((n << 20)) ;; *[Gg]) echo $((n << 30)) ;; *) echo "$v" ;;
  esac
}
SIZE=$(bytes "$SIZE")
NWIPE_SIZE=$(bytes "$NWIPE_SIZE")
THR_SIZE=$(bytes "$THR_SIZE")

KESU="$BUILD/kesu"
[[ $(id -u) -eq 0 ]] || die "run as root (loop devices, zram, cgroups)"
[[ -x $KESU ]] || die "no kesu at $KESU; build first (scripts/build) or pass --build DIR"
for t in fio jq losetup /usr/bin/time; do
  command -v "$t" >/dev/null || die "$t is missing; run scripts/setup --bench"
done
((DO_NWIPE)) && { command -v nwipe >/dev/null || die "nwipe is missing; run scripts/setup --bench (or --no-nwipe)"; }
[[ -w /sys/class/zram-control/hot_add ]] || die "no /sys/class/zram-control (modprobe zram)"
if ((DO_THROTTLED)); then
  [[ -e /sys/fs/cgroup/blkio/blkio.throttle.write_bps_device ]] ||
    die "no cgroup v1 blkio throttling at /sys/fs/cgroup/blkio (or pass --no-throttled)"
fi

# ---- cleanup: exactly what this script created, in reverse order -----------------------------
cleanup_cmds=()
on_exit() { local q; printf -v q '%q ' "$@"; cleanup_cmds+=("$q"); }
cleanup() {
  local i
  trap - EXIT INT TERM
  for ((i = ${#cleanup_cmds[@]} - 1; i >= 0; i--)); do
    eval "${cleanup_cmds[i]}" >/dev/null 2>&1 || log "cleanup step failed: ${cleanup_cmds[i]}"
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

work=$(mktemp -d /dev/shm/kesu-bench.XXXXXX) || die "mktemp on /dev/shm failed"
on_exit rm -rf --one-file-system "$work"

new_loop() {  # VAR FILE SIZE: FILE of random data and a loop device over it
  local _v=$1 _f=$2 _s=$3 _d
  log "filling $_f with $((_s >> 20)) MiB of random data"
  head -c "$_s" /dev/urandom >"$_f" || die "cannot fill $_f"
  _d=$(losetup -f --show "$_f") || die "losetup over $_f failed"
  on_exit losetup -d "$_d"
  printf -v "$_v" '%s' "$_d"
}

new_zram() {  # VAR SIZE: a zram device of our own, filled with random data
  local _v=$1 _s=$2 _id
  _id=$(cat /sys/class/zram-control/hot_add) || die "zram hot_add failed"
  [[ $_id =~ ^[0-9]+$ ]] || die "zram hot_add returned '$_id'"
  on_exit sh -c "echo $_id >/sys/class/zram-control/hot_remove"
  on_exit sh -c "echo 1 >/sys/block/zram$_id/reset"
  echo "$_s" >"/sys/block/zram$_id/disksize" || die "cannot size zram$_id"
  log "filling /dev/zram$_id with $((_s >> 20)) MiB of random data"
  head -c "$_s" /dev/urandom | dd of="/dev/zram$_id" bs=1M iflag=fullblock oflag=direct status=none ||
    die "cannot fill /dev/zram$_id"
  printf -v "$_v" '%s' "/dev/zram$_id"
}

now_ns() { date +%s%N; }

# ---- measurements ------------------------------------------------------------------------------
# Each sets: T_MS (wall ms), MBPS (10^6 bytes/s over the target's size), RSS_KB where known.
run_fio() {  # DEV SIZE RW
  local out="$work/fio.json"
  fio --name=seq --filename="$1" --rw="$3" --bs=1M --iodepth=8 --ioengine=io_uring --direct=1 \
    --size="$2" --output-format=json >"$out" 2>"$work/fio.err" || die "fio $3 on $1 failed: $(cat "$work/fio.err")"
  local k=read
  [[ $3 == write ]] && k="write"
  T_MS=$(jq ".jobs[0].$k.runtime" "$out")
  MBPS=$(jq ".jobs[0].$k.io_bytes * 1000 / .jobs[0].$k.runtime / 1000000 | floor" "$out")
  RSS_KB=
}

run_kesu() {  # LABEL SIZE KESU-ARGS...  (targets are among the args)
  local label=$1 size=$2 t0 t1 rc n_ok n_res
  shift 2
  t0=$(now_ns)
  /usr/bin/time -v -o "$work/time.txt" "$KESU" erase "$@" --yes --json --cert-dir "$work/certs" >"$work/kesu.out" 2>"$work/kesu.err"
  rc=$?
  t1=$(now_ns)
  n_res=$(jq -c 'select(.event == "result")' "$work/kesu.out" 2>/dev/null | wc -l)
  n_ok=$(jq -c 'select(.event == "result") | (if has("result") then .result else . end)
                | select(.outcome == "success")' "$work/kesu.out" 2>/dev/null | wc -l)
  if [[ $rc -ne 0 || $n_ok -eq 0 || $n_ok -ne $n_res ]]; then
    tail -n 5 "$work/kesu.err" >&2
    die "$label: kesu erase $* exited $rc with $n_ok of $n_res results successful"
  fi
  T_MS=$(((t1 - t0) / 1000000))
  MBPS=$((size * 1000 / T_MS / 1000000))
  RSS_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
}

run_nwipe() {  # DEV SIZE
  local t0 t1 rc
  t0=$(now_ns)
  nwipe --nogui --autonuke --nowait --method=random --verify=last --rounds=1 --noblank \
    --logfile="$work/nwipe.log" "$1" </dev/null >"$work/nwipe.out" 2>&1
  rc=$?
  t1=$(now_ns)
  cp "$work/nwipe.log" "${NWIPE_LOG_COPY:-/dev/null}" 2>/dev/null
  ((rc == 0)) || { tail -n 20 "$work/nwipe.log" >&2; die "nwipe on $1 exited $rc"; }
  T_MS=$(((t1 - t0) / 1000000))
  MBPS=$(($2 * 1000 / T_MS / 1000000))
  RSS_KB=
  NWIPE_VERIFIED=$(grep -c 'Verified pass' "$work/nwipe.log")
}

rows=()
row() {  # TARGET TEST MBPS T_MS RATIO GOAL RSS
  rows+=("$(printf '| %-10s | %-30s | %7s | %8s | %-30s | %-9s |' "$1" "$2" "$3" "$4" "$5" "$6")")
}
ratio() {  # NUM DEN -> 3-decimal ratio
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'
}
check() {  # VALUE OP LIMIT -> "ok" or "MISS" (the table's MISS marks are counted at the end)
  if awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { exit !((op == ">=") ? v >= l : v <= l) }'; then
    echo "ok"
  else
    echo "MISS"
  fi
}
rss_mib() { [[ -n ${1:-} ]] && echo $(($1 / 1024)) || echo "-"; }

bench_target() {  # NAME DEV SIZE
  local name=$1 dev=$2 size=$3 fw fr fw_ms fr_ms z z_ms r r_ms rv rv_ms r1 r2 r3 v
  log "$name ($dev, $((size >> 20)) MiB): fio write"
  run_fio "$dev" "$size" write; fw=$MBPS; fw_ms=$T_MS
  row "$name" "fio write (1M, QD8, direct)" "$fw" "$fw_ms" "" ""
  log "$name: fio read"
  run_fio "$dev" "$size" read; fr=$MBPS; fr_ms=$T_MS
  row "$name" "fio read (1M, QD8, direct)" "$fr" "$fr_ms" "" ""
  log "$name: kesu zero"
  run_kesu "$name zero" "$size" "$dev" --method zero --verify none; z=$MBPS; z_ms=$T_MS
  r1=$(ratio "$fw_ms" "$z_ms")
  row "$name" "kesu zero, no verify" "$z" "$z_ms" "$r1 x fio write $(check "$r1" '>=' 0.95)" "$(rss_mib "$RSS_KB")"
  log "$name: kesu random"
  run_kesu "$name random" "$size" "$dev" --method random --verify none; r=$MBPS; r_ms=$T_MS
  r2=$(ratio "$fw_ms" "$r_ms")
  row "$name" "kesu random, no verify" "$r" "$r_ms" "$r2 x fio write $(check "$r2" '>=' 0.95)" "$(rss_mib "$RSS_KB")"
  log "$name: kesu random + full verify"
  run_kesu "$name random+verify" "$size" "$dev" --method random --verify full; rv=$MBPS; rv_ms=$T_MS
  r3=$(ratio "$rv_ms" "$((fw_ms + fr_ms))")
  v=$(ratio "$rv_ms" "$r_ms")
  if [[ $name == zram ]]; then
    row "$name" "kesu random + verify full" "$rv" "$rv_ms" "time $v x random $(check "$v" '<=' 1.2)" "$(rss_mib "$RSS_KB")"
    row "$name" "" "" "" "time $r3 x fio (w+r)" ""
  else
    row "$name" "kesu random + verify full" "$rv" "$rv_ms" "time $r3 x fio (w+r) $(check "$r3" '<=' 1.1)" "$(rss_mib "$RSS_KB")"
    row "$name" "" "" "" "time $v x random" ""
  fi
  rss_check "$name" "$RSS_KB" 1
}

rss_check() {  # NAME RSS_KB TARGETS: a row when the peak RSS per target exceeds 64 MiB
  [[ -n ${2:-} ]] || return
  local per=$(($2 / $3 / 1024))
  [[ $(check "$per" '<=' 64) == ok ]] || row "$1" "peak RSS per target" "" "" "$per MiB > 64 MiB MISS" ""
}

# ---- run ---------------------------------------------------------------------------------------
log "kesu $("$KESU" --version 2>/dev/null | head -1); fio $(fio --version); $(nproc) CPUs; $(uname -r)"
new_loop loopdev "$work/loop.img" "$SIZE"
new_zram zramdev "$SIZE"
bench_target loop "$loopdev" "$SIZE"
bench_target zram "$zramdev" "$SIZE"

if ((DO_NWIPE)); then
  new_loop smalldev "$work/small.img" "$NWIPE_SIZE"
  log "small ($smalldev, $((NWIPE_SIZE >> 20)) MiB): nwipe random, verify last, no blank"
  NWIPE_LOG_COPY="$work/nwipe-kept.log"
  run_nwipe "$smalldev" "$NWIPE_SIZE"; nw=$MBPS
  row small "nwipe random, verify=last" "$nw" "$T_MS" "nwipe log: $NWIPE_VERIFIED pass verified" ""
  log "small: kesu random + full verify"
  run_kesu "small random+verify" "$NWIPE_SIZE" "$smalldev" --method random --verify full
  k=$(ratio "$MBPS" "$nw")
  row small "kesu random + verify full" "$MBPS" "$T_MS" "$k x nwipe $(check "$k" '>=' 10)" "$(rss_mib "$RSS_KB")"
fi

if ((DO_THROTTLED)); then
  cg=/sys/fs/cgroup/blkio/kesu-bench-$$
  mkdir "$cg" || die "cannot create $cg"
  on_exit rmdir "$cg"
  devs=()
  for i in 1 2 3 4; do
    new_loop d "$work/thr$i.img" "$THR_SIZE"
    mm=$(lsblk -dno MAJ:MIN "$d" | tr -d ' ')
    echo "$mm $BPS" >"$cg/blkio.throttle.read_bps_device" || die "cannot throttle reads of $d"
    echo "$mm $BPS" >"$cg/blkio.throttle.write_bps_device" || die "cannot throttle writes of $d"
    devs+=("$d")
  done
  log "4x ($((THR_SIZE >> 20)) MiB each, $((BPS / 1000000)) MB/s): kesu random + full verify on ${devs[*]}"
  t0=$(now_ns)
  # Only the kesu process joins the cgroup: a shell writes its own pid, then execs time/kesu.
  bash -c 'echo $$ >"$1/cgroup.procs" || exit 125; shift; exec "$@"' bench "$cg" \
    /usr/bin/time -v -o "$work/time.txt" "$KESU" erase "${devs[@]}" --method random --verify full --yes --json --cert-dir "$work/certs" \
    >"$work/kesu.out" 2>"$work/kesu.err"
  rc=$?
  t1=$(now_ns)
  n_ok=$(jq -c 'select(.event == "result") | (if has("result") then .result else . end)
                | select(.outcome == "success")' "$work/kesu.out" | wc -l)
  ((rc == 0 && n_ok == 4)) || { tail -n 5 "$work/kesu.err" >&2; die "4x: kesu exited $rc with $n_ok of 4 successful"; }
  t_ms=$(((t1 - t0) / 1000000))
  agg=$((4 * THR_SIZE * 1000 / t_ms / 1000000))
  a=$(ratio "$agg" "$((4 * BPS / 1000000))")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  row 4x "kesu random + verify, 4 targets" "$agg" "$t_ms" "$a x 4x$((BPS / 1000000)) $(check "$a" '>=' 0.9)" "$(rss_mib "$rss") ($((rss / 4 / 1024))/tgt)"
  rss_check 4x "$rss" 4
fi

echo
echo "kesu benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, kernel $(uname -r), kesu $("$KESU" --version 2>/dev/null | head -1)"
echo "sizes: loop/zram $((SIZE >> 20)) MiB, nwipe target $((NWIPE_SIZE >> 20)) MiB, throttled 4x $((THR_SIZE >> 20)) MiB at $((BPS / 1000000)) MB/s"
echo "MB/s = 10^6 bytes/s over the target size; kesu times are wall clock of the whole command"
echo
printf '| %-10s | %-30s | %7s | %8s | %-30s | %-9s |\n' target test "MB/s" "time ms" "ratio (goal)" "RSS MiB"
printf '|%s|%s|%s|%s|%s|%s|\n' "------------" "--------------------------------" "---------" "----------" "--------------------------------" "-----------"
printf '%s\n' "${rows[@]}"
misses=$(printf '%s\n' "${rows[@]}" | grep -c MISS)
echo
if ((misses)); then
  echo "$misses target(s) of the issue missed (marked MISS)"
  ((STRICT)) && exit 1
else
  echo "every target of the issue met"
fi
exit 0
