#!/usr/bin/env bash
# End to end on emulated drives: boots a Debian generic kernel and a busybox initramfs under
# QEMU (-accel tcg) with eight drives — NVMe, SATA on AHCI, a SCSI disk on virtio-scsi, a SAS disk
# on the mptsas1068 HBA, a usb-storage stick (removable, no rotation rate), a USB flash drive
# that reports its rotation rate (usb-bot + scsi-hd rotation_rate=1), a virtio-blk disk and an
# SD card on an SDHCI controller (sdhci-pci + sd-card) — each with a serial (and a WWN
# where QEMU takes `wwn=`), each holding a marker. In the guest, kesu runs from an installed
# layout (/usr/bin/kesu, /usr/share/kesu/erase-methods; no source tree): `kesu list --json`,
# then one `kesu erase` per drive. What the guest prints goes to the serial console, base64
# between markers; the host then checks every identity field against what QEMU was told, the
# transport and media of each drive, that the marker is gone from each image, and that each
# certificate's identity equals the listing (tests/e2e/check_qemu_drives.py); a one-pass `zero`
# on each USB drive must certify category none, saying why. The SD card and the USB stick are
# listed as memory-card and usb-flash with a note saying why no firmware method applies;
# `kesu erase --method mmc-sanitize` on the SD card is refused (exit 2, one line) before
# anything is written, and nist-800-88-clear certifies both "clear" with a reason naming wear
# levelling; the host checks that the SD card's image is all zeros. (QEMU 7.2 emulates SD
# cards, not eMMC: the eMMC commands are covered by tests/unit/devices/mmc_driver_test.cc.)
# The guest has no
# host name ("(none)") and no station name: the certificate's station.host must be the DMI
# serial QEMU was given.
#
# Usage: qemu_drives.sh BUILD_DIR SOURCE_DIR. Exits 77 (skipped) with the reason when QEMU, the
# kernel or busybox cannot be had. The kernel and busybox packages are fetched once with
# `apt-get download` into BUILD_DIR/e2e-cache (never committed).
set -uo pipefail
build=$(cd "${1:?build dir}" && pwd)
src=$(cd "${2:?source dir}" && pwd)
KESU="$build/kesu"
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (scripts/setup --e2e installs qemu-system-x86)"
command -v python3 >/dev/null || skip "python3 not installed"
[[ -x $KESU ]] || fail "$KESU not built"

cache="$build/e2e-cache"
mkdir -p "$cache"
deb_of() { ls "$cache"/$1_*.deb 2>/dev/null | head -n 1; }
fetch() {  # fetch PACKAGE: downloads it into the cache unless it is there
  [[ -n $(deb_of "$1") ]] && return 0
  (cd "$cache" && apt-get download "$1" >/dev/null 2>&1) || return 1
}
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
[[ -n $kpkg ]] || kpkg=$(basename "$(ls "$cache"/linux-image-*-amd64_*.deb 2>/dev/null | head -n 1)" | cut -d_ -f1)
[[ -n $kpkg ]] || skip "no linux-image-amd64 package known to apt and none cached in $cache"
fetch "$kpkg" || skip "cannot download $kpkg (apt-get download); no network?"
fetch busybox-static || skip "cannot download busybox-static (apt-get download)"

work=$(mktemp -d /dev/shm/kesu-e2e.XXXXXX) || fail "mktemp failed"
qpid=""
cleanup() {
  [[ -n $qpid ]] && kill "$qpid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# --- Kernel, modules, busybox ---------------------------------------------------------------
kx="$cache/${kpkg}.x"
if [[ ! -d $kx ]]; then
  dpkg-deb -x "$(deb_of "$kpkg")" "$kx.tmp" && mv "$kx.tmp" "$kx" || fail "dpkg-deb -x $kpkg failed"
fi
bx="$cache/busybox.x"
if [[ ! -d $bx ]]; then
  dpkg-deb -x "$(deb_of busybox-static)" "$bx.tmp" && mv "$bx.tmp" "$bx" || fail "dpkg-deb -x busybox failed"
fi
vmlinuz=$(ls "$kx"/boot/vmlinuz-* | head -n 1)
moddir=$(ls -d "$kx"/lib/modules/* | head -n 1)
busybox="$bx/bin/busybox"
[[ -f $vmlinuz && -d $moddir && -x $busybox ]] || fail "kernel, modules or busybox missing in $cache"

# --- Initramfs: busybox, modules in load order, kesu installed with its libraries -----------
root="$work/root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc,lib/modules,usr/bin,usr/share/kesu,root}
cp "$busybox" "$root/bin/busybox"
python3 "$src/tests/e2e/module_order.py" "$moddir" \
  crct10dif_generic crc64_rocksoft_generic scsi_mod sd_mod ahci virtio_scsi virtio_blk virtio_pci nvme mptsas usb-storage xhci-pci \
  sdhci-pci mmc_block \
  >"$work/modules.txt" || fail "cannot order the kernel modules"
while read -r rel; do
  cp "$moddir/$rel" "$root/lib/modules/"
  basename "$rel" >>"$root/lib/modules/order"
done <"$work/modules.txt"
cp "$KESU" "$root/usr/bin/kesu"
for lib in $(ldd "$KESU" | awk '/=>/{print $3} /^\s*\/lib|ld-linux/{print $1}' | grep '^/' | sort -u); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
cp -r "$src/erase-methods" "$root/usr/share/kesu/erase-methods"
cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
for m in $(cat /lib/modules/order); do insmod /lib/modules/$m 2>/dev/null; done
want=8
for i in $(seq 1 120); do
  n=0
  for d in /sys/block/sd* /sys/block/vd* /sys/block/nvme* /sys/block/mmcblk*; do [ -e "$d" ] && n=$((n + 1)); done
  [ $n -ge $want ] && break
  sleep 0.5
done
sleep 1
out() {  # out NAME FILE: the file, base64, between markers on the console
  echo "KESU-E2E-BEGIN $1"; base64 "$2"; echo "KESU-E2E-END $1"
}
cd /root
export HOME=/root
kesu list --json >/tmp/list.json 2>/tmp/list.err
echo $? >/tmp/list.rc
out list.json /tmp/list.json; out list.err /tmp/list.err; out list.rc /tmp/list.rc
for d in /sys/block/sd* /sys/block/vd* /sys/block/nvme* /sys/block/mmcblk*; do
  [ -e "$d" ] || continue
  n=${d##*/}
  # An SD card has no SANITIZE: the eMMC method must be refused before anything is written.
  case $n in
    mmcblk*)
      kesu erase /dev/$n --method mmc-sanitize --yes --no-pdf --cert-dir /tmp/mmcsan-$n \
        >/tmp/mmcsan-$n.out 2>/tmp/mmcsan-$n.err
      echo $? >/tmp/mmcsan-$n.rc
      out mmcsan-$n.rc /tmp/mmcsan-$n.rc; out mmcsan-$n.err /tmp/mmcsan-$n.err
      ls /tmp/mmcsan-$n >/tmp/mmcsan-$n.ls 2>/dev/null; out mmcsan-$n.ls /tmp/mmcsan-$n.ls ;;
  esac
  kesu erase /dev/$n --method nist-800-88-clear --yes --json --no-pdf --cert-dir /tmp/certs-$n \
    --operator "E2E Tester" --customer "QEMU" >/tmp/erase-$n.out 2>/tmp/erase-$n.err
  echo $? >/tmp/erase-$n.rc
  out erase-$n.rc /tmp/erase-$n.rc; out erase-$n.err /tmp/erase-$n.err
  for c in /tmp/certs-$n/*.json; do [ -f "$c" ] && out cert-$n.json "$c"; done
  # A USB drive once more with one pass of zeros, which Clears no USB flash medium.
  case $(readlink -f $d) in
    */usb*)
      kesu erase /dev/$n --method zero --yes --json --no-pdf --cert-dir /tmp/zero-$n \
        >/tmp/zero-$n.out 2>/tmp/zero-$n.err
      for c in /tmp/zero-$n/*.json; do [ -f "$c" ] && out zero-$n.json "$c"; done ;;
  esac
done
sync
echo KESU-E2E-DONE
poweroff -f
EOF
chmod 755 "$root/init"
(cd "$root" && find . | "$busybox" cpio -o -H newc 2>/dev/null | gzip -1 >"$work/initrd.gz") ||
  fail "cannot build the initramfs"

# --- Drives: 16 MiB images on /dev/shm, each full of its marker ------------------------------
MiB=$((1 << 20))
declare -A marker
for d in nvme sata vscsi sas usb usbflash vblk sd; do
  marker[$d]="KESU-E2E-MARKER-$d-5d1c"
  python3 - "$work/$d.img" "${marker[$d]}" <<'EOF'
import sys
path, m = sys.argv[1], (sys.argv[2] + "\n").encode()
block = (m * (4096 // len(m) + 1))[:4096]
with open(path, "wb") as f:
    for _ in range(16 * 256):
        f.write(block)
EOF
done

qemu=(qemu-system-x86_64 -machine q35 -accel tcg -m 1024 -smp 2 -display none -no-reboot
  -monitor none -serial "file:$work/console.log" -smbios "type=1,serial=QEMU-DMI-SER-7" -kernel "$vmlinuz" -initrd "$work/initrd.gz"
  -append "console=ttyS0,115200 panic=-1 quiet loglevel=3"
  -drive "if=none,id=nv,file=$work/nvme.img,format=raw"
  -device "nvme,drive=nv,serial=NVME-SER-1"
  -drive "if=none,id=sa,file=$work/sata.img,format=raw"
  -device "ide-hd,bus=ide.0,drive=sa,serial=SATA-SER-2,model=BarDisk,wwn=0x5000c50015ea71ac"
  -device "virtio-scsi-pci,id=vscsi"
  -drive "if=none,id=vs,file=$work/vscsi.img,format=raw"
  -device "scsi-hd,bus=vscsi.0,drive=vs,serial=VSCSI-SER-3,wwn=0x5000c50015ea71ad"
  -device "mptsas1068,id=sas"
  -drive "if=none,id=ss,file=$work/sas.img,format=raw"
  -device "scsi-hd,bus=sas.0,drive=ss,serial=SAS-SER-4,wwn=0x5000c50015ea71ae"
  -device "qemu-xhci,id=xhci"
  -drive "if=none,id=us,file=$work/usb.img,format=raw"
  -device "usb-storage,bus=xhci.0,drive=us,serial=USB-SER-5,removable=on"
  -device "usb-bot,id=bot,bus=xhci.0"
  -drive "if=none,id=uf,file=$work/usbflash.img,format=raw"
  -device "scsi-hd,bus=bot.0,scsi-id=0,lun=0,drive=uf,serial=USB-SER-8,rotation_rate=1,removable=on"
  -drive "if=none,id=vb,file=$work/vblk.img,format=raw"
  -device "virtio-blk-pci,drive=vb,serial=VBLK-SER-6"
  -device "sdhci-pci,id=sdhci"
  -drive "if=none,id=sdc,file=$work/sd.img,format=raw"
  -device "sd-card,drive=sdc")
start=$(date +%s)
timeout 270 "${qemu[@]}" &
qpid=$!
wait "$qpid"
qrc=$?
qpid=""
echo "guest ran $(($(date +%s) - start)) s (qemu exit $qrc)"
grep -q KESU-E2E-DONE "$work/console.log" ||
  fail "the guest did not finish (qemu exit $qrc); console tail: $(tail -c 2000 "$work/console.log")"

python3 "$src/tests/e2e/check_qemu_drives.py" "$work" || fail "host checks failed"
for d in nvme sata vscsi sas usb usbflash vblk sd; do
  n=$(grep -c -a -F "${marker[$d]}" "$work/$d.img")
  [[ $n -eq 0 ]] || fail "$d: the marker is still on the drive ($n lines)"
done
cmp -s -n $((16 << 20)) "$work/sd.img" /dev/zero || fail "sd: the SD card's image is not all zeros"
echo "PASS: eight emulated drives listed, erased and certified with the identity QEMU was given"
