#!/usr/bin/env python3
"""Host-side checks of tests/e2e/qemu_drives.sh: reads the guest's console log (files printed
base64 between KESU-E2E-BEGIN/END markers) and checks `kesu list --json` against what QEMU was
told for each drive, that every erase exited 0, and that each certificate's identity equals the
listing. Usage: check_qemu_drives.py WORKDIR. Exits 1 naming every mismatch."""
import base64
import json
import re
import sys

# What QEMU was told (qemu_drives.sh), and the transport and media kesu must derive.
EXPECTED = {
    "NVME-SER-1": {"tran": "nvme", "media": "nvme", "model": "QEMU NVMe Ctrl"},
    "SATA-SER-2": {"tran": "sata", "media": "hdd", "model": "BarDisk",
                   "wwn": "0x5000c50015ea71ac"},
    "VSCSI-SER-3": {"tran": "scsi", "media": "hdd", "vendor": "QEMU", "model": "QEMU HARDDISK",
                    "wwn": "0x5000c50015ea71ad"},
    "SAS-SER-4": {"tran": "sas", "media": "hdd", "vendor": "QEMU", "model": "QEMU HARDDISK",
                  "wwn": "0x5000c50015ea71ae"},
    # QEMU's usb-storage reports no rotation rate (VPD B1h 0) and takes no ATA PASS-THROUGH,
    # but its medium is removable (removable=on, INQUIRY RMB): a pen drive, USB flash.
    "USB-SER-5": {"tran": "usb", "media": "usb-flash", "wwn": None, "rm": True},
    # A USB drive whose device answers VPD B1h with rotation rate 1 (usb-bot + scsi-hd): flash.
    "USB-SER-8": {"tran": "usb", "media": "usb-flash", "wwn": None, "rm": True},
    "VBLK-SER-6": {"tran": "virtio", "media": "virtual", "wwn": None},
}
SIZE = 16 << 20
# What each medium's category reason must cite (methods/nist.h).
REASON = {
    "hdd": ["Table A-5: Magnetic Media Sanitization", "Rev. 2 (2025)"],
    "nvme": ["Table A-8: Flash Memory-Based Storage Device Sanitization", "Rev. 2 (2025)"],
    "unknown": ["media type unknown", "weaker case", "USB Removable Media"],
    "usb-flash": ["(USB Removable Media): Clear needs at least two overwrite passes", "Rev. 2",
                  "wear levelling"],
    "memory-card": ["(Memory Cards): Clear needs at least two overwrite passes", "Rev. 2",
                    "wear levelling"],
    "virtual": ["logical content only"],
}


def sections(log):
    out = {}
    for m in re.finditer(r"KESU-E2E-BEGIN (\S+)\r?\n(.*?)KESU-E2E-END \1", log, re.S):
        text = "".join(l.strip() for l in m.group(2).splitlines())
        out.setdefault(m.group(1), base64.b64decode(text))
    return out


def check_sd_card(s, card, check):
    """`kesu erase --method mmc-sanitize` on the SD card: refused with exit 2 and one line,
    before anything is written (no certificate)."""
    n = card["name"]
    rc = s.get("mmcsan-%s.rc" % n, b"").strip()
    err = s.get("mmcsan-%s.err" % n, b"").decode(errors="replace").strip()
    check(rc == b"2", "%s: mmc-sanitize on an SD card exited %r: %s" % (n, rc, err))
    check(len(err.splitlines()) == 1 and "does not support mmc-sanitize" in err and
          "nothing was written" in err,
          "%s: mmc-sanitize refusal is not one line naming the command: %r" % (n, err))
    check(not s.get("mmcsan-%s.ls" % n, b"").strip(),
          "%s: a certificate was written for the refused mmc-sanitize" % n)
    fw = card.get("firmware-erase") or {}
    check(fw.get("protocol") == "mmc" and not fw.get("commands"),
          "%s: SD card firmware-erase %r" % (n, fw))
    print("mmc-sanitize refusal:", err)


def main():
    work = sys.argv[1]
    with open(work + "/console.log", "r", errors="replace") as f:
        s = sections(f.read())
    errors = []

    def check(cond, what):
        if not cond:
            errors.append(what)

    check(s.get("list.rc", b"").strip() == b"0", "kesu list exited %r: %r" %
          (s.get("list.rc"), s.get("list.err", b"")[-500:]))
    devices = json.loads(s["list.json"])["devices"]
    by_serial = {d["serial"]: d for d in devices if d.get("serial")}
    # The SD card (sdhci-pci + sd-card): its serial is the CID's PSN QEMU makes up.
    cards = [d for d in devices if d.get("tran") == "mmc"]
    check(len(cards) == 1 and cards[0].get("serial"), "SD card: listed as %r" % cards)
    if cards and cards[0].get("serial"):
        EXPECTED[cards[0]["serial"]] = {"tran": "mmc", "media": "memory-card", "wwn": None}
        check_sd_card(s, cards[0], check)
    for d in devices:
        if d.get("media") in ("usb-flash", "memory-card"):
            fw = d.get("firmware-erase") or {}
            notes = " ".join(fw.get("notes") or [])
            check(not fw.get("commands"), "%s: firmware commands %r" % (d["name"], fw))
            check("wear levelling" in notes and "Clear" in notes,
                  "%s (%s): kesu list does not say why no firmware method applies: %r" %
                  (d["name"], d["media"], fw))
    for serial, want in EXPECTED.items():
        d = by_serial.get(serial)
        if d is None:
            errors.append("%s: not listed (listed: %s)" % (serial, sorted(by_serial)))
            continue
        name = d["name"]
        for k, v in want.items():
            check(d.get(k) == v, "%s (%s): %s is %r, expected %r" % (serial, name, k, d.get(k), v))
        check(d["size"] == SIZE, "%s: size %r" % (serial, d["size"]))
        check(not (d.get("wwn") or "").startswith("t10."), "%s: wwn is a T10 id" % serial)
        check(d["erasable"], "%s: not erasable: %s" % (serial, d.get("refusal")))
        rc = s.get("erase-%s.rc" % name, b"").strip()
        check(rc == b"0", "%s: kesu erase /dev/%s exited %r: %r" %
              (serial, name, rc, s.get("erase-%s.err" % name, b"")[-600:]))
        raw = s.get("cert-%s.json" % name)
        if raw is None:
            errors.append("%s: no certificate" % serial)
            continue
        c = json.loads(raw)
        media = c["media"]
        val = lambda k: media[k]["value"]
        for ck, lk in (("serial", "serial"), ("model", "model"), ("wwn", "wwn"),
                       ("transport", "tran"), ("make", "vendor"), ("firmware", "firmware")):
            check(val(ck) == d[lk], "%s: certificate %s %r != listing %r" %
                  (serial, ck, val(ck), d[lk]))
        want_type = None if d["media"] == "unknown" else d["media"]
        check(val("type") == want_type, "%s: certificate type %r, listing %r" %
              (serial, val("type"), d["media"]))
        check(val("path") == d["path"], "%s: certificate path" % serial)
        check(c["station"]["host"]["value"] == "QEMU-DMI-SER-7",
              "%s: station.host is %r, expected the DMI serial" % (serial, c["station"]["host"]))
        cat = c["sanitization"]["category"]
        reason = c["sanitization"]["category_reason"]
        check(cat == "clear", "%s: category %r: %s" % (serial, cat, reason))
        for needle in REASON.get(d["media"], []):
            check(needle in reason, "%s: category reason lacks %r: %s" % (serial, needle, reason))
        check(d["media"] == "virtual" or "logical content only" not in reason,
              "%s: a physical drive's reason says 'logical content only'" % serial)
        if d["tran"] == "usb":
            z = s.get("zero-%s.json" % name)
            if z is None:
                errors.append("%s: no certificate for the one-pass zero erasure" % serial)
            else:
                zs = json.loads(z)["sanitization"]
                check(zs["category"] == "none" and
                      "reaches no NIST SP 800-88 category" in zs["category_reason"] and
                      "a pattern then its complement" in zs["category_reason"],
                      "%s: one pass of zeros certified %r: %s" %
                      (serial, zs["category"], zs["category_reason"]))
        print("%-11s %-8s %-6s %-8s wwn=%-20s category=%s" %
              (serial, name, d["tran"], d["media"], d["wwn"], cat))
    for e in errors:
        print("MISMATCH:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
