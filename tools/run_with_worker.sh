#!/usr/bin/env bash
# `make run`: the web server (gunicorn, as in production: deploy/gunicorn.conf.py) and a task
# worker (core.tasks, ADR 0005) as one command.
#
# Usage: tools/run_with_worker.sh PYTHON HOST:PORT
#
# Both run in the background of this shell, which waits for either to stop. When one stops, or
# this shell is interrupted (Ctrl-C) or terminated (a killed make passes SIGTERM on to it), both
# are stopped and reaped, so no worker is left behind (gunicorn stops its own workers: they
# finish the request under way within its graceful timeout, 5 s). The worker is asked twice: the first
# request lets it stop between tasks, the second ends a task it is running (an import is all or
# nothing, so it is rolled back and its page says it did not finish); either still running
# 10 seconds later is killed.
set -u
python=$1
address=$2

"$python" manage.py db_worker --no-reload --no-startup-delay &
worker=$!
# WEB_CONCURRENCY (default 2 × cores + 1) sets how many pages are served at once.
"$python" -m gunicorn -c deploy/gunicorn.conf.py --bind "$address" &
server=$!

stop() {
    trap '' INT TERM HUP  # stopping is short (at most 10.5 s): let it finish
    trap - EXIT
    kill -TERM "$server" "$worker" 2>/dev/null
    sleep 0.5
    kill -TERM "$worker" 2>/dev/null
    for _ in $(seq 20); do
        [ -z "$(jobs -rp)" ] && break
        sleep 0.5
    done
    running=$(jobs -rp)
    [ -n "$running" ] && kill -KILL $running 2>/dev/null
    wait
    exit "${1:-0}"
}
trap 'stop 130' INT
trap 'stop 143' TERM
trap 'stop 129' HUP
trap 'stop $?' EXIT

wait -n "$server" "$worker"
