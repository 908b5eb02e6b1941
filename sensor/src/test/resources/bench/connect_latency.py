# connect_latency.py ADDRESS COUNT WARMUP: a listener on ADDRESS (any free port) and COUNT + WARMUP
# sequential TCP connects to it from this process; prints the duration of each counted connect()
# call in ns, one a line. The client closes with RST (SO_LINGER 0): no TIME_WAIT eats the ports.
import socket
import struct
import sys
import time

address, count, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
family = socket.AF_INET6 if ":" in address else socket.AF_INET
listener = socket.socket(family, socket.SOCK_STREAM)
listener.bind((address, 0))
listener.listen(128)
target = listener.getsockname()[:2]
linger = struct.pack("ii", 1, 0)
clock = time.perf_counter_ns
durations = []
for i in range(count + warmup):
    client = socket.socket(family, socket.SOCK_STREAM)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
    start = clock()
    client.connect(target)
    end = clock()
    server, _ = listener.accept()
    client.close()
    server.close()
    if i >= warmup:
        durations.append(end - start)
sys.stdout.write("\n".join(map(str, durations)) + "\n")
