#!/usr/bin/env python3
"""Prints the kernel modules needed for the named roots, dependencies first, as paths relative
to MODDIR (one per line): reads each .ko's .modinfo strings `depends=` and `softdep=pre:` (the
host has no kmod). Usage: module_order.py MODDIR ROOT...  Module names match with '-' and '_'
treated alike, as the kernel does."""
import os
import re
import sys


def norm(name):
    return name.replace("-", "_")


def index(moddir):
    found = {}
    for dirpath, _, files in os.walk(os.path.join(moddir, "kernel")):
        for f in files:
            if f.endswith(".ko"):
                found[norm(f[:-3])] = os.path.relpath(os.path.join(dirpath, f), moddir)
    return found


def deps(path):
    with open(path, "rb") as fh:
        data = fh.read()
    out = []
    for m in re.finditer(rb"(?:^|\x00)depends=([^\x00]*)", data):
        out += [d for d in m.group(1).decode().split(",") if d]
    for m in re.finditer(rb"(?:^|\x00)softdep=pre:([^\x00]*)", data):
        out += m.group(1).decode().split("post:")[0].split()
    return [norm(d) for d in out]


def main():
    moddir, roots = sys.argv[1], sys.argv[2:]
    found = index(moddir)
    order, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        if name not in found:
            return  # built into the kernel
        for d in deps(os.path.join(moddir, found[name])):
            visit(d)
        order.append(found[name])

    for r in roots:
        visit(norm(r))
    print("\n".join(order))


if __name__ == "__main__":
    main()
