"""The Clients list under load (issue 14): Gunicorn started as deployed
(deploy/gunicorn.conf.py), `wrk` on loopback with a signed-in session, at several
connection counts. Prints requests/s, latency percentiles, errors and timeouts.

Run it through `make bench-load`, which installs wrk and gives this command and the
Gunicorn it starts the same settings (a session made here must be valid there). The
session belongs to an existing login of the chosen role (a Coordinator by default); it is
deleted afterwards. Prints no URL query, so no searched name, and no client detail.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from staff.models import Staff

BASE_DIR = Path(settings.BASE_DIR)
# The goal (issue 14): at least this many requests/s with p99 under 1 s, and no errors.
GOAL_RPS = 40
GOAL_P99_MS = 1000
WARM_UP_SECONDS = 5

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNIT_MS[unit]


def parse_wrk(output: str) -> dict:
    """Requests/s, latency percentiles (ms), non-2xx/3xx responses, socket errors and
    timeouts from `wrk --latency` output."""
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for pct in ("50", "75", "90", "99"):
        match = re.search(rf"^\s+{pct}%\s+(\S+)", output, re.M)
        result[f"p{pct}"] = _ms(match.group(1)) if match else float("nan")
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    result["socket_errors"] = sum(int(n) for n in errors.groups()[:3]) if errors else 0
    result["timeouts"] = int(errors.group(4)) if errors else 0
    return result


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (0 if it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def gunicorn_pids(master: int) -> list[int]:
    """Gunicorn's master and its workers."""
    pids = [master]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return pids


def database_pids(since) -> list[int]:
    """The PostgreSQL backends serving this database that connected after ``since`` (the
    workers' connections; sessions others opened later count too), when the server runs
    on this machine (its processes are readable here)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_start >= %s",
            [since],
        )
        return [pid for (pid,) in cursor.fetchall() if Path(f"/proc/{pid}/stat").exists()]


class CpuMeter:
    """CPU seconds spent by gunicorn (master and workers) and by the database backends
    serving it between ``start`` and ``stop``: what one request costs whatever else the
    machine is doing, and so the most requests/s the machine's cores could serve."""

    def __init__(self, master: int, since):
        self.master, self.since = master, since

    def _snapshot(self) -> tuple[dict, dict]:
        app = {pid: cpu_seconds(pid) for pid in gunicorn_pids(self.master)}
        return app, {pid: cpu_seconds(pid) for pid in database_pids(self.since)}

    def start(self):
        self.app_before, self.db_before = self._snapshot()

    def stop(self) -> tuple[float, float]:
        app, db = self._snapshot()
        # A process that started during the run (a new connection) counts from zero.
        return (
            sum(cpu - self.app_before.get(pid, 0.0) for pid, cpu in app.items()),
            sum(cpu - self.db_before.get(pid, 0.0) for pid, cpu in db.items()),
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_for(staff) -> SessionStore:
    """A signed-in session for ``staff``, as django.contrib.auth.login writes it."""
    session = SessionStore()
    session[SESSION_KEY] = staff._meta.pk.value_to_string(staff)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the user backend
    session[HASH_SESSION_KEY] = staff.get_session_auth_hash()
    session.create()
    return session


class Command(BaseCommand):
    help = "Load-test the Clients list: gunicorn as deployed, wrk on loopback."

    def add_arguments(self, parser):
        parser.add_argument(
            "--connections",
            default="8,16,64",
            help="Comma-separated connection counts, one wrk run each (default 8,16,64).",
        )
        parser.add_argument("--duration", type=int, default=30, help="Seconds per run.")
        parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
        parser.add_argument(
            "--role", default="Coordinator", help="Sign in as the first active login of it."
        )
        parser.add_argument("--path", help="The page to load (default: the Clients list).")

    def handle(self, *args, connections, duration, threads, role, path, **options):
        if not shutil.which("wrk"):
            raise CommandError("wrk is missing: `make bench-load` installs it (apt-get).")
        staff = (
            Staff.objects.filter(groups__name__iexact=role, is_active=True)
            .order_by("email")
            .first()
        )
        if staff is None:
            raise CommandError(f"No active {role} login: run setup_roles and seed_demo.")
        path = path or reverse("wagtailsnippets_snippets_client:list")
        port = free_port()
        url = f"http://127.0.0.1:{port}{path}"
        session = session_for(staff)
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        env = {
            **os.environ,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            # Access lines would flood the output; errors still show.
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        }
        started = timezone.now()
        gunicorn = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-c",
                str(BASE_DIR / "deploy" / "gunicorn.conf.py"),
                "--access-logfile",
                "/dev/null",
                "registry.wsgi",
            ],
            cwd=BASE_DIR,
            env=env,
            start_new_session=True,  # its own process group, stopped as one below
        )
        try:
            self.wait_until_serving(url, cookie, gunicorn)
            self.stdout.write(
                f"Clients list under load: gunicorn ({env.get('WEB_CONCURRENCY', '3')} "
                f"workers x {env.get('GUNICORN_THREADS', '2')} threads, deploy/gunicorn.conf.py)"
                f", wrk {duration} s per run on loopback, signed in as a {role}"
            )
            self.stdout.write(
                f"  {'connections':>11} {'req/s':>8} {'p50 ms':>8} {'p75 ms':>8} "
                f"{'p90 ms':>8} {'p99 ms':>8} {'requests':>9} {'non-2xx':>8} "
                f"{'errors':>7} {'timeouts':>8} {'app cpu ms':>10} {'db cpu ms':>9} "
                f"{'ceiling':>8} {'load avg':>8}"
            )
            meter, cores = CpuMeter(gunicorn.pid, started), os.cpu_count() or 1

            def wrk(count: int, seconds: int) -> str:
                return subprocess.run(
                    [
                        "wrk",
                        f"-t{min(threads, count)}",
                        f"-c{count}",
                        f"-d{seconds}s",
                        "--timeout",
                        "10s",
                        "--latency",
                        "-H",
                        f"Cookie: {cookie}",
                        "-H",
                        "X-Forwarded-Proto: https",
                        url,
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout

            # Every worker thread's first pages compile templates and fill caches: served
            # before the measured runs, so those measure the steady state.
            wrk(8, WARM_UP_SECONDS)
            for count in [int(c) for c in connections.split(",") if c.strip()]:
                meter.start()
                output = wrk(count, duration)
                app_cpu, db_cpu = meter.stop()
                r = parse_wrk(output)
                served = max(r["requests"], 1)
                per_request = (app_cpu + db_cpu) / served
                ceiling = cores / per_request if per_request else float("inf")
                goal = (
                    r["rps"] >= GOAL_RPS
                    and r["p99"] <= GOAL_P99_MS
                    and not (r["non_2xx"] or r["socket_errors"] or r["timeouts"])
                )
                self.stdout.write(
                    f"  {count:>11} {r['rps']:>8.1f} {r['p50']:>8.0f} {r['p75']:>8.0f} "
                    f"{r['p90']:>8.0f} {r['p99']:>8.0f} {r['requests']:>9} "
                    f"{r['non_2xx']:>8} {r['socket_errors']:>7} {r['timeouts']:>8} "
                    f"{app_cpu / served * 1000:>10.1f} {db_cpu / served * 1000:>9.1f} "
                    f"{ceiling:>8.1f} {os.getloadavg()[0]:>8.2f}"
                    f"{'' if goal else '  *'}"
                )
            self.stdout.write(
                f"  * = under {GOAL_RPS} req/s, p99 over {GOAL_P99_MS} ms, or any error\n"
                f"  app / db cpu ms: CPU time of gunicorn and of the database's backends per "
                f"request; ceiling: the requests/s {cores} core(s) could serve at that cost "
                f"(what an idle machine would reach if nothing else limited it)"
            )
        finally:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
            session.delete()

    def wait_until_serving(self, url, cookie, gunicorn, *, seconds=60):
        """Until the page answers 200 to the session (gunicorn's workers have booted)."""
        request = urllib.request.Request(
            url, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"}
        )
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if gunicorn.poll() is not None:
                raise CommandError("gunicorn exited at start-up (its errors are above).")
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    if response.status == 200 and "/login/" not in response.url:
                        return
                    raise CommandError("The session was not accepted (redirected to login).")
            except OSError:
                time.sleep(0.5)
        raise CommandError(f"gunicorn did not serve {url} within {seconds} s.")
