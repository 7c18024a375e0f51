#!/usr/bin/env python3
"""Recomputes kesu's content digest (kesu-region-sha256-v1) of a raw image: docs/verification.md."""
import hashlib, struct, sys

REGION = 1 << 20
with open(sys.argv[1], "rb") as f:
    size = f.seek(0, 2); f.seek(0)
    root = hashlib.sha256(b"kesu-region-sha256-v1\n" + struct.pack(">QQ", size, REGION))
    while block := f.read(REGION):
        root.update(hashlib.sha256(block).digest())
print(root.hexdigest())
