#!/usr/bin/env python3
"""SMTP sink for tests: accepts every mail on 127.0.0.1 and writes it to DIR/<n>.eml.

    /usr/bin/python3 smtp_sink.py --port 0 --dir /tmp/mails   # prints PORT n, then READY
Needs Debian's python3-aiosmtpd. Stops on SIGTERM/SIGINT.
"""
import argparse
import os
import signal
import socket
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        path = os.path.join(self.directory, "%d.eml" % n)
        # Written under a temporary name and renamed, so a reader never sees half a mail.
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)
        return "250 OK"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--dir", required=True)
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    port = a.port
    if port == 0:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    controller = Controller(Sink(a.dir), hostname="127.0.0.1", port=port)
    controller.start()
    print("PORT %d" % port, flush=True)
    print("READY", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
