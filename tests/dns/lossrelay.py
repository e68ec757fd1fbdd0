#!/usr/bin/env python3
"""A DNS relay that loses a share of the UDP packets, deterministically.

It listens on a loopback port (UDP and TCP) and forwards to an upstream
server. Each UDP question and each UDP answer is dropped with probability
LOSS; TCP passes untouched (a lost TCP segment is retransmitted by the
kernel, not by the resolver). Which packets are lost does not depend on
timing: the decision is a hash of the seed, the direction, the question
(name, type) and how many times that question was seen before - so the
n-th try of a question is lost on every run with the same seed.

    lossrelay.py --upstream 127.0.0.1:5300 [--port 5320] [--loss 0.2] [--seed 1]

prints "listening on 127.0.0.1:PORT", then counters on SIGTERM/SIGINT.
Used by tests/dns/test_loss.py and scripts/bench-loss. Standard library only.
"""

import argparse
import hashlib
import select
import signal
import socket
import struct
import sys
import threading


def question_key(msg):
    """(qname lowercased, qtype) of a DNS message, or None when unreadable."""
    try:
        pos, labels = 12, []
        while msg[pos]:
            n = msg[pos]
            labels.append(msg[pos + 1:pos + 1 + n].lower())
            pos += 1 + n
        return b".".join(labels), struct.unpack(">H", msg[pos + 1:pos + 3])[0]
    except (IndexError, struct.error):
        return None


class LossyRelay:
    def __init__(self, upstream, loss, seed=1, port=0):
        host, _, p = upstream.rpartition(":")
        self.upstream = (host, int(p))
        self.loss = loss
        self.seed = seed
        self.port = port
        self.seen = {}  # (direction, key) -> times seen
        self.pending = {}  # (id, key) -> client address
        self.lock = threading.Lock()
        self.stats = {"queries": 0, "answers": 0, "dropped_queries": 0, "dropped_answers": 0,
                      "tcp_connections": 0}
        self.stopping = False

    def lose(self, direction, key):
        with self.lock:
            n = self.seen.get((direction, key), 0)
            self.seen[(direction, key)] = n + 1
        h = hashlib.sha256(f"{self.seed}|{direction}|{key}|{n}".encode()).digest()
        return int.from_bytes(h[:8], "big") / 2**64 < self.loss

    def bind(self):
        """The UDP and TCP sockets on one port: an ephemeral UDP port may be
        taken for TCP (a client's connection), so another one is tried."""
        for _ in range(50):
            client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                client.bind(("127.0.0.1", self.port))
                tcp.bind(("127.0.0.1", client.getsockname()[1]))
                return client, tcp
            except OSError:
                client.close()
                tcp.close()
                if self.port:  # a port asked for: no other will do
                    raise
        raise RuntimeError("no port free for both UDP and TCP")

    def start(self):
        self.client, self.tcp = self.bind()
        self.port = self.client.getsockname()[1]
        self.client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.up.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.up.connect(self.upstream)
        self.tcp.listen(128)
        self.threads = [threading.Thread(target=f, daemon=True)
                        for f in (self.serve_udp, self.serve_tcp)]
        for t in self.threads:
            t.start()
        return self

    def serve_udp(self):
        while not self.stopping:
            ready, _, _ = select.select([self.client, self.up], [], [], 0.2)
            for sock in ready:
                try:
                    msg, peer = sock.recvfrom(65535)
                except OSError:
                    return
                key = question_key(msg)
                if key is None or len(msg) < 12:
                    continue
                tag = (msg[:2], key)
                if sock is self.client:
                    self.stats["queries"] += 1
                    if self.lose("q", key):
                        self.stats["dropped_queries"] += 1
                        continue
                    self.pending[tag] = peer
                    self.up.send(msg)
                else:
                    self.stats["answers"] += 1
                    peer = self.pending.pop(tag, None)
                    if peer is None:
                        continue
                    if self.lose("a", key):
                        self.stats["dropped_answers"] += 1
                        continue
                    self.client.sendto(msg, peer)

    def serve_tcp(self):
        self.tcp.settimeout(0.2)
        while not self.stopping:
            try:
                conn, _ = self.tcp.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.stats["tcp_connections"] += 1
            threading.Thread(target=self.pipe, args=(conn,), daemon=True).start()

    def pipe(self, conn):
        try:
            up = socket.create_connection(self.upstream, timeout=10)
        except OSError:
            conn.close()
            return
        socks = [conn, up]
        try:
            while not self.stopping:
                ready, _, _ = select.select(socks, [], [], 0.5)
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (up if s is conn else conn).sendall(data)
        except OSError:
            return
        finally:
            conn.close()
            up.close()

    def stop(self):
        self.stopping = True
        for t in self.threads:
            t.join(2)
        for s in (self.client, self.up, self.tcp):
            s.close()

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--upstream", required=True, help="IP:PORT of the DNS server")
    ap.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    ap.add_argument("--loss", type=float, default=0.2, help="share of UDP packets lost")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    relay = LossyRelay(args.upstream, args.loss, args.seed, args.port).start()
    print(f"listening on {relay.address}", flush=True)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    relay.stop()
    print(" ".join(f"{k}={v}" for k, v in relay.stats.items()), flush=True)


if __name__ == "__main__":
    sys.exit(main())
