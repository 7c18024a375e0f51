#!/usr/bin/env bash
# End to end on the kesu USB image: builds kesu-usb.img (bootable-image/build_image.py, the same
# script as `cmake --build build --target image`), then boots a copy of it as a USB stick
# (usb-storage on qemu-xhci, -accel tcg) three times: SeaBIOS, OVMF, and OVMF with Secure Boot
# enforced (Microsoft keys enrolled, SMM). Each boot has four 32 MiB drives full of a marker —
# NVMe, SATA (ide-hd on the q35 AHCI), virtio-blk, and one that must stay — and the copy's
# grub.cfg (edited with mtools) asks for unattended erasure with kesu.poweroff=1: under SeaBIOS
# and Secure Boot of the three drives' serials and the stick's own (a second SATA drive stays),
# under plain OVMF of `all` internal drives (a second USB disk stays). The stick's data partition holds a station key and CA made here
# with stock openssl, and a marker file.
#
# The SeaBIOS boot also hot-adds a drive: a virtio-scsi controller is there from the start, and
# once the station has started erasing, the QEMU monitor's `device_add scsi-hd` plugs a fourth
# listed drive (HOT-E5) into it; the station (`kesu station`, which init runs) must find it and
# erase and certify it too.
#
# After each boot the host checks, without mounting anything: the firmware the guest saw (from
# the serial log), the station program's result line, the marker gone from each listed drive and
# still on the unlisted one, the stick's marker file unchanged, one certificate per listed
# drive on the data partition, naming that drive's serial, verified by `openssl cms -verify`
# against the CA and by `kesu cert verify --ca`, and the disposal report (a signed document of
# kind disposal-report beside them) naming the machine's DMI serial, every erased drive and the
# unlisted one as not erased, verified the same two ways.
#
# Each boot's serial log is kept as BUILD_DIR/e2e-usb-image/MODE.console.log.
#
# Usage: usb_image.sh BUILD_DIR SOURCE_DIR [MODE...]   (MODE: bios uefi secureboot; default all)
# Exits 77 (skipped) with the reason when QEMU, OVMF, mtools, sgdisk, mkfs.fat or openssl is
# missing (scripts/setup --image installs them) or the pinned Debian packages cannot be fetched.
set -uo pipefail
build=$(cd "${1:?build dir}" && pwd)
src=$(cd "${2:?source dir}" && pwd)
shift 2
modes=("$@")
((${#modes[@]})) || modes=(bios uefi secureboot)
KESU="$build/kesu"
skip() { echo "SKIP: usb_image: $*"; exit 77; }
fail() { echo "FAIL: usb_image: $*"; exit 1; }  # in a boot's subshell: ends that boot
note() { echo "usb_image: $*"; }

OVMF=/usr/share/OVMF
for tool in qemu-system-x86_64 mcopy mmd mdir sgdisk mkfs.fat openssl python3 sfdisk; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/setup --image)"
done
for f in OVMF_CODE_4M.fd OVMF_VARS_4M.fd OVMF_CODE_4M.secboot.fd OVMF_VARS_4M.ms.fd; do
  [[ -f $OVMF/$f ]] || skip "$OVMF/$f is missing (package ovmf; scripts/setup --image)"
done
[[ -x $KESU ]] || fail "$KESU not built"
export MTOOLS_SKIP_CHECK=1

work=$(mktemp -d /dev/shm/kesu-usb-e2e.XXXXXX) || fail "mktemp failed"
# Boots run in background subshells, two at a time on 2 cores (each guest is mostly one busy
# vCPU under TCG); each records its qemu's pid in MODE/qemu.pid, and cleanup ends exactly those.
boot_pids=()
cleanup() {
  local f p
  for f in "$work"/*/qemu.pid; do
    [[ -f $f ]] && p=$(cat "$f") && [[ -n $p ]] && kill "$p" 2>/dev/null
  done
  for p in "${boot_pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- The image -------------------------------------------------------------------------------
t0=$(date +%s)
python3 "$src/bootable-image/build_image.py" "$build" "$src" >"$work/build.log" 2>&1
rc=$?
((rc == 4)) && skip "$(tail -n 1 "$work/build.log")"
((rc == 0)) || fail "building the image: $(tail -n 3 "$work/build.log")"
image="$build/kesu-usb.img"
note "image built in $(($(date +%s) - t0)) s: $(tail -n 1 "$work/build.log")"

# part_offset IMAGE N: byte offset of partition N (sfdisk reads the GPT of a plain file).
part_offset() {
  sfdisk -J "$1" | python3 -c 'import json,sys
p = json.load(sys.stdin)["partitiontable"]
print(p["partitions"][int(sys.argv[1]) - 1]["start"] * p.get("sectorsize", 512))' "$2"
}
ESP_OFF=$(part_offset "$image" 2) || fail "cannot read the image's partition table"
DATA_OFF=$(part_offset "$image" 3) || fail "cannot read the image's partition table"

# --- Station key and CA, with stock openssl ---------------------------------------------------
keys="$work/keys"
mkdir -p "$keys"
(
  cd "$keys" || exit 1
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
    -out ca.pem -subj "/CN=kesu e2e CA" -days 30 \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" &&
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout plain.key \
      -subj "/CN=kesu e2e station" -out station.csr &&
    printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n' >ext.cnf &&
    openssl x509 -req -in station.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
      -extfile ext.cnf -out station.crt &&
    cat station.crt ca.pem >station.pem &&
    printf 'usb-e2e-passphrase\n' >passphrase &&
    openssl pkcs8 -topk8 -v2 aes-256-cbc -in plain.key -out station.key -passout file:passphrase
) >"$work/openssl.log" 2>&1 || fail "making the station key with openssl: $(tail -n 3 "$work/openssl.log")"

# --- One boot ---------------------------------------------------------------------------------
# What each boot asks for: SeaBIOS and Secure Boot name the three serials and the stick's own
# (which the station must leave alone); plain UEFI asks for all internal drives, and its
# unlisted drive is a USB disk, which is not internal.
want_of() {
  case $1 in
    uefi) echo all ;;
    bios) echo "NVME-A1,SATA-B2,VBLK-C3,KESU-STICK,HOT-E5" ;;
    *) echo "NVME-A1,SATA-B2,VBLK-C3,KESU-STICK" ;;
  esac
}
# hot_add MODE_DIR: once the station has started erasing (its serial log says so), plugs the
# drive HOT-E5 into the virtio-scsi controller through the QEMU monitor socket.
hot_add() {
  local dir=$1 i
  for ((i = 0; i < 600; i++)); do
    grep -a -q "kesu-station: erasing " "$dir/console.log" 2>/dev/null && break
    [[ -f $dir/qemu.pid ]] || return 1
    sleep 0.5
  done
  python3 - "$dir/monitor.sock" <<'EOF' >"$dir/hotadd.out" 2>&1
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"device_add scsi-hd,bus=scsi0.0,drive=hot,serial=HOT-E5\n")
time.sleep(1)
s.settimeout(2)
try:
    print(s.recv(65536).decode(errors="replace"))
except OSError:
    pass
EOF
}
fill() {  # fill FILE MARKER: 32 MiB of MARKER lines
  python3 - "$1" "$2" <<'EOF'
import sys
path, m = sys.argv[1], (sys.argv[2] + "\n").encode()
block = (m * (65536 // len(m) + 1))[:65536]
with open(path, "wb") as f:
    for _ in range(32 * 16):
        f.write(block)
EOF
}

boot() {  # boot MODE: one boot and its checks
  local mode=$1 dir="$work/$1" stick fw
  mkdir -p "$dir"
  stick="$dir/stick.img"
  cp "$image" "$stick" || fail "$mode: cannot copy the image"
  # The data partition: key, CA and passphrase, and a marker that must survive.
  echo "KESU-E2E-STICK-MARKER-$mode" >"$dir/marker.txt"
  local D="$stick@@$DATA_OFF" E="$stick@@$ESP_OFF"
  for f in station.key station.pem ca.pem passphrase; do
    mcopy -o -i "$D" "$keys/$f" "::/keys/$f" || fail "$mode: mcopy $f onto the data partition"
  done
  mcopy -o -i "$D" "$dir/marker.txt" ::/marker.txt || fail "$mode: mcopy the marker"
  # grub.cfg: unattended erasure of the listed serials in the first entry, a short timeout.
  mcopy -o -i "$E" ::/EFI/debian/grub.cfg "$dir/grub.cfg" || fail "$mode: mcopy grub.cfg out"
  local want
  want=$(want_of "$mode")
  sed -i -e '0,/linux \/boot\/vmlinuz/s|\(linux /boot/vmlinuz.*\)|\1 kesu.unattended='"$want"' kesu.method=nist-800-88-clear kesu.poweroff=1|' \
    -e 's/^set timeout=.*/set timeout=1/' "$dir/grub.cfg"
  grep -q "kesu.unattended=$want" "$dir/grub.cfg" || fail "$mode: editing grub.cfg failed"
  mcopy -o -i "$E" "$dir/grub.cfg" ::/EFI/debian/grub.cfg || fail "$mode: mcopy grub.cfg in"

  local d
  local drives=(nvme sata vblk) expect_serials="NVME-A1,SATA-B2,VBLK-C3,"
  local hot=()
  if [[ $mode == bios ]]; then
    drives+=(hot)
    expect_serials="HOT-E5,NVME-A1,SATA-B2,VBLK-C3,"
    hot=(-device virtio-scsi-pci,id=scsi0 -drive "if=none,id=hot,file=$dir/hot.img,format=raw"
      -monitor "unix:$dir/monitor.sock,server=on,wait=off")
  fi
  for d in "${drives[@]}" excl; do fill "$dir/$d.img" "KESU-E2E-MARKER-$d-$mode"; done
  local firmware=(-machine q35)
  case $mode in
    uefi)
      cp "$OVMF/OVMF_VARS_4M.fd" "$dir/vars.fd"
      firmware=(-machine q35
        -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF/OVMF_CODE_4M.fd"
        -drive "if=pflash,format=raw,unit=1,file=$dir/vars.fd") ;;
    secureboot)
      cp "$OVMF/OVMF_VARS_4M.ms.fd" "$dir/vars.fd"
      firmware=(-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on
        -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF/OVMF_CODE_4M.secboot.fd"
        -drive "if=pflash,format=raw,unit=1,file=$dir/vars.fd") ;;
  esac
  local excluded=(-device "ide-hd,bus=ide.1,drive=ex,serial=EXCL-D4")
  [[ $want == all ]] && excluded=(-device "usb-storage,bus=xhci.0,drive=ex,serial=EXCL-D4")
  local start=$(date +%s)
  local monitor=(-monitor none)
  ((${#hot[@]})) && monitor=()
  timeout 420 qemu-system-x86_64 "${firmware[@]}" -accel tcg -m 1024 -smp 2 -display none \
    -no-reboot "${monitor[@]}" -nic none -serial "file:$dir/console.log" "${hot[@]}" \
    -smbios "type=1,serial=QEMU-USB-E2E-$mode" \
    -device qemu-xhci,id=xhci \
    -drive "if=none,id=stick,file=$stick,format=raw" \
    -device "usb-storage,bus=xhci.0,drive=stick,removable=on,serial=KESU-STICK,bootindex=0" \
    -drive "if=none,id=nv,file=$dir/nvme.img,format=raw" -device "nvme,drive=nv,serial=NVME-A1" \
    -drive "if=none,id=sa,file=$dir/sata.img,format=raw" -device "ide-hd,bus=ide.0,drive=sa,serial=SATA-B2" \
    -drive "if=none,id=vb,file=$dir/vblk.img,format=raw" -device "virtio-blk-pci,drive=vb,serial=VBLK-C3" \
    -drive "if=none,id=ex,file=$dir/excl.img,format=raw" "${excluded[@]}" \
    >"$dir/qemu.out" 2>&1 &
  local qpid=$!
  echo "$qpid" >"$dir/qemu.pid"
  local hpid=""
  if ((${#hot[@]})); then
    hot_add "$dir" &
    hpid=$!
  fi
  wait "$qpid"
  local qrc=$?
  rm -f "$dir/qemu.pid"
  [[ -n $hpid ]] && { kill "$hpid" 2>/dev/null; wait "$hpid" 2>/dev/null; }
  local took=$(($(date +%s) - start))
  # The serial log stays in the build tree for reading after a failure.
  mkdir -p "$build/e2e-usb-image" && cp "$dir/console.log" "$build/e2e-usb-image/$mode.console.log"
  fw=$(grep -a -o 'kesu-init: firmware: [^[:cntrl:]]*' "$dir/console.log" | head -n 1)
  note "$mode: guest ran $took s (qemu exit $qrc); ${fw:-no firmware line}"
  grep -a -q "KESU-STATION-RESULT" "$dir/console.log" ||
    fail "$mode: the station did not finish; console tail: $(tail -c 3000 "$dir/console.log" | tr -d '\033')"
  case $mode in
    bios) [[ $fw == *"firmware: BIOS"* ]] || fail "$mode: expected BIOS, guest says: $fw" ;;
    uefi) [[ $fw == *UEFI* && $fw == *"Secure boot disabled"* ]] || fail "$mode: expected UEFI without Secure Boot, guest says: $fw" ;;
    secureboot) [[ $fw == *UEFI* && $fw == *"Secure boot enabled"* ]] || fail "$mode: expected UEFI with Secure Boot, guest says: $fw" ;;
  esac
  grep -a -q "KESU-STATION-RESULT 0" "$dir/console.log" ||
    fail "$mode: the station's result is not 0: $(grep -a 'kesu-station' "$dir/console.log" | tail -n 20)"
  ((qrc == 0)) || fail "$mode: qemu exited $qrc (did the guest power off?)"

  # Markers: gone from the listed drives, still on the unlisted one and on the stick.
  local n
  for d in "${drives[@]}"; do
    n=$(grep -c -a -F "KESU-E2E-MARKER-$d-$mode" "$dir/$d.img")
    ((n == 0)) || fail "$mode: the marker is still on the $d drive ($n lines)"
  done
  n=$(grep -c -a -F "KESU-E2E-MARKER-excl-$mode" "$dir/excl.img")
  ((n > 0)) || fail "$mode: the unlisted drive lost its marker"
  cmp -s "$dir/excl.img" <(fill /dev/stdout "KESU-E2E-MARKER-excl-$mode") ||
    fail "$mode: the unlisted drive changed"
  mcopy -o -i "$D" ::/marker.txt "$dir/marker.back" || fail "$mode: the stick's marker file is gone"
  cmp -s "$dir/marker.txt" "$dir/marker.back" || fail "$mode: the stick's marker file changed"

  # Certificates on the data partition: one per listed drive, each verified two ways.
  mkdir -p "$dir/certs"
  mcopy -s -o -i "$D" "::/certificates/*" "$dir/certs/" || fail "$mode: no certificates on the stick"
  mcopy -s -o -i "$D" "::/logs" "$dir/" || fail "$mode: no logs on the stick"
  local c certs=() serials="" ndrives=${#drives[@]} reports=("$dir"/certs/*_disposal-report_*.json)
  for c in "$dir"/certs/*.json; do [[ $c == *_disposal-report_* ]] || certs+=("$c"); done
  ((${#certs[@]} == ndrives)) || fail "$mode: expected $ndrives certificates, found ${#certs[@]}: $(ls "$dir/certs")"
  for c in "${certs[@]}"; do
    openssl cms -verify -binary -inform DER -in "$c.p7s" -content "$c" -CAfile "$keys/ca.pem" \
      -out /dev/null 2>"$dir/cms.err" || fail "$mode: openssl cms -verify $c: $(cat "$dir/cms.err")"
    serials+=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert d["outcome"]["result"] == "success", d["outcome"]
print(d["media"]["serial"]["value"])' "$c")" " || fail "$mode: $c is not a success certificate"
  done
  "$KESU" --config /dev/null cert verify --ca "$keys/ca.pem" "${certs[@]}" >"$dir/verify.out" 2>&1 ||
    fail "$mode: kesu cert verify: $(cat "$dir/verify.out")"
  [[ $(echo $serials | tr ' ' '\n' | sort | tr '\n' ',') == "$expect_serials" ]] ||
    fail "$mode: certificates name serials '$serials', expected $expect_serials"
  if [[ $want != all ]]; then
    grep -a -q "leaving /dev/sd[a-z] alone: it is the kesu stick (serial 'KESU-STICK')" "$dir/console.log" ||
      fail "$mode: the station did not say it leaves the listed stick alone"
  fi
  ls "$dir"/logs/*.log >/dev/null 2>&1 || fail "$mode: no boot log on the stick"
  n=$(grep -a -c "kesu-station: certificate: .*certificates/.*\.json" "$dir/console.log")
  ((n == ndrives)) || fail "$mode: the station named $n new certificates, expected $ndrives"

  # The disposal report (a signed document in the certificate directory): the machine's DMI
  # serial (-smbios), every erased drive; verified by openssl and by kesu.
  ((${#reports[@]} == 1)) || fail "$mode: expected one disposal report, found: $(ls "$dir/certs")"
  openssl cms -verify -binary -inform DER -in "${reports[0]}.p7s" -content "${reports[0]}" \
    -CAfile "$keys/ca.pem" -out /dev/null 2>"$dir/cms.err" ||
    fail "$mode: openssl cms -verify of the disposal report: $(cat "$dir/cms.err")"
  "$KESU" --config /dev/null cert verify --ca "$keys/ca.pem" "${reports[0]}" >"$dir/verify.out" 2>&1 ||
    fail "$mode: kesu cert verify of the disposal report: $(cat "$dir/verify.out")"
  python3 - "${reports[0]}" "QEMU-USB-E2E-$mode" "$expect_serials" <<'EOF' ||
import json, sys
r = json.load(open(sys.argv[1]))
assert r["kind"] == "disposal-report", r["kind"]
assert r["subject"]["serial"] == sys.argv[2], r["subject"]
drives = r["body"]["drives"]
erased = sorted(d["serial"] for d in drives if d["erased"] and d["outcome"] == "success")
assert ",".join(erased) + "," == sys.argv[3], erased
assert not any(d["serial"] == "KESU-STICK" for d in drives), "the stick is in the report"
# Every drive found was erased, except the unlisted one: the report is partial.
assert r["outcome"]["result"] == "partial", r["outcome"]
assert any(d["serial"] == "EXCL-D4" and not d["erased"] for d in drives), drives
EOF
    fail "$mode: the disposal report is not right: $(cat "${reports[0]}")"
  note "$mode: PASS in $took s: $ndrives drives erased and certified (openssl cms and kesu cert verify), unlisted drive and stick intact, disposal report signed"
}

for mode in "${modes[@]}"; do
  case $mode in bios | uefi | secureboot) ;; *) fail "unknown mode $mode" ;; esac
done
# At most `parallel` boots at once; each boot's output (its notes, or its FAIL line) is printed
# whole when it ends, and any failed boot fails the test.
parallel=$(nproc)
((parallel > 2)) && parallel=2
failed=0
run_boot() {
  (boot "$1" >"$work/$1.log" 2>&1
   rc=$?
   rm -f "$work/$1"/*.img
   exit $rc)
}
declare -A boot_of=()
for mode in "${modes[@]}"; do
  while ((${#boot_of[@]} >= parallel)); do
    wait -n -p done_pid
    rc=$?
    cat "$work/${boot_of[$done_pid]}.log"
    ((rc == 0)) || failed=1
    unset "boot_of[$done_pid]"
  done
  run_boot "$mode" &
  boot_of[$!]=$mode
  boot_pids+=($!)
done
while ((${#boot_of[@]} > 0)); do
  wait -n -p done_pid
  rc=$?
  cat "$work/${boot_of[$done_pid]}.log"
  ((rc == 0)) || failed=1
  unset "boot_of[$done_pid]"
done
((failed == 0)) || fail "at least one boot failed (its FAIL line is above)"
echo "PASS: usb_image: ${modes[*]}: unattended erasure from the USB image, certificates verified"
