# listen.py PORT [ADDRESS]: accepts TCP connections on ADDRESS (127.0.0.1):PORT forever, each kept open and read to
# its end; prints "ready" once listening.
import socket
import sys
import threading


def drain(c):
    with c:
        try:
            while c.recv(65536):
                pass
        except OSError:
            pass


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1", int(sys.argv[1])))
s.listen(16)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=drain, args=(c,), daemon=True).start()
