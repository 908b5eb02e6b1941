#!/usr/bin/env python3
"""Runs a command inside a demo pod: joins the pod's cgroup, then its network namespace, then execs the command.

usage: podexec.py [--cgroup DIR] [--netns FILE] [--timing FILE] -- COMMAND [ARG...]

Only COMMAND runs in the pod (this launcher joins before exec), so the pod's process set is exactly what runs
there. With --timing the command runs in a child and this launcher writes
{"start_ms", "end_ms", "status"} to FILE when it ends; the exit status is passed through (128+N for signal N).
start_ms is taken in the child just before its exec, after it joined the pod: moving a process into a cgroup waits
for other tasks (0.5-18 ms measured here), and that is the launcher's time, not the command's.
"""
import ctypes
import json
import os
import sys
import time

CLONE_NEWNET = 0x40000000


def join(cgroup, netns):
    if cgroup:
        with open(os.path.join(cgroup, "cgroup.procs"), "w") as procs:
            procs.write(str(os.getpid()))
    if netns:
        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(netns, os.O_RDONLY)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                err = ctypes.get_errno()
                raise OSError(err, "setns " + netns + ": " + os.strerror(err))
        finally:
            os.close(fd)


def run(command, cgroup, netns, started_fd=None):
    try:
        join(cgroup, netns)
        if started_fd is not None:
            os.write(started_fd, repr(time.time()).encode())
            os.close(started_fd)
        os.execvp(command[0], command)
    except OSError as e:
        sys.stderr.write("podexec: %s: %s\n" % (command[0], e.strerror or e))
        os._exit(127 if isinstance(e, FileNotFoundError) else 126)


def main(argv):
    cgroup = netns = timing = None
    i = 0
    while i < len(argv) and argv[i] != "--":
        if argv[i] in ("--cgroup", "--netns", "--timing") and i + 1 < len(argv):
            value = argv[i + 1]
            if argv[i] == "--cgroup":
                cgroup = value
            elif argv[i] == "--netns":
                netns = value
            else:
                timing = value
            i += 2
        else:
            sys.stderr.write("usage: podexec.py [--cgroup DIR] [--netns FILE] [--timing FILE] -- COMMAND...\n")
            return 2
    command = argv[i + 1:]
    if not command:
        sys.stderr.write("podexec: no command\n")
        return 2
    if timing is None:
        run(command, cgroup, netns)
    started_read, started_write = os.pipe()
    forked = time.time()
    pid = os.fork()
    if pid == 0:
        os.close(started_read)
        run(command, cgroup, netns, started_write)
    os.close(started_write)
    with os.fdopen(started_read, "rb") as started:
        told = started.read()
    _, status = os.waitpid(pid, 0)
    end = time.time()
    # the child says when it exec'd the command; one that failed to join never got there
    start = float(told) if told else forked
    code = os.waitstatus_to_exitcode(status)
    code = 128 - code if code < 0 else code
    with open(timing, "w") as out:
        json.dump({"start_ms": start * 1000.0, "end_ms": end * 1000.0, "status": code}, out)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
