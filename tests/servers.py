"""Real servers for fault and cluster tests: the site in a subprocess, gunicorn app
servers behind nginx configured by deploy/, a Redis of the test's own, and a TCP
proxy to cut."""

import contextlib
import http.cookiejar
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

from django.db import connection

import dev

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
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


def stop(process, sig=signal.SIGTERM):
    """Signal a process started in a session of its own, with all its children."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(timeout=30)


def collect_static():
    """collectstatic's output, which the app servers' manifest and nginx read."""
    env = {**os.environ, "DJANGO_SECRET_KEY": "collectstatic-only"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


@contextlib.contextmanager
def app_server(**environment):
    """One app server as deploy/ici.service runs it: gunicorn with
    deploy/gunicorn.conf.py, through dev.py's command."""
    port = free_port()
    env = {**os.environ, "DJANGO_DEBUG": "false", **environment}
    process = subprocess.Popen(
        dev.gunicorn_command(f"127.0.0.1:{port}"),
        cwd=ROOT,
        env=env,
        start_new_session=True,  # killed with its workers, like a crashed machine
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    process.port = port
    process.base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for_port(port)
        yield process
    finally:
        stop(process)


def replace_once(text, old, new):
    assert text.count(old) == 1, f"deploy/nginx.conf has changed around {old!r}"
    return text.replace(old, new)


def nginx_site(app_ports, port, static_root):
    """deploy/nginx.conf with this machine's addresses: the example upstream servers
    replaced by `app_ports`, listening on `port`, static files from `static_root`."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    examples = re.findall(r"^( +server )\S+( .*;\n)", text, re.MULTILINE)
    assert len(examples) >= 2, "deploy/nginx.conf names fewer than two app servers"
    indent, options = examples[0]
    servers = "".join(f"{indent}127.0.0.1:{p}{options}" for p in app_ports)
    text = re.sub(r"(^ +server \S+ .*;\n)+", servers, text, count=1, flags=re.M)
    text = replace_once(text, "listen 80;", f"listen 127.0.0.1:{port};")
    return replace_once(text, "alias /srv/ici/staticfiles/;", f"alias {static_root}/;")


NGINX_MAIN = """
daemon off;
user {user};
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/ici.conf;
}}
"""


def nginx_command(prefix, app_ports, port):
    """The command that runs deploy/nginx.conf in front of `app_ports` from `prefix`
    (its configuration, logs and temporary files), listening on `port`."""
    site = nginx_site(app_ports, port, ROOT / "staticfiles")
    Path(prefix, "ici.conf").write_text(site)
    user = pwd.getpwuid(os.getuid()).pw_name  # its workers run as we do
    Path(prefix, "nginx.conf").write_text(NGINX_MAIN.format(prefix=prefix, user=user))
    # -e: the error log before the configuration is read, in the prefix too.
    return [
        NGINX,
        "-p",
        prefix,
        "-c",
        f"{prefix}/nginx.conf",
        "-e",
        f"{prefix}/error.log",
    ]


@contextlib.contextmanager
def nginx(app_ports):
    """nginx as deploy/nginx.conf configures it, in front of `app_ports`: not the
    system's service, but a process of its own in a temporary prefix."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="ici-nginx-") as prefix:
        command = nginx_command(prefix, app_ports, port)
        process = subprocess.Popen(command, start_new_session=True)
        process.base_url = f"http://127.0.0.1:{port}"
        process.error_log = Path(prefix, "error.log")
        try:
            wait_for_port(port)
            yield process
        finally:
            stop(process, signal.SIGQUIT)  # nginx's graceful stop


@contextlib.contextmanager
def cluster(count=2, **environment):
    """`count` app servers behind nginx; .servers, .proxy (nginx)."""
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(app_server(**environment)) for _ in range(count)]
        proxy = stack.enter_context(nginx([server.port for server in servers]))
        for server in servers:  # every app server booted its workers
            wait_for_status(server.base_url + "/healthz", {200, 503})
        yield servers, proxy


def wait_for_status(url, statuses, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError):
            status = fetch(url)[0]
            if status in statuses:
                return status
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer {statuses}.")
        time.sleep(0.2)


@contextlib.contextmanager
def redis_server():
    """A Redis of the test's own, to stop and start again (never the system's)."""
    port = free_port()
    command = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1"]
    command += ["--save", "", "--appendonly", "no"]

    def start():
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, start_new_session=True
        )
        wait_for_port(port)
        return process

    class Redis:
        url = f"redis://127.0.0.1:{port}/0"

        def stop(self):
            stop(self.process)

        def start(self):
            self.process = start()

    redis = Redis()
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


class Browser:
    """A reader with cookies, signing in and posting forms as a browser does."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, url):
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode()

    def submit(self, url, data):
        """POST `data` to the form at `url`, with the CSRF token the form holds;
        status, final address (redirects followed) and body."""
        status, _, html = self.get(url)
        assert status == 200, f"{url} answered {status}"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
        body = urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(url, data=body.encode(), method="POST")
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode()

    def sign_in(self, base_url, username, password):
        status, address, _ = self.submit(
            f"{base_url}/admin/login/?next=/admin/",
            {"username": username, "password": password, "next": "/admin/"},
        )
        assert (status, address) == (200, f"{base_url}/admin/"), "sign-in failed"
