"""gunicorn's settings for SENDwise, for `make run` and for production alike (deploy/).

gunicorn reads this file with `-c deploy/gunicorn.conf.py`; each value can be changed from the
environment without editing it. https://docs.gunicorn.org/en/stable/settings.html
"""

import multiprocessing
import os

wsgi_app = "sendwise.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")

# Pre-forked worker processes, each serving one request at a time. A page of pupils is mostly
# database and template work (CPU), so processes rather than threads; gunicorn's own rule of
# thumb is 2 × cores + 1. Each worker holds Django, numpy and matplotlib (about 150 MB).
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# A request that takes longer than this is stuck: the worker is killed and replaced. Slow work
# (imports, report packs) runs in the task worker, not in a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On SIGTERM, requests under way have this long to finish (`make run` kills at 10 s).
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 5))
# A worker is replaced after about this many requests, so a slow leak cannot grow for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200


def post_worker_init(worker):
    """Before a worker takes its first request, import every view and compile every template
    (sendwise.core.warm_up): a fresh worker otherwise spends about 2 s of CPU on its first
    request and tens of ms more on each page's first visit, and a visitor waits for it."""
    from sendwise.core.warm_up import warm_up

    # The worker's heartbeat between steps: on a busy machine warming up can take longer than
    # `timeout`, and the arbiter must not take the worker for a stuck one.
    worker.log.info("Worker ready: %s templates compiled", warm_up(progress=worker.notify))


# The access log: method, path WITHOUT the query string (a register search carries a pupil's
# name), status, size and time. Off with ACCESS_LOG="" ; to a file with ACCESS_LOG=/path.
accesslog = os.environ.get("ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# X-Forwarded-For/-Proto are believed only from these addresses (the front proxy on this
# machine by default; docs/operations.md).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn's run-time control socket (one path per user by default, so two instances on one
# machine would share it) is not needed: stop and reload with signals (docs/operations.md).
control_socket_disable = True
