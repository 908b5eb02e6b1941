# One TCP connection carrying MEGABYTES MiB in 64 KiB sends, then closed.
import socket, sys, threading
megabytes, port = int(sys.argv[1]), int(sys.argv[2])
server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('127.0.0.1', port)); server.listen(1)
def serve():
    connection, _ = server.accept()
    while connection.recv(1 << 20):
        pass
    connection.close()
reader = threading.Thread(target=serve); reader.start()
client = socket.create_connection(('127.0.0.1', port))
block = b'b' * 65536
for _ in range(megabytes * 16):
    client.sendall(block)
client.close(); reader.join()
