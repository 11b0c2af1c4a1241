"""Benchmark: a provision page against the login page, served by gunicorn (4 workers), with wrk.

    .venv/bin/python bench/server_bench.py [--duration 5] [--repeat 3] [--connections 16]

On the demo data in a temporary SQLite database, and also in a temporary PostgreSQL database
when BENCH_DATABASE_URL is set (the server and credentials are taken from it; the temporary
database is created beside it and dropped afterwards). A drafter signs in through the login
form (CSRF token included) and wrk sends that session cookie. The provision page is the GPLv3
provision with the longest history. The login page, which reads nothing but renders a form, is
the yardstick: the ratio says what a real page costs on top of the framework. Rates are medians
of --repeat wrk runs, alternating the two pages; all figures come from this one run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from benchlib import (
    ROOT,
    create_database,
    drop_database,
    fetch,
    make_app,
    median,
    migrate,
    signed_in_cookie,
    with_database,
)

DRAFTER = ("drafter@demo.redline", "demo-drafter")
RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*")


def prepare(url: str) -> int:
    """Schema, demo data; the id of the GPLv3 provision with the most versions."""
    from redline.demo import load_demo
    from redline.extensions import db
    from redline.models import Instrument, Provision, Version

    app = make_app(url)
    migrate(app)
    with app.app_context():
        load_demo(db.session)
        db.session.commit()
        pid = db.session.scalar(
            sa.select(Version.provision_id)
            .join(Provision, Version.provision_id == Provision.id)
            .join(Instrument, Provision.instrument_id == Instrument.id)
            .where(Instrument.slug == "gplv3")
            .group_by(Version.provision_id)
            .order_by(sa.func.count().desc(), Version.provision_id)
            .limit(1)
        )
        db.session.remove()
        db.engine.dispose()
    return pid


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(url: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "server-bench-secret-key"}
    env.pop("REDLINE_DEV", None)
    env.pop("FLASK_DEBUG", None)
    args = ["--workers", "4", "--bind", f"127.0.0.1:{port}", "--error-logfile", str(log)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *args, "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited:\n" + log.read_text()[-2000:])
        try:
            fetch(base + "/auth/login")
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("gunicorn did not answer within 30 s")


def wrk(url: str, cookie: str | None, seconds: int, connections: int) -> float:
    args = ["wrk", "-t", "4", "-c", str(connections), "-d", f"{seconds}s", url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    errors = ERRORS.search(out)
    if errors:
        raise SystemExit(f"wrk saw failed requests on {url}:\n{out}")
    return float(RATE.search(out).group(1))


def measure(label: str, url: str, args) -> tuple[float, float]:
    pid = prepare(url)
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = serve(url, Path(tmp) / "gunicorn.log")
        try:
            cookie = signed_in_cookie(base, *DRAFTER)
            page = f"{base}/provisions/{pid}"
            status, body = fetch(page, cookie)
            if status != 200 or f'id="provision-{pid}"' not in body:
                raise SystemExit(f"{page} answered {status}, not the provision page")
            login = f"{base}/auth/login"
            wrk(page, cookie, 2, args.connections)  # warm-up: every worker, every cache
            wrk(login, None, 2, args.connections)
            pages, logins = [], []
            for _ in range(args.repeat):
                logins.append(wrk(login, None, args.duration, args.connections))
                pages.append(wrk(page, cookie, args.duration, args.connections))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    page_rate, login_rate = median(pages), median(logins)
    print(
        f"{label:<12}{login_rate:>12.0f}/s{page_rate:>16.0f}/s{page_rate / login_rate:>10.2f}x"
        f"   (provision {pid}; runs: login {', '.join(f'{r:.0f}' for r in logins)}; "
        f"provision {', '.join(f'{r:.0f}' for r in pages)})"
    )
    return login_rate, page_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--repeat", type=int, default=3, help="wrk runs per page (median)")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        # Skipped, not failed: `make bench` runs every bench and goes on to the next.
        print("server_bench skipped: install wrk (apt-get install wrk)")
        return
    print(f"{'database':<12}{'login page':>14}{'provision page':>18}{'ratio':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        measure("SQLite", f"sqlite:///{Path(tmp) / 'server-bench.sqlite3'}", args)
    pg = os.environ.get("BENCH_DATABASE_URL")
    if pg:
        url = with_database(pg, f"redline_server_bench_{os.getpid()}")
        create_database(url, exist_ok=False)
        try:
            measure("PostgreSQL", url, args)
        finally:
            drop_database(url)
    else:
        print("PostgreSQL: set BENCH_DATABASE_URL=postgresql+psycopg://... to measure it too")
    print(
        f"gunicorn 4 sync workers; wrk -t4 -c{args.connections}, {args.duration} s runs, median "
        f"of {args.repeat}; requests/s on this machine, this run (load from other work skews it)"
    )


if __name__ == "__main__":
    main()
