"""Real servers for fault tests: the site in a subprocess, and a TCP proxy to cut."""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
# This project's share of the machine's ports (other engineers use other ranges).
PORTS = range(8700, 8800)


def free_port():
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port in 8700-8799.")


def wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port)),
        ):
            return
        time.sleep(0.1)
    raise TimeoutError(f"Nothing listens on port {port}.")


def fetch(url):
    """Status, headers and body of a GET, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def served_database_url(port=None):
    """The PostgreSQL test database as a DATABASE_URL, for servers in subprocesses
    (through `port` on this machine, a proxy's, when given)."""
    settings = connection.settings_dict
    login = quote(settings["USER"] or "postgres")
    if settings["PASSWORD"]:
        login += ":" + quote(settings["PASSWORD"])
    host = f"127.0.0.1:{port}" if port else f"{settings['HOST']}:{settings['PORT']}"
    return f"postgres://{login}@{host}/{settings['NAME']}"


@contextlib.contextmanager
def site_server(**environment):
    """Serve the site from a separate process with its own environment."""
    port = free_port()
    env = {**os.environ, "DJANGO_DEBUG": "false", **environment}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.wsgi_server", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_port(port)
        process.base_url = f"http://127.0.0.1:{port}"
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


class TcpProxy:
    """Forwards a local port to a service; stop() cuts it like a crashed server."""

    def __init__(self, target_port):
        self.target = ("127.0.0.1", target_port)
        self.port = free_port()
        self.sockets = []
        self.listener = None

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.1)
        threading.Thread(target=self.accept, args=[self.listener], daemon=True).start()
        return self

    def accept(self, listener):
        while listener.fileno() != -1:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in [(client, upstream), (upstream, client)]:
                threading.Thread(
                    target=self.pump, args=[source, sink], daemon=True
                ).start()

    @staticmethod
    def pump(source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def stop(self):
        self.listener.close()
        for end in self.sockets:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
                end.close()
        self.sockets = []
