#!/usr/bin/env bash
# Issue 10's last "Done when" line: `make test` takes at most 60% of the wall time the suite took
# when the issue was filed, for the same tests, measured in one sitting.
#
# Exports the base commit (a3de26b, the main branch when issue 10 was filed) beside this
# checkout, collects both suites, keeps the test ids that exist in both by name, then times the
# base as its own `make test` ran them (one process, in file order) and this checkout with
# today's `make test` command (xdist workers, the SQLite template database, kept bytecode).
# Prints wall, user and system time for each. Run it on a quiet machine, after one warm-up run
# of `make test` (the first run after a change compiles every module).
#
# Usage: benchmarks/suite_vs_base.sh [BASE_COMMIT]   (DRY_RUN=1: only count the tests in both)
set -euo pipefail
base_commit=${1:-a3de26b}
root=$(git rev-parse --show-toplevel)
cd "$root"
work=$(mktemp -d /tmp/sendwise-base.XXXXXX)
git archive "$base_commit" | tar -x -C "$work"
ln -s "$root/.venv" "$work/.venv"
mkdir -p "$work/var"
# The GOV.UK assets are fetched by `make setup`, not kept in git: share this checkout's.
[ -d "$root/sendwise/static/govuk" ] && cp -r "$root/sendwise/static/govuk" "$work/sendwise/static/"

ids() { .venv/bin/pytest --collect-only -q -p no:randomly 2>/dev/null | grep "::" | sort -u; }
(cd "$work" && ids) > "$work/base_ids.txt"
ids > "$work/now_ids.txt"
comm -12 "$work/base_ids.txt" "$work/now_ids.txt" > "$work/same_ids.txt"
echo "base $base_commit: $(wc -l < "$work/base_ids.txt") tests; now: $(wc -l < "$work/now_ids.txt"); in both: $(wc -l < "$work/same_ids.txt")"

if [ "${DRY_RUN:-0}" = 1 ]; then rm -rf "$work"; exit 0; fi  # DRY_RUN=1: the counts only

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# A failing test does not stop the comparison (its time still counts), but is printed.
(cd "$work" && /usr/bin/time -f "base: wall %e s, user %U s, sys %S s" \
  .venv/bin/pytest -q -p no:randomly -p no:xdist "@$work/same_ids.txt" 2>&1 |
  grep -E "^(FAILED|ERROR)|passed|failed|wall" || true)
echo "load between: $(cut -d' ' -f1-3 /proc/loadavg)"
PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX="$root/var/pycache" \
  /usr/bin/time -f "now: wall %e s, user %U s, sys %S s" \
  .venv/bin/pytest -q -n auto --dist worksteal "@$work/same_ids.txt" 2>&1 |
  grep -E "^(FAILED|ERROR)|passed|failed|wall" || true
rm -rf "$work"
