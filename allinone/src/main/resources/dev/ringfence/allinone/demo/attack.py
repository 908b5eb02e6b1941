#!/usr/bin/env python3
"""The demo's attacks, run inside a pod like any command. Each prints JSON lines: {"t": ms, "step": text} as it
goes and a last {"result": {...}} with the times of the attack action and of the containment it observed.

  scan   --subnet 10.244.1 --hosts 2-40 --ports 22,80,... --threshold 20 --failed-weight 2 --control IP:PORT
         (control: a peer the pod normally reaches; refused too means the pod is isolated)
  chain  --target IP --port 9000 --command 'id; ...'  (then probes IP:port until the connect is refused)
  exfil  --target IP:PORT --total-mb 40 --chunk-kb 256 --rate-mbps 4 --min-bytes 1048576
"""
import errno
import json
import socket
import sys
import threading
import time
import urllib.request


def now():
    return time.time() * 1000.0


def step(text):
    print(json.dumps({"t": now(), "step": text}), flush=True)


def connect(host, port, timeout):
    """One TCP connect: 'open', 'refused', 'timeout', 'unreachable' or 'eperm' (refused by policy)."""
    conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    conn.settimeout(timeout)
    try:
        conn.connect((host, port))
        return "open"
    except PermissionError:
        return "eperm"
    except ConnectionRefusedError:
        return "refused"
    except socket.timeout:
        return "timeout"
    except OSError as e:
        return "eperm" if e.errno == errno.EPERM else "unreachable"
    finally:
        conn.close()


def probe_until_eperm(host, port, deadline_s, every_s=0.02):
    """Connects (no data) until one is refused with EPERM; returns that time, or None.

    Each probe is a real connection the sensor reports and the pipeline processes, so the probes are the
    measurement's own load: every 20 ms, not every millisecond, lest hundreds of connections a second stand
    in front of the decision being timed. A coarser probe can only report a block later, never earlier."""
    end = time.time() + deadline_s
    while time.time() < end:
        if connect(host, port, 0.5) == "eperm":
            return now()
        time.sleep(every_s)
    return None


def scan(o):
    first, last = (int(x) for x in o["hosts"].split("-"))
    ports = [int(p) for p in o["ports"].split(",")]
    threshold, failed_weight = float(o["threshold"]), float(o["failed-weight"])
    control = (o["control"].split(":")[0], int(o["control"].split(":")[1]))
    weight, crossed, blocked, probes = 0.0, None, None, 0
    step("sweeping %s.%d-%d on ports %s" % (o["subnet"], first, last, o["ports"]))
    for host in range(first, last + 1):
        for port in ports:
            ip = "%s.%d" % (o["subnet"], host)
            outcome = connect(ip, port, 0.15)
            probes += 1
            if outcome == "eperm":
                # one destination refused may be a block; isolation refuses the known-good peer too
                refused = now()
                if connect(control[0], control[1], 0.5) == "eperm":
                    blocked = refused
                    step("connect to %s:%d refused with EPERM after %d probes, and to %s:%d too: isolated"
                         % (ip, port, probes, control[0], control[1]))
                    break
                step("connect to %s:%d refused with EPERM (that destination is blocked)" % (ip, port))
                continue
            weight += 1 if outcome == "open" else failed_weight
            if crossed is None and weight >= threshold:
                crossed = now()
                step("%d probes so far, the sweep is now detectable (weight %.0f)" % (probes, weight))
            if outcome == "open":
                step("found %s:%d open" % (ip, port))
        if blocked:
            break
    if blocked is None and crossed is not None:
        blocked = probe_until_eperm(control[0], control[1], float(o.get("wait", "10")))
    print(json.dumps({"result": {"probes": probes, "action_ms": crossed, "contained_ms": blocked,
                                 "enforcement": "EPERM" if blocked else None}}), flush=True)


def chain(o):
    host, port = o["target"], int(o["port"])
    result = {}

    def exploit():
        step("POST http://%s:%d/run: %s" % (host, port, o["command"]))
        result["action_ms"] = now()
        request = urllib.request.Request("http://%s:%d/run" % (host, port), data=o["command"].encode(), method="POST")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                result["shell"] = json.loads(response.read())
        except Exception as e:
            result["error"] = str(e)
    attack = threading.Thread(target=exploit)
    attack.start()
    time.sleep(0.05)
    blocked = probe_until_eperm(host, port, float(o.get("wait", "20")))
    if blocked:
        step("new connect to %s:%d refused with EPERM: path blocked" % (host, port))
    attack.join()
    shell = result.get("shell", {})
    if shell:
        step("the shell on %s ended with status %s" % (host, shell.get("status")))
    print(json.dumps({"result": {"action_ms": result.get("action_ms"), "shell_status": shell.get("status"),
                                 "killed_ms": shell.get("ended_ms"), "blocked_ms": blocked,
                                 "error": result.get("error")}}), flush=True)


def exfil(o):
    """One long upload on one connection, as a real exfiltration does: the block must end the open connection."""
    host, port = o["target"].split(":")
    port = int(port)
    total = int(float(o["total-mb"]) * 1024 * 1024)
    chunk = int(o["chunk-kb"]) * 1024
    rate = float(o["rate-mbps"]) * 1024 * 1024
    min_bytes = int(o["min-bytes"])
    payload = b"x" * chunk
    sent, crossed, blocked, aborted = 0, None, {}, {}
    step("sending %d MiB to %s:%d on one connection, %d KiB writes at %.0f MiB/s" % (total >> 20, host, port, chunk >> 10, rate / 1048576))
    started = time.time()

    def watch():
        blocked["at"] = probe_until_eperm(host, port, 30)

    def await_end(upload):
        """The sink never writes: a read returns only when the upload ends, at once when the block cuts it."""
        try:
            upload.recv(64)
        except OSError as e:
            if e.errno in (errno.ECONNABORTED, errno.ECONNRESET) and crossed is not None:
                aborted.setdefault("at", now())
    prober, conn, reader = None, None, None
    while sent < total:
        try:
            if conn is None:
                conn = socket.create_connection((host, port))
                if reader is None:
                    reader = threading.Thread(target=await_end, args=(conn,), daemon=True)
                    reader.start()
            conn.sendall(payload)
            sent += chunk
        except OSError as e:
            if conn is not None:
                conn.close()
                conn = None
            if e.errno == errno.EPERM:
                blocked.setdefault("at", now())
                step("connect refused with EPERM after %.1f MiB of %.0f: destination blocked" % (sent / 1048576, total / 1048576))
                break
            if e.errno in (errno.ECONNABORTED, errno.ECONNRESET, errno.EPIPE) and crossed is not None:
                # the block ended the open upload; reconnecting tells whether the destination is refused
                aborted.setdefault("at", now())
                step("the open upload connection was aborted (%s) after %.1f MiB" % (errno.errorcode[e.errno], sent / 1048576))
                continue
            step("send failed: %s" % e)
            break
        if crossed is None and sent >= min_bytes:
            crossed = now()
            step("%.1f MiB sent: the transfer is now detectable" % (sent / 1048576))
            prober = threading.Thread(target=watch, daemon=True)
            prober.start()
        pause = started + sent / rate - time.time()
        if pause > 0:
            time.sleep(pause)
    if conn is not None:
        conn.shutdown(socket.SHUT_WR)
        reader.join(30)
        conn.close()
    if prober is not None:
        prober.join(30)
    contained = min([t for t in (blocked.get("at"), aborted.get("at")) if t is not None], default=None)
    print(json.dumps({"result": {"action_ms": crossed, "contained_ms": contained, "sent_bytes": sent,
                                 "total_bytes": total, "enforcement": "EPERM" if blocked.get("at") else None,
                                 "aborted": aborted.get("at") is not None}}), flush=True)


if __name__ == "__main__":
    kinds = {"scan": scan, "chain": chain, "exfil": exfil}
    if len(sys.argv) < 2 or sys.argv[1] not in kinds:
        sys.stderr.write("usage: attack.py scan|chain|exfil [--key value]...\n")
        sys.exit(2)
    pairs = dict(zip(sys.argv[2::2], sys.argv[3::2]))
    kinds[sys.argv[1]]({k.lstrip("-"): v for k, v in pairs.items()})
