#!/usr/bin/env python3
"""The demo shop's services (each runs in its own pod): db, dbadmin (the vulnerable admin endpoint: runs the
commands it is sent), api, frontend (serves and drives the benign traffic), report (the periodic job) and
sink (the outside host: takes whatever is sent and says how much)."""
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def log(role, message):
    sys.stderr.write("%.3f %s %s\n" % (time.time(), role, message))
    sys.stderr.flush()


def get(url, timeout=2.0):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def send_and_close(host, port, payload, timeout=5.0):
    """Sends payload on a new connection, half-closes, reads the reply: one request of the outside protocol."""
    with socket.create_connection((host, port), timeout=timeout) as conn:
        conn.sendall(payload)
        conn.shutdown(socket.SHUT_WR)
        return conn.recv(64)


class Handler(BaseHTTPRequestHandler):
    routes = {}
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def reply(self, code, body):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        route = self.routes.get(("GET", self.path.split("?")[0]))
        if route is None:
            return self.reply(404, {"error": "not found"})
        try:
            self.reply(200, route(self))
        except Exception as e:  # a failing dependency is a 502, never a crash
            self.reply(502, {"error": str(e)})

    def do_POST(self):
        route = self.routes.get(("POST", self.path))
        if route is None:
            return self.reply(404, {"error": "not found"})
        length = int(self.headers.get("Content-Length", "0"))
        self.reply(200, route(self, self.rfile.read(length)))


def serve(port, routes):
    handler = type("Routes", (Handler,), {"routes": routes})
    server = ThreadingHTTPServer(("0.0.0.0", port), handler)
    server.daemon_threads = True
    server.serve_forever()


def db(args):
    rows = [{"id": i, "name": "product-%d" % i, "price": 10 + i} for i in range(20)]
    serve(int(args["port"]), {("GET", "/query"): lambda h: rows, ("GET", "/healthz"): lambda h: {"ok": True}})


def dbadmin(args):
    """The vulnerable admin endpoint: POST /run runs the body in a shell and says how it ended."""
    def run(handler, body):
        started = time.time()
        with open(os.devnull, "wb") as sink:
            shell = subprocess.Popen(["/bin/sh", "-c", body.decode()], stdout=sink, stderr=sink, start_new_session=True)
            status = shell.wait()
        ended = time.time()
        try:
            os.killpg(shell.pid, signal.SIGKILL)  # what the shell left behind
        except OSError:
            pass
        code = 128 - status if status < 0 else status
        log("dbadmin", "command ended with %d at %.3f" % (code, ended * 1000.0))
        return {"status": code, "started_ms": started * 1000.0, "ended_ms": ended * 1000.0}
    serve(int(args["port"]), {("POST", "/run"): run, ("GET", "/healthz"): lambda h: {"ok": True}})


def api(args):
    db_url = "http://%s" % args["db"]
    payments_host, payments_port = args["payments"].split(":")

    def checkout(handler):
        reply = send_and_close(payments_host, int(payments_port), b"charge order=42 amount=19.99\n")
        return {"payment": reply.decode(errors="replace").strip()}
    serve(int(args["port"]), {
        ("GET", "/products"): lambda h: json.loads(get(db_url + "/query")),
        ("GET", "/report"): lambda h: {"rows": len(json.loads(get(db_url + "/query")))},
        ("GET", "/checkout"): checkout,
        ("GET", "/healthz"): lambda h: json.loads(get(db_url + "/healthz")),
    })


def frontend(args):
    api_url = "http://%s" % args["api"]
    interval = float(args.get("interval", "0.5"))

    def drive():
        tick = 0
        while True:
            for path, every in (("/products", 1), ("/healthz", 4), ("/checkout", 6)):
                if tick % every == 0:
                    try:
                        get(api_url + path)
                    except Exception as e:
                        log("frontend", "%s failed: %s" % (path, e))
            tick += 1
            time.sleep(interval)
    threading.Thread(target=drive, daemon=True).start()
    serve(int(args["port"]), {("GET", "/"): lambda h: b"<h1>shop</h1>", ("GET", "/healthz"): lambda h: {"ok": True}})


def report(args):
    print(get("http://%s/report" % args["api"]).decode())


def sink(args):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("0.0.0.0", int(args["port"])))
    listener.listen(128)

    def take(conn):
        total = 0
        with conn:
            try:
                while True:
                    data = conn.recv(65536)
                    if not data:
                        break
                    total += len(data)
                conn.sendall(b"ok %d\n" % total)
            except OSError:
                pass
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=take, args=(conn,), daemon=True).start()


ROLES = {"db": db, "dbadmin": dbadmin, "api": api, "frontend": frontend, "report": report, "sink": sink}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ROLES:
        sys.stderr.write("usage: shop.py %s [--key value]...\n" % "|".join(ROLES))
        sys.exit(2)
    options = dict(zip(sys.argv[2::2], sys.argv[3::2]))
    ROLES[sys.argv[1]]({k.lstrip("-"): v for k, v in options.items()})
