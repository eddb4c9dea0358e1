#!/usr/bin/env python3
"""Set up and run the ICI site with nothing but Python 3.11.

    python3.11 dev.py serve   # virtualenv, requirements, migrate, content, serve
    python3.11 dev.py test    # virtualenv, requirements, checks, lint, all tests

Both steps can be run again at any time: every step is idempotent.
"""

import hashlib
import os
import secrets
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
REQUIREMENTS = ROOT / "requirements.txt"
ADDRESS = os.environ.get("ICI_ADDRESS", "127.0.0.1:8000")


def run(*args, **kwargs):
    print("+", " ".join(str(arg) for arg in args), flush=True)
    subprocess.run([str(arg) for arg in args], check=True, cwd=ROOT, **kwargs)


def ensure_virtualenv():
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    # Reinstall only when requirements.txt changed since the last install.
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    stamp = VENV / ".requirements.sha256"
    if not stamp.exists() or stamp.read_text() != digest:
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS)
        stamp.write_text(digest)


def ensure_gettext():
    """GNU gettext's msgfmt compiles the Arabic and French catalogues (Debian's)."""
    if not shutil.which("msgfmt"):
        run("apt-get", "update", "-q")
        run(
            "apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=120", "gettext"
        )


def local_secret_key():
    """A per-machine secret for local serving, kept out of the repository."""
    path = VENV / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


def manage(*args, env=None):
    run(PYTHON, "manage.py", *args, env=env)


def compile_catalogues(env):
    ensure_gettext()
    manage("compilemessages", "--ignore=.venv", "--verbosity", "0", env=env)


def prepare(env):
    """The catalogues compiled, the database migrated, the content loaded once, the
    static files collected."""
    compile_catalogues(env)
    manage("migrate", "--no-input", env=env)
    manage("load_content", env=env)
    manage("collectstatic", "--no-input", "--verbosity", "0", env=env)


def gunicorn_command(address):
    """The app server as production runs it, with deploy/gunicorn.conf.py (workers
    for this machine's cores)."""
    return [
        str(VENV / "bin" / "gunicorn"),
        "--config",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--bind",
        address,
    ]


def serve():
    ensure_virtualenv()
    env = {**os.environ}
    env.setdefault("DJANGO_SECRET_KEY", local_secret_key())
    prepare(env)
    print(
        f"\nServing the ICI site on http://{ADDRESS}/ (Ctrl+C stops it)\n", flush=True
    )
    command = gunicorn_command(ADDRESS)
    print("+", " ".join(command), flush=True)
    # Replaced by gunicorn, so Ctrl+C reaches it alone and it stops its workers.
    os.chdir(ROOT)
    os.execve(command[0], command, env)


def test(pytest_args):
    ensure_virtualenv()
    env = {**os.environ}
    env.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
    compile_catalogues(env)
    manage("check", env=env)
    manage("makemigrations", "--check", "--dry-run", env=env)
    run(PYTHON, "-m", "ruff", "check", ".")
    run(PYTHON, "-m", "ruff", "format", "--check", ".")
    run(PYTHON, "-m", "pytest", *pytest_args, env=env)


def main():
    command, *rest = sys.argv[1:] or ["help"]
    try:
        if command == "serve":
            serve()
        elif command == "test":
            test(rest)
        else:
            sys.exit(__doc__)
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
