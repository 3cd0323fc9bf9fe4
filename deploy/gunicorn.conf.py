"""gunicorn settings for clubess-app.service (the command line gives the bind and the number of workers)."""

import os

# the access log is the app's JSON log (LOG_FORMAT=json: one line per request with its request id)
accesslog = None
errorlog = "-"
timeout = 60
graceful_timeout = 25
# nginx keeps connections to the upstream open (keepalive in deploy/nginx/clubess.conf)
keepalive = 75


def child_exit(server, worker):
    """prometheus_client's multiprocess mode: a dead worker's live gauges leave the sums."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
