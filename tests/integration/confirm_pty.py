#!/usr/bin/env python3
"""Drives kesu's confirmation prompt through a pseudo-terminal, for the integration tests.

usage: confirm_pty.py STATE_DIR -- CMD...

Runs CMD with stdin and stdout on a pseudo-terminal (so kesu asks for confirmation) and
stderr into STATE_DIR/stderr. When the prompt "Type 'TOKEN' to confirm: " appears, writes
TOKEN to STATE_DIR/prompt and waits until STATE_DIR/go exists (the test changes the system
meanwhile), then types TOKEN and Enter. When CMD ends, its exit status goes to STATE_DIR/rc.
Gives up (and ends CMD) after two minutes without progress.
"""
import os
import pty
import re
import select
import signal
import sys
import time

PROMPT = re.compile(r"Type '([^']*)' to confirm: ")
PATIENCE = 120.0


def drain(fd):
    """Reads what the terminal has, so CMD never blocks writing to it. False at EOF."""
    while True:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            return True
        try:
            if not os.read(fd, 4096):
                return False
        except OSError:  # EIO: the other side closed
            return False


def finish(state, pid):
    _, status = os.waitpid(pid, 0)
    with open(os.path.join(state, "rc"), "w") as f:
        f.write("%d\n" % os.waitstatus_to_exitcode(status))


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit(__doc__)
    state, cmd = sys.argv[1], sys.argv[3:]
    err_path = os.path.join(state, "stderr")
    err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    pid, fd = pty.fork()
    if pid == 0:
        os.dup2(err, 2)
        os.execvp(cmd[0], cmd)
    os.close(err)

    deadline = time.monotonic() + PATIENCE
    token = None
    while token is None:
        with open(err_path) as f:
            m = PROMPT.search(f.read())
        if m:
            token = m.group(1)
        elif os.waitpid(pid, os.WNOHANG)[0] == 0 and time.monotonic() < deadline:
            drain(fd)
        else:
            break
    if token is None:
        os.kill(pid, signal.SIGTERM)
        finish(state, pid)
        return
    with open(os.path.join(state, "prompt"), "w") as f:
        f.write(token + "\n")
    go = os.path.join(state, "go")
    while not os.path.exists(go) and time.monotonic() < deadline + PATIENCE:
        drain(fd)
    os.write(fd, (token + "\n").encode())
    while drain(fd):
        pass
    finish(state, pid)


if __name__ == "__main__":
    main()
