# reach.py ADDRESS PORT tcp|udp: exit 0 when connect (tcp) or sendto (udp) succeeds, 13 on EPERM, 20 otherwise.
import socket
import sys

address, port, protocol = sys.argv[1], int(sys.argv[2]), sys.argv[3]
family = socket.AF_INET6 if ":" in address else socket.AF_INET
kind = socket.SOCK_STREAM if protocol == "tcp" else socket.SOCK_DGRAM
s = socket.socket(family, kind)
s.settimeout(2)
try:
    if protocol == "tcp":
        s.connect((address, port))
    else:
        s.sendto(b"x", (address, port))
    sys.exit(0)
except PermissionError:
    sys.exit(13)
except OSError as e:
    print(e)
    sys.exit(20)
