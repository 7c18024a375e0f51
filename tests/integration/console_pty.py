#!/usr/bin/env python3
"""Runs a command on an 80x24 pseudo-terminal, as a technician's console shows it.

usage: console_pty.py CAPTURE -- CMD...

CMD gets the pseudo-terminal as stdin, stdout and stderr, sized 80 columns by 24 rows
(TIOCSWINSZ, tty_ioctl(4)). When kesu's prompt "Type 'TOKEN' to confirm: " appears, types
TOKEN and Enter. Everything CMD wrote goes to CAPTURE (raw, with its escape sequences); CMD's
exit status is this script's. Ends CMD after two minutes without it finishing.
"""
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

PROMPT = re.compile(rb"Type '([^']*)' to confirm: ")
PATIENCE = 120.0


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit(__doc__)
    capture, cmd = sys.argv[1], sys.argv[3:]
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execvp(cmd[0], cmd)
    out = b""
    typed = False
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: CMD closed the terminal
                break
            if not chunk:
                break
            out += chunk
        m = PROMPT.search(out)
        if m and not typed:
            os.write(fd, m.group(1) + b"\n")
            typed = True
    else:
        os.kill(pid, signal.SIGTERM)
    _, status = os.waitpid(pid, 0)
    with open(capture, "wb") as f:
        f.write(out)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
