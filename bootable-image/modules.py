#!/usr/bin/env python3
"""Prints the kernel modules to put in the initramfs, dependencies first, as paths relative to
MODDIR (one per line). Dependencies come from MODDIR/modules.dep (`busybox depmod` writes it:
"path: dep-path dep-path ...", already transitive) and from each module's `softdep=pre:` modinfo
string, which modules.dep does not carry (crc-t10dif asks for crct10dif this way).

Usage: modules.py MODDIR LIST_FILE   (LIST_FILE: module names, '#' comments)
Exit 1 with one line naming a module that MODDIR does not have and the kernel does not build in.
"""
import os
import re
import sys


def norm(name):
    return name.replace("-", "_")


def read_dep(moddir):
    """modules.dep as {name: (path, [dependency paths])}."""
    table = {}
    with open(os.path.join(moddir, "modules.dep")) as fh:
        for line in fh:
            if ":" not in line:
                continue
            path, deps = line.split(":", 1)
            name = norm(os.path.basename(path.strip())[: -len(".ko")])
            table[name] = (path.strip(), deps.split())
    return table


def builtin(moddir):
    """Names of modules built into the kernel (modules.builtin)."""
    try:
        with open(os.path.join(moddir, "modules.builtin")) as fh:
            return {norm(os.path.basename(l.strip())[: -len(".ko")]) for l in fh if l.strip()}
    except FileNotFoundError:
        return set()


def softdeps(path):
    with open(path, "rb") as fh:
        data = fh.read()
    out = []
    for m in re.finditer(rb"(?:^|\x00)softdep=pre:([^\x00]*)", data):
        out += m.group(1).decode().split("post:")[0].split()
    return [norm(d) for d in out]


def main():
    moddir, list_file = sys.argv[1], sys.argv[2]
    table, inside = read_dep(moddir), builtin(moddir)
    by_path = {path: name for name, (path, _) in table.items()}
    order, seen = [], set()

    def visit(name, soft=False):
        if name in seen:
            return
        seen.add(name)
        if name not in table:
            # A soft dependency may name an alias (crc-t10dif asks for "crct10dif", which the
            # listed crct10dif_generic provides); it is a wish, not a requirement.
            if name in inside or soft:
                return
            sys.exit(f"modules.py: module {name} is neither in {moddir}/modules.dep nor built in")
        path, deps = table[name]
        for sd in softdeps(os.path.join(moddir, path)):
            visit(sd, soft=True)
        # modules.dep lists the closure with the deepest dependency last; visit each in turn.
        for dep in reversed(deps):
            visit(by_path[dep])
        order.append(path)

    with open(list_file) as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                visit(norm(line))
    print("\n".join(order))


if __name__ == "__main__":
    main()
