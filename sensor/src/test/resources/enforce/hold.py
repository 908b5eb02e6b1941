# hold.py ADDRESS PORT [CGROUP_PROCS]: one TCP connection kept sending (1 KiB every 50 ms) for up to 30 s. Prints
# "connected", then, when a send fails, the errno's name and exits 3; exits 0 if it never failed. With CGROUP_PROCS,
# the process moves into that cgroup once connected: the socket stays its first cgroup's.
import errno
import os
import socket
import sys
import time

family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(family, socket.SOCK_STREAM)
s.connect((sys.argv[1], int(sys.argv[2])))
if len(sys.argv) > 3:
    with open(sys.argv[3], "w") as procs:
        procs.write(str(os.getpid()))
print("connected", flush=True)
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    try:
        s.sendall(b"x" * 1024)
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)), flush=True)
        sys.exit(3)
    time.sleep(0.05)
sys.exit(0)
