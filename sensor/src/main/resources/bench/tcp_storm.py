# Sequential TCP connect + 4 KiB each way + close, COUNT times, client and server in this process.
import socket, sys, threading
count, port = int(sys.argv[1]), int(sys.argv[2])
server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('127.0.0.1', port)); server.listen(128)
def serve():
    for _ in range(count):
        connection, _ = server.accept()
        got = 0
        while got < 4096:
            got += len(connection.recv(4096 - got))
        connection.sendall(b'r' * 4096)
        connection.close()
threading.Thread(target=serve, daemon=True).start()
for _ in range(count):
    client = socket.create_connection(('127.0.0.1', port))
    client.sendall(b's' * 4096)
    got = 0
    while got < 4096:
        chunk = client.recv(4096 - got)
        if not chunk:
            break
        got += len(chunk)
    client.close()
