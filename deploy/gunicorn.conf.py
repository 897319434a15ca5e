"""Gunicorn settings for the registry's web container (`gunicorn -c deploy/gunicorn.conf.py
registry.wsgi`). Values can be changed from the environment without rebuilding."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Gunicorn also reads WEB_CONCURRENCY itself; 3 workers suit a 2-core server.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# Long report exports need more than the default 30 s; the proxy's timeout should match.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never takes the service down.
max_requests = 1000
max_requests_jitter = 100
# Temporary upload and heartbeat files in memory: the container's disk stays read-only
# to the app, and a slow disk cannot stall workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# The reverse proxy sets X-Forwarded-Proto; trust it from the proxy's addresses only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Gunicorn 27's control socket would go under $HOME, which is read-only in the container
# (and shared between processes elsewhere); nothing here uses it.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# %(U)s is the path without its query string: searches put client names in query strings,
# and logs must not collect personal data.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
