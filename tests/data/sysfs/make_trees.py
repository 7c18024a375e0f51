#!/usr/bin/env python3
"""Writes the captured sysfs/proc trees used by tests/unit/devices (run from this directory).

Each scenario mirrors the layout of a real /sys: sys/block/NAME is a relative symlink into
sys/devices/..., `device` is a symlink from the block directory to the device node,
partitions are subdirectories holding a `partition` file, holders/slaves hold symlinks to
the stacking devices, and proc/self/{mountinfo,exe} and proc/swaps sit beside them. Shapes
were copied from real machines (attribute names, path components), with made-up serials.
Re-running the script rewrites the trees identically.
"""
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def w(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(text, bytes) else "w"
    with open(path, mode) as f:
        f.write(text)


def link(path, target):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.lexists(path):
        os.remove(path)
    os.symlink(target, path)


def vpd80(serial):
    s = serial.encode()
    return bytes([0x00, 0x80]) + struct.pack(">H", len(s)) + s


def vpd83_naa(naa_hex):
    naa = bytes.fromhex(naa_hex)
    # T10 vendor id descriptor (type 1, ASCII) then NAA (type 3, binary, association LU).
    t10 = b"ATA     WDC WD10EZEX"
    d1 = bytes([0x02, 0x01, 0x00, len(t10)]) + t10
    d2 = bytes([0x01, 0x03, 0x00, len(naa)]) + naa
    body = d1 + d2
    return bytes([0x00, 0x83]) + struct.pack(">H", len(body)) + body


def vpdb1(rate):
    """Block Device Characteristics (SBC-4 §6.6.2): MEDIUM ROTATION RATE in bytes 4-5."""
    body = struct.pack(">H", rate) + bytes([0x00, 0x00]) + bytes(56)
    return bytes([0x00, 0xb1]) + struct.pack(">H", len(body)) + body


class Tree:
    def __init__(self, name):
        self.root = os.path.join(HERE, name)
        shutil.rmtree(self.root, ignore_errors=True)
        os.makedirs(os.path.join(self.root, "sys/block"))

    def disk(self, name, devpath, dev, sectors, rotational=0, ro=0, removable=0, lbs=512,
             pbs=512, attrs=None, device_dir=None, device_attrs=None):
        """devpath: path under sys/devices ending in block/NAME. device_dir: the device node
        the `device` link points at (relative to sys/devices)."""
        full = os.path.join(self.root, "sys/devices", devpath)
        w(os.path.join(full, "dev"), dev + "\n")
        w(os.path.join(full, "size"), "%d\n" % sectors)
        w(os.path.join(full, "ro"), "%d\n" % ro)
        w(os.path.join(full, "removable"), "%d\n" % removable)
        w(os.path.join(full, "queue/rotational"), "%d\n" % rotational)
        w(os.path.join(full, "queue/logical_block_size"), "%d\n" % lbs)
        w(os.path.join(full, "queue/physical_block_size"), "%d\n" % pbs)
        os.makedirs(os.path.join(full, "holders"), exist_ok=True)
        os.makedirs(os.path.join(full, "slaves"), exist_ok=True)
        for k, v in (attrs or {}).items():
            w(os.path.join(full, k), v)
        if device_dir:
            ddir = os.path.join(self.root, "sys/devices", device_dir)
            for k, v in (device_attrs or {}).items():
                w(os.path.join(ddir, k), v)
            link(os.path.join(full, "device"), os.path.relpath(ddir, full))
        link(os.path.join(self.root, "sys/block", name),
             os.path.relpath(full, os.path.join(self.root, "sys/block")))
        return full

    def part(self, disk_full, name, dev, number, sectors):
        p = os.path.join(disk_full, name)
        w(os.path.join(p, "dev"), dev + "\n")
        w(os.path.join(p, "partition"), "%d\n" % number)
        w(os.path.join(p, "size"), "%d\n" % sectors)
        os.makedirs(os.path.join(p, "holders"), exist_ok=True)
        return p

    def holder(self, node_full, holder_name):
        link(os.path.join(node_full, "holders", holder_name), "../../" + holder_name)

    def slave(self, node_full, slave_name):
        link(os.path.join(node_full, "slaves", slave_name), "../../" + slave_name)

    def proc(self, mountinfo, swaps="", exe="/usr/bin/kesu"):
        w(os.path.join(self.root, "proc/self/mountinfo"), mountinfo)
        w(os.path.join(self.root, "proc/swaps"),
          "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n" + swaps)
        link(os.path.join(self.root, "proc/self/exe"), exe)


# / lives on a disk that is not part of the scenario unless the scenario says otherwise.
BASE_MOUNTS = (
    "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
    "23 27 0:22 / /sys rw,relatime - sysfs sysfs rw\n"
    "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
)

SCSI_ATTRS = {"scsi_level": "7\n", "vendor": "ATA     \n"}

# (a) A SATA disk behind a USB dock (uas), with VPD pages in sysfs; a second USB bridge
# whose sysfs has no VPD pages (identity must come from INQUIRY through SG_IO).
t = Tree("usb_dock")
usb = "pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0"
d = t.disk("sdb", usb + "/block/sdb", "8:16", 1953525168, rotational=1, pbs=4096,
           device_dir=usb, device_attrs=dict(SCSI_ATTRS, **{
               "model": "WDC WD10EZEX-00B\n", "rev": "1A01\n",
               "vpd_pg80": vpd80("     WD-WCC3F1234567"),
               "vpd_pg83": vpd83_naa("50014ee2b1c2d3e4"), "vpd_pgb1": vpdb1(7200)}))
t.part(d, "sdb1", "8:17", 1, 1953521664)
usb2 = "pci0000:00/0000:00:14.0/usb3/3-2/3-2:1.0/host7/target7:0:0/7:0:0:0"
t.disk("sdc", usb2 + "/block/sdc", "8:32", 62521344, rotational=0, removable=1,
       device_dir=usb2, device_attrs={"scsi_level": "7\n", "vendor": "JMicron \n",
                                      "model": "Generic         \n", "rev": "0508\n"})
t.proc(BASE_MOUNTS)

# (b) NVMe drives: nvme0n1 with a partition mounted at a path with a space; nvme1n1 whose
# controller directory lacks serial/firmware_rev (identity from Identify Controller).
t = Tree("nvme")
ctrl = "pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0"
d = t.disk("nvme0n1", ctrl + "/nvme0n1", "259:0", 1000215216, lbs=512, pbs=512,
           attrs={"wwid": "eui.0025388b91b2c1d3\n"}, device_dir=ctrl,
           device_attrs={"model": "Samsung SSD 970 EVO Plus 500GB          \n",
                         "serial": "S4EVNX0N123456A     \n", "firmware_rev": "2B2QEXM7\n"})
t.part(d, "nvme0n1p1", "259:1", 1, 1048576)
t.part(d, "nvme0n1p2", "259:2", 2, 999164559)
ctrl1 = "pci0000:00/0000:00:1c.4/0000:3e:00.0/nvme/nvme1"
t.disk("nvme1n1", ctrl1 + "/nvme1n1", "259:3", 250069680, device_dir=ctrl1,
       device_attrs={"model": "\n"})
t.proc(BASE_MOUNTS + "40 27 259:1 / /mnt/my\\040disk rw,relatime - vfat /dev/nvme0n1p1 rw\n")

# (c) A virtio system disk (vda1 at /, vda2 at /boot, swap on vda3), a swap-only disk vdb,
# a read-only disk vdc, kesu's boot stick sdd (partition labelled KESU-DATA, injected by the
# test's contents prober), and sde holding the filesystem kesu's binary runs from.
t = Tree("system_disk")
d = t.disk("vda", "pci0000:00/0000:00:02.0/virtio1/block/vda", "254:0", 536870912,
           rotational=1, attrs={"serial": "sys-disk-01\n"},
           device_dir="pci0000:00/0000:00:02.0/virtio1", device_attrs={"vendor": "0x1af4\n"})
t.part(d, "vda1", "254:1", 1, 500000000)
t.part(d, "vda2", "254:2", 2, 2097152)
t.part(d, "vda3", "254:3", 3, 8388608)
d = t.disk("vdb", "pci0000:00/0000:00:03.0/virtio2/block/vdb", "254:16", 16777216,
           device_dir="pci0000:00/0000:00:03.0/virtio2")
t.part(d, "vdb1", "254:17", 1, 16775168)
t.disk("vdc", "pci0000:00/0000:00:04.0/virtio3/block/vdc", "254:32", 2097152, ro=1,
       device_dir="pci0000:00/0000:00:04.0/virtio3")
stick = "pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/host8/target8:0:0/8:0:0:0"
d = t.disk("sdd", stick + "/block/sdd", "8:48", 60088320, removable=1, device_dir=stick,
           device_attrs={"scsi_level": "7\n", "vendor": "SanDisk \n", "model": "Ultra\n",
                         "vpd_pg80": vpd80("4C530001230906117472")})
t.part(d, "sdd1", "8:49", 1, 1048576)
t.part(d, "sdd2", "8:50", 2, 59037696)
sata = "pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0"
d = t.disk("sde", sata + "/block/sde", "8:64", 234441648, device_dir=sata,
           device_attrs=dict(SCSI_ATTRS, model="INTEL SSDSC2KB24\n",
                             vpd_pg80=vpd80("BTYF12345678240AGN  ")))
t.part(d, "sde1", "8:65", 1, 234440704)
t.proc(
    "22 28 0:21 / /proc rw,relatime - proc proc rw\n"
    "28 1 254:1 / / rw,relatime - ext4 /dev/vda1 rw,errors=remount-ro\n"
    "29 28 254:2 / /boot rw,relatime - ext4 /dev/vda2 rw\n"
    "30 28 8:65 / /opt/kesu rw,relatime - ext4 /dev/sde1 rw\n",
    swaps="/dev/vda3                               partition\t8388604\t\t0\t\t-2\n"
          "/dev/vdb1                               partition\t8387580\t\t0\t\t-3\n",
    exe="/opt/kesu/bin/kesu")

# (d) md and dm: sdb and sdc are members of md0; sdf's partition sdf1 is held by dm-0
# (LVM vg0-data, mounted at /srv); sdg's partition sdg2 is the slave of dm-1 mounted at /usr.
t = Tree("md_member")
def sata_disk(t, name, port, dev, serial):
    dd = "pci0000:00/0000:00:1f.2/ata%d/host%d/target%d:0:0/%d:0:0:0" % (port, port, port, port)
    return t.disk(name, dd + "/block/" + name, dev, 3907029168, rotational=1, pbs=4096,
                  device_dir=dd, device_attrs=dict(SCSI_ATTRS, model="ST2000DM008-2FR1\n",
                                                   rev="0001\n", vpd_pg80=vpd80(serial),
                                                   wwid="naa.5000c500a1b2c3d%d\n" % port))
sdb = sata_disk(t, "sdb", 2, "8:16", "ZFL0AAA1")
sdc = sata_disk(t, "sdc", 3, "8:32", "ZFL0AAA2")
sdf = sata_disk(t, "sdf", 4, "8:80", "ZFL0AAA3")
sdg = sata_disk(t, "sdg", 5, "8:96", "ZFL0AAA4")
t.holder(sdb, "md0")
t.holder(sdc, "md0")
sdf1 = t.part(sdf, "sdf1", "8:81", 1, 3907027000)
link(os.path.join(sdf1, "holders", "dm-0"), "../../../dm-0")
t.part(sdg, "sdg1", "8:97", 1, 1048576)
sdg2 = t.part(sdg, "sdg2", "8:98", 2, 3907000000)
link(os.path.join(sdg2, "holders", "dm-1"), "../../../dm-1")
md = t.disk("md0", "virtual/block/md0", "9:0", 3906762752)
t.slave(md, "sdb")
t.slave(md, "sdc")
dm0 = t.disk("dm-0", "virtual/block/dm-0", "253:0", 3907027000, attrs={"dm/name": "vg0-data\n"})
t.slave(dm0, "sdf1")
dm1 = t.disk("dm-1", "virtual/block/dm-1", "253:1", 3907000000, attrs={"dm/name": "vg0-usr\n"})
t.slave(dm1, "sdg2")
t.proc(BASE_MOUNTS +
       "41 27 253:0 / /srv rw,relatime - xfs /dev/mapper/vg0-data rw\n"
       "42 27 253:1 / /usr rw,relatime - ext4 /dev/mapper/vg0-usr rw\n")

# (e) Loop devices: loop3 bound to an image with one partition (losetup -P), loop4 unbound
# (size 0), a RAM disk (major 1) and a sized zram device.
t = Tree("loop")
d = t.disk("loop3", "virtual/block/loop3", "7:3", 131072,
           attrs={"loop/backing_file": "/dev/shm/kesu-test/disk.img\n",
                  "loop/offset": "0\n", "loop/autoclear": "0\n"})
t.part(d, "loop3p1", "259:5", 1, 129024)
t.disk("loop4", "virtual/block/loop4", "7:4", 0)
t.disk("ram0", "virtual/block/ram0", "1:0", 131072)
t.disk("zram0", "virtual/block/zram0", "252:0", 8388608,
       attrs={"comp_algorithm": "lzo [lz4] zstd\n", "initstate": "1\n"})
t.proc(BASE_MOUNTS)

# (f) The drives of the QEMU end-to-end test, one per transport, as a Debian 6.1 kernel shows
# them: sda on AHCI (libata: device/wwid is the T10 vendor identification "t10.ATA …" because
# the drive has no WWN, and vpd_pg83 holds only that designator), sdb on AHCI with a WWN (wwid
# "naa.…"), sdc a scsi-hd on virtio-scsi (the virtioN component is the host adapter; VPD B1
# reports rotation rate 0, rotational=1), sdd a scsi-hd on the mptsas1068 SAS HBA, sde a
# usb-storage stick (rotational=1 as usb-storage always reports, no VPD pages in sysfs), vda a
# virtio-blk disk with a serial (rotational=1), nvme0n1 a QEMU NVMe namespace.
def vpd83_t10_only(vendor_id):
    d1 = bytes([0x02, 0x01, 0x00, len(vendor_id)]) + vendor_id
    return bytes([0x00, 0x83]) + struct.pack(">H", len(d1)) + d1


t = Tree("qemu_drives")
ahci = "pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0"
t10 = b"ATA     BarDisk                                 SATA-SER-2"
t.disk("sda", ahci + "/block/sda", "8:0", 131072, rotational=1, device_dir=ahci,
       device_attrs={"scsi_level": "6\n", "vendor": "ATA     \n", "model": "BarDisk         \n",
                     "rev": "2.5+\n", "wwid": t10.decode() + "\n",
                     "vpd_pg80": vpd80("SATA-SER-2"), "vpd_pg83": vpd83_t10_only(t10),
                     "vpd_pgb1": vpdb1(0x1c20)})
ahci2 = "pci0000:00/0000:00:1f.2/ata2/host1/target1:0:0/1:0:0:0"
t.disk("sdb", ahci2 + "/block/sdb", "8:16", 131072, rotational=0, device_dir=ahci2,
       device_attrs={"scsi_level": "6\n", "vendor": "ATA     \n", "model": "FooSSD          \n",
                     "rev": "2.5+\n", "wwid": "naa.5000c50015ea71ac\n",
                     "vpd_pg80": vpd80("SATA-SER-3"), "vpd_pg83": vpd83_naa("5000c50015ea71ac"),
                     "vpd_pgb1": vpdb1(1)})
vscsi = "pci0000:00/0000:00:04.0/virtio2/host2/target2:0:0/2:0:0:0"
t.disk("sdc", vscsi + "/block/sdc", "8:32", 131072, rotational=1, device_dir=vscsi,
       device_attrs={"scsi_level": "6\n", "vendor": "QEMU    \n", "model": "QEMU HARDDISK   \n",
                     "rev": "2.5+\n", "wwid": "naa.5000c50015ea71ad\n",
                     "vpd_pg80": vpd80("VSCSI-SER-3"), "vpd_pg83": vpd83_naa("5000c50015ea71ad"),
                     "vpd_pgb1": vpdb1(0)})
sas = "pci0000:00/0000:00:05.0/host3/port-3:0/end_device-3:0/target3:0:0/3:0:0:0"
t.disk("sdd", sas + "/block/sdd", "8:48", 131072, rotational=0, device_dir=sas,
       device_attrs={"scsi_level": "6\n", "vendor": "QEMU    \n", "model": "QEMU HARDDISK   \n",
                     "rev": "2.5+\n", "wwid": "naa.5000c50015ea71ae\n",
                     "vpd_pg80": vpd80("SAS-SER-4"), "vpd_pg83": vpd83_naa("5000c50015ea71ae"),
                     "vpd_pgb1": vpdb1(1)})
usbst = "pci0000:00/0000:00:06.0/usb2/2-1/2-1:1.0/host4/target4:0:0/4:0:0:0"
t.disk("sde", usbst + "/block/sde", "8:64", 131072, rotational=1, removable=1,
       device_dir=usbst,
       device_attrs={"scsi_level": "6\n", "vendor": "QEMU    \n", "model": "QEMU HARDDISK   \n",
                     "rev": "2.5+\n"})
t.disk("vda", "pci0000:00/0000:00:07.0/virtio3/block/vda", "254:0", 131072, rotational=1,
       attrs={"serial": "VBLK-SER-6\n"}, device_dir="pci0000:00/0000:00:07.0/virtio3",
       device_attrs={"vendor": "0x1af4\n"})
qnvme = "pci0000:00/0000:00:08.0/nvme/nvme0"
t.disk("nvme0n1", qnvme + "/nvme0n1", "259:0", 131072,
       attrs={"wwid": "nvme.1b36-4e564d452d5345522d31-51454d55204e564d65204374726c-00000001\n"},
       device_dir=qnvme,
       device_attrs={"model": "QEMU NVMe Ctrl                          \n",
                     "serial": "NVME-SER-1          \n", "firmware_rev": "8.0.0   \n"})
t.proc(BASE_MOUNTS)
