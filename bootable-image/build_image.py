#!/usr/bin/env python3
"""Builds the kesu USB image (kesu-usb.img) from plain files: no loop device, no mount, no root.

Usage: build_image.py BUILD_DIR SOURCE_DIR [--out FILE] [--kesu FILE] [--data-mib N]

  BUILD_DIR   the CMake build tree: kesu is BUILD_DIR/kesu, the package cache BUILD_DIR/image-cache
              (kept across builds), scratch files BUILD_DIR/image-work, the image
              BUILD_DIR/kesu-usb.img unless --out says otherwise
  SOURCE_DIR  the kesu source tree (bootable-image/, erase-methods/)

Layout (GPT, 512-byte sectors):
  p1  BIOS boot (EF02), LBA 2048-4095: GRUB's i386-pc core.img; the MBR holds GRUB's boot.img
  p2  EFI system (EF00), FAT32 "KESU-BOOT": shim, GRUB and the kernel, all signed for Secure
      Boot by Debian (shim by Microsoft), the initramfs and grub.cfg
  p3  data (0700), FAT32 "KESU-DATA": config/, keys/, work-orders/, certificates/, logs/

Everything comes from the Debian packages pinned in bootable-image/packages.lock, fetched with
`apt-get download` and unpacked with `dpkg-deb -x` into the cache. The filesystems are made as
separate files (mkfs.fat -C, mtools) and written into the image at their offsets with dd; the
partition table is sgdisk's. GRUB's BIOS installer cannot work on a file, so boot.img and
core.img are patched here as grub-bios-setup would (grub-core/boot/i386/pc/boot.S, diskboot.S).

Exit: 0 built; 1 a step failed (one line saying which); 4 a pinned package could not be fetched
(no network or apt does not know the version), so a test can skip.
"""
import argparse
import glob
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import time

SECTOR = 512
MIB = 1 << 20
HERE = os.path.dirname(os.path.abspath(__file__))
EXIT_NO_PACKAGE = 4

# GRUB modules in the BIOS core.img: read GPT and FAT, find KESU-BOOT by label, show the menu on
# the serial line too, and boot Linux.
CORE_MODULES = ("biosdisk part_gpt fat search search_label normal configfile linux echo serial "
                "terminal test ls").split()


class BuildError(Exception):
    def __init__(self, message, code=1):
        super().__init__(message)
        self.code = code


def run(*cmd, cwd=None, env=None, stdout=None):
    """Runs a command; raises BuildError with its stderr when it fails."""
    full_env = dict(os.environ, MTOOLS_SKIP_CHECK="1", LC_ALL="C")
    if env:
        full_env.update(env)
    p = subprocess.run(cmd, cwd=cwd, env=full_env, stdout=stdout or subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        err = p.stderr.decode(errors="replace").strip().splitlines()
        raise BuildError(f"{' '.join(cmd[:3])}... failed ({p.returncode}): "
                         f"{err[-1] if err else 'no message'}")
    return p.stdout.decode(errors="replace") if stdout is None else ""


def step(message):
    print(f"image: {message}", flush=True)


# --- Packages ------------------------------------------------------------------------------------

def read_lock(path):
    """packages.lock as [(name, version)]."""
    pins = []
    with open(path) as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                name, version = line.split()
                pins.append((name, version))
    return pins


def fetch(cache, name, version):
    """The cached .deb of NAME=VERSION, downloaded with apt-get download when missing."""
    debs = os.path.join(cache, "debs")
    os.makedirs(debs, exist_ok=True)
    pattern = os.path.join(debs, f"{name}_{version.replace(':', '%3a')}_*.deb")
    found = glob.glob(pattern)
    if not found:
        p = subprocess.run(["apt-get", "download", f"{name}={version}"], cwd=debs,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        found = glob.glob(pattern)
        if p.returncode != 0 or not found:
            err = p.stderr.decode(errors="replace").strip().splitlines()
            raise BuildError(f"cannot download {name}={version} (pinned in "
                             f"bootable-image/packages.lock): {err[-1] if err else '?'}; "
                             "run apt-get update, or update the pin", EXIT_NO_PACKAGE)
    return found[0]


def extract(cache, deb):
    """The directory DEB is unpacked into (cache/x/NAME_VERSION_ARCH), unpacked once."""
    dest = os.path.join(cache, "x", os.path.basename(deb)[: -len(".deb")])
    if not os.path.isdir(dest):
        tmp = dest + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        run("dpkg-deb", "-x", deb, tmp)
        os.rename(tmp, dest)
    return dest


def sha256(path):
    """Hex SHA-256 of the file PATH."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(MIB), b""):
            h.update(block)
    return h.hexdigest()


# --- Initramfs -----------------------------------------------------------------------------------

def kernel_of(tree):
    """(vmlinuz path, kernel version, module dir) of an unpacked linux-image package."""
    vmlinuz = glob.glob(os.path.join(tree, "boot", "vmlinuz-*"))
    if len(vmlinuz) != 1:
        raise BuildError(f"expected one boot/vmlinuz-* in {tree}")
    version = os.path.basename(vmlinuz[0])[len("vmlinuz-"):]
    return vmlinuz[0], version, os.path.join(tree, "lib", "modules", version)


def depmod(busybox, base, version):
    """Writes modules.dep and modules.alias under BASE/lib/modules/VERSION (busybox depmod;
    the host has no kmod). Skipped when a previous run finished (a marker file)."""
    done = os.path.join(base, "lib", "modules", version, ".kesu-depmod-done")
    if not os.path.exists(done):
        run(busybox, "depmod", "-b", base, version)
        open(done, "w").close()


def shared_libraries(binary):
    """Every shared library BINARY loads, with the dynamic loader: ldd follows DT_NEEDED
    recursively with the loader's own search rules. Raises when one is not found."""
    libs = []
    for line in run("ldd", binary).splitlines():
        line = line.strip()
        if "not found" in line:
            raise BuildError(f"{binary} needs a library the host lacks: {line}")
        if "=>" in line:
            path = line.split("=>", 1)[1].split("(")[0].strip()
        else:
            path = line.split("(")[0].strip()
        if path.startswith("/"):
            libs.append(path)
    return sorted(set(libs))


TERMINALS = ("linux", "vt100", "vt102", "vt220", "xterm", "xterm-256color", "screen")


def terminfo_entries():
    """The compiled terminfo entries of TERMINALS on this host (ncurses-base, in /lib/terminfo
    or /usr/share/terminfo). Raises when the console's own (linux) is missing."""
    found = []
    for name in TERMINALS:
        for base in ("/lib/terminfo", "/usr/share/terminfo"):
            path = os.path.join(base, name[0], name)
            if os.path.isfile(path):
                found.append(path)
                break
    if not any(p.endswith("/linux") for p in found):
        raise BuildError("no terminfo entry for the console (linux): install ncurses-base")
    return found


def install(src, root, dest, mode=None):
    """Copies SRC to ROOT/DEST (following symlinks), creating directories."""
    target = os.path.join(root, dest.lstrip("/"))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copy(src, target)
    if mode is not None:
        os.chmod(target, mode)
    return target


def build_initramfs(args, trees, work, manifest):
    """Assembles the initramfs tree and packs it (newc cpio, gzip); returns the .gz path."""
    busybox = os.path.join(trees["busybox-static"], "bin", "busybox")
    vmlinuz, kver, moddir = kernel_of(trees["kernel"])
    depmod(busybox, trees["kernel"], kver)
    root = os.path.join(work, "initramfs")
    shutil.rmtree(root, ignore_errors=True)
    for d in ("bin", "sbin", "usr/bin", "usr/sbin", "dev", "proc", "sys", "tmp", "run", "root",
              "etc/kesu-image", "kesu-data"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    install(busybox, root, "/bin/busybox", 0o755)
    install(os.path.join(HERE, "init"), root, "/init", 0o755)
    install(os.path.join(HERE, "kesu-list-tsv"), root, "/usr/bin/kesu-list-tsv", 0o755)
    with open(os.path.join(root, "etc", "passwd"), "w") as fh:
        fh.write("root:x:0:0:root:/root:/bin/sh\n")
    with open(os.path.join(root, "etc", "group"), "w") as fh:
        fh.write("root:x:0:\n")

    # kesu as installed: BIN/../share/kesu/erase-methods, its libraries, the PDF font.
    install(args.kesu, root, "/usr/bin/kesu", 0o755)
    libs = shared_libraries(args.kesu)
    for lib in libs:
        install(lib, root, lib)
    methods = sorted(glob.glob(os.path.join(args.source, "erase-methods", "*.toml")))
    for m in methods:
        install(m, root, "/usr/share/kesu/erase-methods/" + os.path.basename(m), 0o644)
    font = "usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"
    install(os.path.join(trees["fonts-ipafont-gothic"], font), root, font, 0o644)
    # The station menu (ncurses, found among the libraries above) reads its terminal's
    # description from terminfo: the console (TERM=linux) and what a serial line is usually.
    terminfo = terminfo_entries()
    for entry in terminfo:
        install(entry, root, entry, 0o644)

    # Modules: the listed ones and their dependencies, then a modules.dep/alias of just those.
    order = run(sys.executable, os.path.join(HERE, "modules.py"), moddir,
                os.path.join(HERE, "modules.list")).split()
    for rel in order:
        install(os.path.join(moddir, rel), root, f"/lib/modules/{kver}/{rel}", 0o644)
    for f in ("modules.builtin", "modules.order"):
        install(os.path.join(moddir, f), root, f"/lib/modules/{kver}/{f}", 0o644)
    depmod(busybox, root, kver)
    os.remove(os.path.join(root, "lib", "modules", kver, ".kesu-depmod-done"))

    manifest.append(f"kernel {kver}")
    manifest.append(f"modules {len(order)}: " + " ".join(os.path.basename(r)[:-3] for r in order))
    manifest.append(f"kesu libraries {len(libs)}: " + " ".join(libs))
    manifest.append(f"terminfo {len(terminfo)}: " + " ".join(terminfo))
    with open(os.path.join(root, "etc", "kesu-image", "version"), "w") as fh:
        fh.write(run(args.kesu, "--version").strip() + "\n")
    with open(os.path.join(root, "etc", "kesu-image", "manifest"), "w") as fh:
        fh.write("\n".join(manifest) + "\n")

    out = os.path.join(work, "initrd.gz")
    files = run("find", ".", cwd=root).split("\n")
    listing = "\n".join(sorted(f for f in files if f)) + "\n"
    with open(out, "wb") as fh:
        cpio = subprocess.Popen([busybox, "cpio", "-o", "-H", "newc"], cwd=root,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        gz = subprocess.Popen(["gzip", "-6", "-n"], stdin=cpio.stdout, stdout=fh)
        cpio.stdout.close()
        cpio.stdin.write(listing.encode())
        cpio.stdin.close()
        if cpio.wait() != 0 or gz.wait() != 0:
            raise BuildError("packing the initramfs (busybox cpio | gzip) failed")
    return vmlinuz, kver, out


# --- Filesystems ---------------------------------------------------------------------------------

def make_fat(path, mib, label):
    """A FAT32 filesystem of MIB MiB in the file PATH (mkfs.fat -C), 512-byte clusters for small
    ones so that FAT32's minimum of 65525 clusters is met."""
    if os.path.exists(path):
        os.remove(path)
    cluster = ["-s", "1"] if mib <= 512 else []
    run("mkfs.fat", "-F", "32", "-S", "512", *cluster, "-n", label, "-C", path, str(mib * 1024))


def mcopy(fs, src, dest):
    run("mcopy", "-o", "-i", fs, src, "::" + dest)


def mmd(fs, *dirs):
    run("mmd", "-i", fs, *("::" + d for d in dirs))


def build_esp(work, trees, vmlinuz, initrd, manifest_text):
    """The EFI system partition as a file; returns (path, MiB)."""
    shim = os.path.join(trees["shim-signed"], "usr/lib/shim/shimx64.efi.signed")
    grub = os.path.join(trees["grub-efi-amd64-signed"],
                        "usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed")
    payload = sum(os.path.getsize(p) for p in (shim, grub, vmlinuz, initrd))
    mib = max(64, (payload * 5 // 4) // MIB + 16)
    esp = os.path.join(work, "esp.fat")
    make_fat(esp, mib, "KESU-BOOT")
    mmd(esp, "/EFI", "/EFI/BOOT", "/EFI/debian", "/boot")
    # shim is the removable-media boot path; it loads grubx64.efi from its own directory.
    # No fbx64.efi here: shim would run the fallback and reboot (reference notes).
    mcopy(esp, shim, "/EFI/BOOT/BOOTX64.EFI")
    mcopy(esp, grub, "/EFI/BOOT/grubx64.efi")
    mcopy(esp, os.path.join(HERE, "grub.cfg"), "/EFI/debian/grub.cfg")
    mcopy(esp, vmlinuz, "/boot/vmlinuz")
    mcopy(esp, initrd, "/boot/initrd.gz")
    text = os.path.join(work, "kesu-image.txt")
    with open(text, "w") as fh:
        fh.write(manifest_text)
    mcopy(esp, text, "/kesu-image.txt")
    return esp, mib


DATA_README = """KESU-DATA: the data partition of the kesu USB stick (docs/bootable-image.md).
config/        kesu.toml (optional; paths in it start with /kesu-data/)
keys/          station.key + station.pem (the signing key), ca.pem (trust anchor),
               passphrase (optional: the key's passphrase, first line)
work-orders/   work orders for the technician
certificates/  certificates written by the station (JSON, .p7s, PDF, ledger)
logs/          one log per boot
"""


def build_data(work, mib):
    """The data partition as a file, with its directories; returns its path."""
    data = os.path.join(work, "data.fat")
    make_fat(data, mib, "KESU-DATA")
    mmd(data, "/config", "/keys", "/work-orders", "/certificates", "/logs")
    readme = os.path.join(work, "README.txt")
    with open(readme, "w") as fh:
        fh.write(DATA_README.replace("\n", "\r\n"))
    mcopy(data, readme, "/README.txt")
    return data


# --- BIOS boot code ------------------------------------------------------------------------------

BIOS_LBA = 2048  # partition 1, BIOS boot: 2048-4095


def build_core(work, trees):
    """GRUB's i386-pc core.img with early.cfg embedded; returns its bytes (at most 1 MiB)."""
    mkimage = os.path.join(trees["grub-common"], "usr/bin/grub-mkimage")
    moddir = os.path.join(trees["grub-pc-bin"], "usr/lib/grub/i386-pc")
    core = os.path.join(work, "core.img")
    run(mkimage, "-d", moddir, "-O", "i386-pc", "-o", core, "-c", os.path.join(HERE, "early.cfg"),
        "-p", "/EFI/debian", *CORE_MODULES)
    with open(core, "rb") as fh:
        data = bytearray(fh.read())
    if len(data) > (4096 - BIOS_LBA) * SECTOR:
        raise BuildError(f"core.img is {len(data)} bytes, more than the BIOS boot partition")
    # diskboot.S: the blocklist at the end of core.img's first sector names where the rest
    # lies: start LBA (u64 at 500), sector count (u16 at 508, set by grub-mkimage), segment.
    struct.pack_into("<Q", data, 500, BIOS_LBA + 1)
    return bytes(data)


def patch_mbr(image, trees):
    """Puts GRUB's boot.img code (bytes 0-439) into the MBR, keeping the disk signature, the
    protective partition table and 0x55AA that sgdisk wrote. boot.S: the u64 at 0x5c is the LBA
    of core.img; the two bytes at 0x66 are the jump that forces drive 0x80 for buggy BIOSes only
    when booting from a floppy, NOPed for hard disks as grub-bios-setup does."""
    with open(os.path.join(trees["grub-pc-bin"], "usr/lib/grub/i386-pc/boot.img"), "rb") as fh:
        boot = bytearray(fh.read())
    if len(boot) != SECTOR:
        raise BuildError("boot.img is not one sector")
    struct.pack_into("<Q", boot, 0x5C, BIOS_LBA)
    boot[0x66:0x68] = b"\x90\x90"
    with open(image, "r+b") as fh:
        mbr = bytearray(fh.read(SECTOR))
        mbr[0:440] = boot[0:440]
        fh.seek(0)
        fh.write(mbr)


# --- Image ---------------------------------------------------------------------------------------

def dd(src, image, lba):
    run("dd", f"if={src}", f"of={image}", "bs=1M", f"seek={lba * SECTOR}", "oflag=seek_bytes",
        "conv=notrunc,fsync", "status=none")


def assemble(out, esp, esp_mib, data, data_mib, core):
    """Partitions a new image file with sgdisk and writes the pieces into it."""
    esp_lba = 4096
    data_lba = esp_lba + esp_mib * MIB // SECTOR
    end_lba = data_lba + data_mib * MIB // SECTOR
    total = (end_lba + MIB // SECTOR) * SECTOR  # 1 MiB at the end holds the backup GPT
    if os.path.exists(out):
        os.remove(out)
    with open(out, "wb") as fh:
        fh.truncate(total)
    run("sgdisk", "-o",
        "-n", f"1:{BIOS_LBA}:{esp_lba - 1}", "-t", "1:EF02", "-c", "1:BIOS boot",
        "-n", f"2:{esp_lba}:{data_lba - 1}", "-t", "2:EF00", "-c", "2:KESU-BOOT",
        "-n", f"3:{data_lba}:{end_lba - 1}", "-t", "3:0700", "-c", "3:KESU-DATA", out)
    dd(esp, out, esp_lba)
    dd(data, out, data_lba)
    core_file = out + ".core"
    with open(core_file, "wb") as fh:
        fh.write(core)
    dd(core_file, out, BIOS_LBA)
    os.remove(core_file)
    check = run("sgdisk", "-v", out)
    if "No problems found" not in check:
        raise BuildError(f"sgdisk -v finds problems in {out}: {check.strip()}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build_dir")
    ap.add_argument("source_dir")
    ap.add_argument("--out")
    ap.add_argument("--kesu")
    ap.add_argument("--data-mib", type=int, default=128)
    args = ap.parse_args()
    args.build = os.path.abspath(args.build_dir)
    args.source = os.path.abspath(args.source_dir)
    args.kesu = os.path.abspath(args.kesu or os.path.join(args.build, "kesu"))
    out = os.path.abspath(args.out or os.path.join(args.build, "kesu-usb.img"))
    if args.data_mib < 34:
        raise BuildError("--data-mib must be at least 34 (FAT32 needs 65525 clusters)", 2)
    if not os.access(args.kesu, os.X_OK):
        raise BuildError(f"{args.kesu} is not built (cmake --build BUILD --target kesu)", 2)
    for tool in ("apt-get", "dpkg-deb", "mkfs.fat", "mcopy", "mmd", "sgdisk", "gzip", "ldd"):
        if shutil.which(tool) is None:
            raise BuildError(f"{tool} is missing: run scripts/setup --image", 2)
    cache = os.path.join(args.build, "image-cache")
    work = os.path.join(args.build, "image-work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    start = time.monotonic()

    step("packages (bootable-image/packages.lock)")
    manifest = [f"built {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}",
                "kesu " + run(args.kesu, "--version").strip()]
    trees = {}
    for name, version in read_lock(os.path.join(HERE, "packages.lock")):
        deb = fetch(cache, name, version)
        trees["kernel" if name.startswith("linux-image-") else name] = extract(cache, deb)
        manifest.append(f"package {name} {version} sha256 {sha256(deb)}")
    step("initramfs")
    vmlinuz, kver, initrd = build_initramfs(args, trees, work, manifest)
    step(f"EFI system partition (kernel {kver})")
    esp, esp_mib = build_esp(work, trees, vmlinuz, initrd, "\n".join(manifest) + "\n")
    step(f"data partition ({args.data_mib} MiB)")
    data = build_data(work, args.data_mib)
    step("BIOS boot code")
    core = build_core(work, trees)
    step("image")
    tmp = out + ".tmp"
    assemble(tmp, esp, esp_mib, data, args.data_mib, core)
    patch_mbr(tmp, trees)
    os.replace(tmp, out)
    with open(out + ".manifest", "w") as fh:
        fh.write("\n".join(manifest) + "\n")
    initrd_kib = os.path.getsize(initrd) // 1024
    shutil.rmtree(work, ignore_errors=True)
    step(f"{out}: {os.path.getsize(out) // MIB} MiB (initramfs {initrd_kib} KiB, kernel {kver}) "
         f"in {time.monotonic() - start:.1f} s")


if __name__ == "__main__":
    try:
        main()
    except BuildError as e:
        print(f"build_image.py: {e}", file=sys.stderr)
        sys.exit(e.code)
