#!/bin/sh
# The station program of the kesu USB image, as a shell script around today's `kesu erase`
# (init runs it once the machine is up; `kesu station` is to replace it, one line in init).
#
# Usage: station.sh DATA_DIR LOG_FILE
#   DATA_DIR  where the stick's KESU-DATA partition is mounted (empty dir if it was not found)
#   LOG_FILE  the boot log to append to (on the stick when it is mounted)
# Environment from init: DATA_DEV (the KESU-DATA partition, empty when not mounted), CONSOLES
# (the console devices to print on).
#
# Kernel parameters (/proc/cmdline):
#   kesu.unattended=all              erase every internal drive (not USB, not the stick)
#   kesu.unattended=SERIAL[,SERIAL]  erase the drives with these serials (as `kesu list` shows)
#   kesu.method=ID                   the erase method (default nist-800-88-clear)
# Without kesu.unattended it shows the drives and leaves a root shell on the consoles.
#
# The stick is never a target: every disk holding a partition labelled KESU-DATA or KESU-BOOT is
# left out here, and kesu's safety gate refuses it again on its own. Certificates go to
# DATA_DIR/certificates; the key, CA and configuration are read from DATA_DIR (docs/bootable-image.md).
# Exit: kesu erase's exit code (0 all erased; 1 failed; 2 bad input; 3 refused), 2 when
# unattended mode cannot run (no data partition, no drive found), 0 in interactive mode.

DATA=$1
LOG=$2
DEFAULT_METHOD=nist-800-88-clear

say() {  # say TEXT...: one line to every console and to the log
  line="kesu-station: $*"
  for c in $CONSOLES; do echo "$line" >"$c"; done
  echo "$(date -u +%H:%M:%S) $line" >>"$LOG"
}
param() {  # param NAME: the value of NAME=VALUE on the kernel command line, empty if absent
  for w in $(cat /proc/cmdline); do
    case "$w" in "$1="*) echo "${w#*=}"; return ;; esac
  done
}
listing() {  # listing: `kesu list --json` as kesu-list-tsv lines in /tmp/list.tsv
  kesu list --json >/tmp/list.json 2>/tmp/list.err || say "kesu list failed: $(cat /tmp/list.err)"
  kesu-list-tsv </tmp/list.json >/tmp/list.tsv
}
sticks() {  # sticks: the disks holding a KESU-DATA or KESU-BOOT partition, one per line
  awk -F'\t' '$1 == "part" && ($4 == "KESU-DATA" || $4 == "KESU-BOOT") {print $2}' /tmp/list.tsv |
    sort -u
}

# configure: kesu's default configuration file /etc/kesu/kesu.toml (in RAM), so that `kesu`
# typed in the shell uses the stick as well: DATA/config/kesu.toml when present, else one that
# names the stick's certificate directory, key and CA.
CONFIG=/etc/kesu/kesu.toml
configure() {
  mkdir -p /etc/kesu
  if [ -f "$DATA/config/kesu.toml" ]; then
    cp "$DATA/config/kesu.toml" "$CONFIG"
    return
  fi
  [ -n "$DATA_DEV" ] || return
  {
    echo "[station]"
    echo "cert_dir = \"$DATA/certificates\""
    [ -f "$DATA/keys/station.key" ] && echo "key = \"$DATA/keys/station.key\""
    [ -f "$DATA/keys/ca.pem" ] && echo "trust_anchor = \"$DATA/keys/ca.pem\""
  } >"$CONFIG"
}

interactive() {
  listing
  kesu list 2>&1 | tee -a "$LOG" $CONSOLES >/dev/null
  say "interactive: no kesu.unattended on the kernel command line."
  say "  kesu list | kesu methods | kesu erase /dev/X --method ID   (configuration: $CONFIG)"
  say "  exit the shell to unmount the data partition"
  for c in $CONSOLES; do setsid sh -c "exec sh -i <$c >$c 2>&1" & done
  wait
  return 0
}

# select_targets WANT: the selected disk paths in /tmp/targets (one per line); logs every
# decision. WANT is "all" or a comma-separated list of serials.
select_targets() {
  sticks >/tmp/sticks
  : >/tmp/targets
  while IFS="$(printf '\t')" read -r kind path tran rm erasable serial refusal; do
    [ "$kind" = disk ] || continue
    if grep -qx "$path" /tmp/sticks; then
      say "leaving $path alone: it is the kesu stick (serial '$serial')"
      continue
    fi
    if [ "$1" = all ]; then
      case "$tran" in
        usb | loop | file | "") say "leaving $path alone: not an internal drive ($tran)"; continue ;;
      esac
    elif ! echo ",$1," | grep -qF ",$serial,"; then
      say "leaving $path alone: serial '$serial' is not listed"
      continue
    fi
    if [ "$erasable" != true ]; then
      say "NOT ERASING $path (serial '$serial'): $refusal"
      continue
    fi
    say "selected $path ($tran, serial '$serial')"
    echo "$path" >>/tmp/targets
  done </tmp/list.tsv
}

# missing_serials WANT: the listed serials no disk has (empty for "all").
missing_serials() {
  [ "$1" = all ] && return
  for s in $(echo "$1" | tr ',' ' '); do
    awk -F'\t' -v s="$s" '$1 == "disk" && $6 == s {f = 1} END {exit !f}' /tmp/list.tsv || echo "$s"
  done
}

unattended() {
  want=$1
  method=$(param kesu.method)
  [ -n "$method" ] || method=$DEFAULT_METHOD
  say "unattended erasure of '$want' with method $method"
  if [ -z "$DATA_DEV" ]; then
    say "REFUSED: the KESU-DATA partition is not mounted, so certificates could not be kept"
    return 2
  fi
  # Listed drives may appear a little later than the stick: wait up to 30 s for all of them.
  deadline=$(($(date +%s) + 30))
  while :; do
    listing
    [ -z "$(missing_serials "$want")" ] && break
    [ "$(date +%s)" -ge "$deadline" ] && break
    sleep 1
  done
  for s in $(missing_serials "$want"); do say "NOT FOUND: no drive has serial '$s'"; done
  select_targets "$want"
  if [ ! -s /tmp/targets ]; then
    say "nothing to erase"
    return 2
  fi

  set -- --config "$CONFIG" erase $(cat /tmp/targets) --method "$method" --yes \
    --cert-dir "$DATA/certificates"
  [ -f "$DATA/keys/station.key" ] && set -- "$@" --key "$DATA/keys/station.key"
  [ -f "$DATA/keys/passphrase" ] && set -- "$@" --passphrase-file "$DATA/keys/passphrase"
  # (The first line keeps the list from being empty: busybox grep -f with an empty file
  # matches every line.)
  { echo "(before)"; ls "$DATA"/certificates/*.json 2>/dev/null; } >/tmp/certs.before
  say "running: kesu $*"
  { kesu "$@"; echo $? >/tmp/erase.rc; } 2>&1 | tee -a "$LOG" $CONSOLES >/dev/null
  rc=$(cat /tmp/erase.rc)
  sync
  say "kesu erase exited $rc ($([ "$rc" = 0 ] && echo 'every drive erased and verified' || echo 'SEE ABOVE: not every drive was erased'))"
  ls "$DATA"/certificates/*.json 2>/dev/null >/tmp/certs.after
  for f in $(grep -vxF -f /tmp/certs.before /tmp/certs.after); do
    say "certificate: certificates/${f##*/}"
  done
  return "$rc"
}

configure
want=$(param kesu.unattended)
if [ -n "$want" ]; then
  unattended "$want"
  rc=$?
else
  interactive
  rc=$?
fi
echo "KESU-STATION-RESULT $rc" >>"$LOG"
for c in $CONSOLES; do echo "KESU-STATION-RESULT $rc" >"$c"; done
exit "$rc"
