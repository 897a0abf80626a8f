"""Impact at local-authority scale: the adviser's view next to the raw-row SQL, and one pupil's
recommendations (issue 12, "Done when").

Builds (once) the benchmark local authority with ``--la-pupils`` pupils and its support (plans,
placements, groups, registers, scores, results and aggregates: ``sendwise.demo.la_support``),
then prints, each figure as min and median of ``--runs`` runs after a warm-up, with the load:

1. The adviser's authority view (``/impact/authority/``, the whole page through the Django test
   client) next to the raw-row SQL that computes the same figures (pupils, completed, scored,
   Σgain and Σgain² per school × intervention × measure for the school year) from scores,
   outcomes, placements and plans, as a view would without the aggregates. Goal: at most half.
   A check line says whether the two agree.
2. One school's impact page (the SENCO's ``/impact/?year=``, the school with the most
   placements, its last full year) next to its bare SQL as issue 12 defines it: every
   statement the page sent, captured from the page and replayed raw with its parameters (the
   sign-in's session, user, device and membership reads as well as the page's data queries; a
   write, were there one, is counted and not replayed). Goal: at most 3×, judged on that line.
   The line below it replays the page's data queries alone, for transparency. The page is
   requested as ``dashboard.py`` requests its own (``_pages.py``: the WSGI handler, signed in
   with a second factor, the connection kept open), and the two trivial signed-in pages are
   printed the same way: the floor every page's ratio starts from (ADR 0027).
3. One pupil's recommendations at that scale, each call as a request makes it (the school's
   candidates for the pupil's primary need read from the cache while nothing they are made
   from has changed: ``core.stamps``, ADR 0020): median and 95th percentile. Goal: under 50 ms
   at the 95th percentile.
4. The time a score save takes with the aggregates kept up to date (``IMPACT_UPKEEP=now``: the
   results of the pupil's placements whose window holds the score's date, and their aggregate
   cells, worked out again after the commit, inside the timing), next to the same save with
   the upkeep off: min, median and 95th percentile.
5. The adviser's home (pupils by school and SEN provision): the page, its grouped count over
   the partial index ``pupil_current_provision``, and the count it replaced.

Measured on 2026-12-06, PostgreSQL 15, on the shared 2-CPU machine at a load average of 4 to 6
(other people's tests running: medians and 95th percentiles are inflated, the minimums less so;
the lead re-measures). 219 schools, 100,000 pupils, 204,238 placements, 952,133 scores, 405,252
sessions, 1,727,601 attendances; 24,218 aggregate rows (rebuilt set-based in 18 s):

    1. authority view, 8 queries      min 294 ms, median 521 ms  (its reads replayed: 42 / 46 ms)
       raw-row SQL from scores        min 1,735 ms, median 2,166 ms  -> page / raw 0.24 (goal 0.5)
       check: 61,339 scored, Σgain 37,851.400 both ways
    2. school impact page (628 placements that year)   min 17.8 ms, median 28.0 ms
       its 2 data queries replayed    min 1.0 ms, median 1.1 ms   -> 26× (goal 3×: missed)
       every read it sent (5)         min 2.1 ms, median 2.3 ms
       the selector alone             min 4.3 ms, median 4.5 ms
       a signed-in 404 (the stack)    min 6.8 ms, median 7.9 ms
    3. recommendations, 150 pupils    min 29 ms, median 57 ms, p95 81 ms (goal p95 < 50 ms:
       missed on this machine), 12-13 queries a pupil (14-15, and a p95 of 187 ms at load 10,
       before budget_left stopped counting the year's placements where no budget is set)
    4. score save, upkeep now         min 104 ms, median 138 ms, p95 208 ms, 35 queries
       score save, upkeep off         min 24 ms, median 30 ms, p95 39 ms, 17 queries
    5. adviser's home, 219 schools    min 47 ms, median 53 ms, 5 queries
       its grouped count (index)      min 17 ms, median 23 ms; the join it replaced 94 / 108 ms

Again on 2026-12-07 at a load of 14 to 17 (busier: compare within the sitting), the code
before issue 12's second pass, then after it (two runs), same database:

    2. school page, min / median      42.7 / 51.8 ms   ->  32.0 / 41.6,  39.0 / 50.0 ms
       its 2 data queries             0.9 / 2.4 ms     ->  0.8 / 1.9,    0.9 / 1.1 ms
       a signed-in 404                13.8 / 23.4 ms   ->  10.5 / 20.8,  14.5 / 21.9 ms
    3. recommendations min/median/p95 74.9 / 128.6 / 168.1 ms, 12-13 queries
                                      ->  26.0 / 47.6 / 67.4,  25.8 / 48.0 / 65.4 ms, 6-7 queries
    4. score save, upkeep now         219.7 / 279.6 / 373.5 ms, 35 queries
                                      ->  139.4 / 156.6 / 174.2,  131.9 / 167.1 / 201.7 ms, 34
       score save, upkeep off         47.5 / 69.8 / 88.4 ms  ->  39.9 / 53.8 / 64.2,  35.7 / 45.6 / 61.1

(At a load of 9 to 13 an hour earlier: 1. 532 vs 3,905 ms; 2. 66 vs 1.2 ms; 3. p95 293 ms.)
The nightly rebuild of the busiest school (2,104 placements): 2.4 s (``impact_rebuild``).

Why 2 misses its goal: its data are two queries that take a millisecond; the page around them
(every middleware, the session, the GOV.UK layout and form) costs more than 3 ms whatever the
data, as the signed-in 404 shows. The page is flat in the size of the school and authority (it
reads one school's sums for a year, summed in the database), which is what the goal protects.
Why 4 costs about 110 ms: a score notes its pupil, and the upkeep works out every placement of
that pupil (14 over four years here) and their cells; narrowing it to the placements whose
review window holds the score's date would cut that to one or two (not done: the rule for
corrections and withdrawals needs its own tests).

Runs on SQLite with a smaller authority (``--la-pupils 5000``: var/bench_impact_<n>.sqlite3) and
on PostgreSQL through DATABASE_URL (or BENCH_DATABASE_URL), which is what the issue asks for:
``BENCH_DATABASE_URL=postgres://USER@HOST:5432/sendwise_bench .venv/bin/python
benchmarks/impact.py --la-pupils 100000 [--rebuild]`` (the user's password in ~/.pgpass; the
build takes about 50 minutes on the shared machine; ``--rebuild`` after a migration that adds
aggregate fields; VACUUM ANALYZE after the build, so the planner knows the tables).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta

if "BENCH_DATABASE_URL" not in os.environ and os.environ.get("DATABASE_URL"):
    os.environ["BENCH_DATABASE_URL"] = os.environ["DATABASE_URL"]

from _setup import (
    capture_statements,
    django_setup,
    machine_load,
    min_median,
    reads,
    replay,
    timed_runs,
)

parser = argparse.ArgumentParser()
parser.add_argument("--la-pupils", type=int, default=100_000)
parser.add_argument("--runs", type=int, default=10)
parser.add_argument(
    "--rebuild",
    action="store_true",
    help="rebuild the authority's aggregates first (set-based), e.g. after a migration adds a field",
)
args = parser.parse_args()
django_setup(f"bench_impact_{args.la_pupils}")

from _pages import (  # noqa: E402
    BENCH_URLCONF,
    RATIO_GOAL,
    against_statements,
    floor,
    signed_in,
)
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import Count, Q, Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from sendwise.core.access import actor_for  # noqa: E402
from sendwise.core.models import Membership, School, Trust, User  # noqa: E402
from sendwise.delivery.models import Attendance, Session  # noqa: E402
from sendwise.demo import generate as demo  # noqa: E402
from sendwise.evidence.models import Intervention  # noqa: E402
from sendwise.evidence.services import catalogue_seed  # noqa: E402
from sendwise.impact import school_selectors  # noqa: E402
from sendwise.impact import signals as upkeep  # noqa: E402
from sendwise.impact.bulk_services import aggregates_rebuild  # noqa: E402
from sendwise.impact.models import ImpactAggregate, PlacementResult  # noqa: E402
from sendwise.impact.result_services import refresh_noted  # noqa: E402
from sendwise.monitoring.models import Score  # noqa: E402
from sendwise.monitoring.services import score_add  # noqa: E402
from sendwise.pages import recommend  # noqa: E402
from sendwise.planning.models import Outcome, Placement  # noqa: E402
from sendwise.pupils.models import Pupil  # noqa: E402

LA_NAME = "Benchmark Local Authority"

# The benchmark signs its users in with ``force_login``: the second sign-in step (required of
# SENCOs, heads and advisers) is not what is timed, so it is off here as in the test settings.
override_settings(SECOND_FACTOR_ENFORCED=False).enable()

# The same figures as the aggregates hold, from the raw rows: for each judged outcome (the
# outcome set for a placement) of a plan started in the school year, the pre score is the
# outcome's baseline and the post the latest current score on its measure after the baseline
# and on or before the review; the gain is (post - pre) / norm SD for standardised scores and
# the raw change otherwise, signed so + is better. Then sums per school × intervention × measure.
RAW_SQL = """
WITH result AS (
    SELECT pl.school_id, pl.intervention_id, o.measure_id, p.pupil_id,
           CASE WHEN p.status = 'reviewed' THEN 1 ELSE 0 END AS completed,
           (CASE WHEN m.higher_is_better IS NULL OR m.higher_is_better THEN 1.0 ELSE -1.0 END)
             * (post.value - o.baseline)
             / (CASE WHEN m.kind = 'standardised' AND m.sd > 0 AND m.higher_is_better IS NOT NULL
                THEN m.sd ELSE 1.0 END) AS gain
    FROM planning_placement pl
    JOIN planning_plan p ON p.id = pl.plan_id
    JOIN core_school sc ON sc.id = pl.school_id
    LEFT JOIN planning_outcome o
      ON o.placement_id = pl.id AND o.withdrawn_at IS NULL AND o.measure_id IS NOT NULL
    LEFT JOIN evidence_measure m ON m.id = o.measure_id
    LEFT JOIN monitoring_score post ON post.id = (
        SELECT s.id FROM monitoring_score s
        WHERE p.status = 'reviewed' AND s.school_id = pl.school_id AND s.pupil_id = p.pupil_id
          AND s.measure_id = o.measure_id AND s.withdrawn_at IS NULL
          AND s.taken_on > o.baseline_date AND s.taken_on <= p.reviewed_on
        ORDER BY s.taken_on DESC, s.id DESC LIMIT 1
    )
    WHERE sc.trust_id = %s AND pl.withdrawn_at IS NULL
      AND p.start_date >= %s AND p.start_date < %s
)
SELECT school_id, intervention_id, measure_id, COUNT(DISTINCT pupil_id), SUM(completed),
       COUNT(gain), SUM(gain), SUM(gain * gain)
FROM result GROUP BY school_id, intervention_id, measure_id
"""


def build(pupils: int) -> Trust:
    if not Intervention.objects.exists():
        catalogue_seed()
    existing = Trust.objects.filter(name=LA_NAME).first()
    if existing:
        return existing
    start = time.perf_counter()
    la = demo.local_authority_build(seed=2026, pupils=pupils)
    print(f"built {la.name} in {time.perf_counter() - start:.0f} s")
    return la


def sizes(la: Trust) -> None:
    scope = {"school__trust": la}
    counts = {
        "schools": School.objects.filter(trust=la).count(),
        "pupils": Pupil.unscoped.filter(**scope).count(),
        "placements": Placement.objects.filter(**scope).count(),
        "scores": Score.objects.filter(**scope).count(),
        "sessions": Session.objects.filter(**scope).count(),
        "attendances": Attendance.objects.filter(**scope).count(),
        "results": PlacementResult.objects.filter(**scope).count(),
        "aggregate rows": ImpactAggregate.objects.filter(**scope).count(),
    }
    print(", ".join(f"{n:,} {what}" for what, n in counts.items()))


def authority_view(la: Trust, runs: int) -> None:
    adviser, _ = User.objects.get_or_create(
        email="bench-adviser@example.test", defaults={"full_name": "Bench adviser"}
    )
    Membership.objects.get_or_create(user=adviser, trust=la, role="la_adviser")
    client = Client()
    client.force_login(adviser)
    year = (
        ImpactAggregate.objects.filter(school__trust=la)
        .order_by("-academic_year")
        .values_list("academic_year", flat=True)
        .first()
    )
    # The last full school year: the current one has only begun.
    year = year - 1 if year else None
    url = f"/impact/authority/?year={year}"
    statements = capture_statements(connection, lambda: client.get(url))
    assert client.get(url).status_code == 200
    page = timed_runs(lambda: client.get(url), runs)
    bare = timed_runs(lambda: replay(connection, reads(statements)), runs)
    params = [la.pk, date(year, 9, 1), date(year + 1, 9, 1)]
    raw_rows = []

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL, params)
            raw_rows[:] = cursor.fetchall()

    raw_times = timed_runs(raw, max(1, min(runs, 3)))
    print(f"\n1. The adviser's authority view, {year} to {year + 1} ({machine_load()})")
    print(f"   page, {len(statements)} queries (aggregates):  {min_median(page)}")
    print(f"   its own reads replayed raw:           {min_median(bare)}")
    print(f"   raw-row SQL from scores (1 statement): {min_median(raw_times)}")
    ratio = statistics.median(page) / statistics.median(raw_times)
    print(f"   page / raw-row SQL: {ratio:.2f} (goal: at most 0.5)")
    stored = ImpactAggregate.objects.filter(school__trust=la, academic_year=year).aggregate(
        scored=Sum("scored"), gain=Sum("gain_sum"), placements=Sum("placements")
    )
    raw_scored = sum(r[5] for r in raw_rows)
    raw_gain = sum(r[6] or 0 for r in raw_rows)
    same = stored["scored"] == raw_scored and abs((stored["gain"] or 0) - raw_gain) < 1e-6 * max(
        1, abs(raw_gain)
    )
    print(
        f"   check: aggregates {stored['scored']:,} scored, Σgain {stored['gain'] or 0:.3f}; "
        f"raw SQL {raw_scored:,} scored, Σgain {raw_gain:.3f}: {'the same' if same else 'DIFFERENT'}"
    )


def busiest_school(la: Trust) -> School:
    """The school with the most placement results (the largest impact page)."""
    school_id = (
        PlacementResult.objects.filter(school__trust=la)
        .values("school_id")
        .annotate(n=Count("id"))
        .order_by("-n", "school_id")
        .values_list("school_id", flat=True)
        .first()
    )
    return School.objects.get(pk=school_id)


def senco_of(school: School) -> User:
    return Membership.objects.filter(school=school, role="senco").select_related("user")[0].user


def school_page(la: Trust, runs: int) -> None:
    """The SENCO's impact page for the busiest school and its last full year, next to every
    statement the page sent, captured from it and replayed raw with its parameters; then the
    two trivial signed-in pages the same way (the floor), and the selector alone. Requested as
    ``dashboard.py`` requests its page (``_pages``: WSGI handler, signed in with a second
    factor, the connection kept open as production keeps it on PostgreSQL)."""
    school = busiest_school(la)
    for alias in connections:
        connections[alias].settings_dict["CONN_MAX_AGE"] = None
    browser = signed_in(senco_of(school), school_id=school.pk)
    years = sorted(
        set(ImpactAggregate.objects.filter(school=school).values_list("academic_year", flat=True))
    )
    year = years[-2] if len(years) > 1 else years[-1]  # the last full school year
    placements = PlacementResult.objects.filter(school=school, academic_year=year).count()
    print(
        f"\n2. One school's impact page, {school.name}, {year} to {year + 1} "
        f"({placements:,} placements that year; {machine_load()})"
    )
    with override_settings(ROOT_URLCONF=BENCH_URLCONF):
        against_statements(browser, "the impact page", f"/impact/?year={year}", runs)
        print(f"  goal: at most {RATIO_GOAL:.0f}x every statement the page sent")
        floor(browser, runs)
    # Where the rest goes: the selector alone (its queries and its sums, no template).
    actor = actor_for(senco_of(school), school.pk)
    selector = timed_runs(lambda: school_selectors.school_impact(actor=actor, year=year), runs)
    print(f"  the selector alone (queries and sums): {min_median(selector)} ({machine_load()})")


def recommendations(la: Trust, runs: int) -> None:
    school = (
        School.objects.filter(trust=la).annotate(n=Count("pupils")).order_by("-n", "id").first()
    )
    senco = Membership.objects.filter(school=school, role="senco").select_related("user").first()
    actor = actor_for(senco.user, school.pk)
    pupils = list(Pupil.unscoped.filter(school=school).exclude(sen_provision="N").order_by("id"))
    recommend.recommendations_for(actor=actor, pupil=pupils[0])  # warm up
    times, counts = [], set()
    for _ in range(max(1, runs // 5)):
        for pupil in pupils:
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                recommend.recommendations_for(actor=actor, pupil=pupil)
                times.append((time.perf_counter() - start) * 1000)
            counts.add(len(queries))
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"\n3. One pupil's recommendations in {school.name} ({len(pupils)} pupils with SEN)")
    print(
        f"   min {times[0]:.1f} ms, median {statistics.median(times):.1f} ms, 95th percentile "
        f"{p95:.1f} ms (goal: under 50 ms); queries per pupil {sorted(counts)}"
    )


def _free_day(outcome, taken: set) -> date | None:
    """A day inside the outcome's plan's window (after its start; for a reviewed plan, up to
    the review) on which the pupil has no score on the measure yet: a score that changes the
    plan's result. Counting back from the review (or today), at most 20 days."""
    plan = outcome.plan
    last = plan.reviewed_on if plan.status == "reviewed" and plan.reviewed_on else None
    last = last or timezone.localdate()
    for back in range(20):
        day = last - timedelta(days=back)
        if day <= plan.start_date:
            return None
        if (plan.pupil_id, outcome.measure_id, day) not in taken:
            return day
    return None


def score_save(la: Trust, runs: int) -> None:
    """The SENCO's ``score_add`` for a pupil with placements in the busiest school, each in
    its own transaction as a request has it, the on-commit upkeep inside the timing: with the
    per-save upkeep (``IMPACT_UPKEEP=now``: the results of the placements whose window holds
    the score's date, and their aggregate cells, worked out again) and with it off
    (``signals.paused()``). Each save is a new score (a pupil, a measure, a day inside the
    pupil's latest plan's window, so the upkeep has a result to change: the plans here are all
    reviewed, and a score taken today, after every review, would change none), so it is a real
    insert, never refused as a second score that day."""
    school = busiest_school(la)
    actor = actor_for(senco_of(school), school.pk)
    taken = set(
        Score.objects.filter(school=school).values_list("pupil_id", "measure_id", "taken_on")
    )
    chosen, seen = [], set()
    for o in (
        Outcome.objects.current()
        .filter(school=school, measure__isnull=False, baseline__isnull=False)
        .select_related("plan__pupil", "measure")
        .order_by("plan__pupil_id", "-plan__start_date", "id")
    ):
        if (o.plan.pupil_id, o.measure_id) in seen:  # one save a pupil and measure
            continue
        seen.add((o.plan.pupil_id, o.measure_id))
        day = _free_day(o, taken)
        if day is not None:
            chosen.append((o, day))
    if len(chosen) < 2 * runs + 2:
        print(f"\n4. A score save: only {len(chosen)} pupils left to score, not timed.")
        return
    placements = {
        o.plan.pupil_id: PlacementResult.objects.filter(pupil_id=o.plan.pupil_id).count()
        for o, _ in chosen[: 2 * runs + 2]
    }
    queue = iter(chosen)
    done = []  # the pupils scored, in order

    def save():
        outcome, day = next(queue)
        done.append(outcome.plan.pupil_id)
        measure = outcome.measure
        value = outcome.baseline
        if measure.scale_max is not None:
            value = min(value + 1, measure.scale_max)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            with transaction.atomic():
                score_add(
                    actor=actor, pupil=outcome.plan.pupil, measure=measure, value=value,
                    taken_on=day,
                )  # fmt: skip
            took = (time.perf_counter() - start) * 1000
        return took, len(queries)

    def timed(n):
        figures = [save() for _ in range(n)]
        return [t for t, _ in figures], sorted({q for _, q in figures})

    with override_settings(IMPACT_UPKEEP="now"):
        save()  # warm
        upkeep_times, upkeep_queries = timed(runs)
    off_from = len(done)
    with upkeep.paused(), override_settings(IMPACT_UPKEEP="now"):
        save()
        off_times, off_queries = timed(runs)
    # The saves timed without the upkeep fall inside their plans' windows: work their results
    # out now (untimed), so the authority's aggregates stay right for the next run's check.
    refresh_noted(school_id=school.pk, pupils=sorted(set(done[off_from:])))
    share = sorted(placements.values())
    print(
        f"\n4. A score save in {school.name} ({runs} saves each, a pupil with a median "
        f"{statistics.median(share):.0f} placements; {machine_load()})"
    )
    print(f"   aggregates kept up to date (now): {min_median_p95(upkeep_times)}, "
          f"queries {upkeep_queries}")  # fmt: skip
    print(f"   upkeep off (stale):               {min_median_p95(off_times)}, "
          f"queries {off_queries}")  # fmt: skip


def min_median_p95(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"{min_median(times)}, 95th percentile {p95:7.1f} ms"


def adviser_home(la: Trust, runs: int) -> None:
    """The adviser's home (pupils by school and SEN provision): the page, its grouped count
    over the partial index, and the count it replaced (every pupil joined to its school)."""
    adviser = User.objects.get(email="bench-adviser@example.test")
    client = Client()
    client.force_login(adviser)
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    count = len(queries.captured_queries)  # read now: the next request clears the log
    page = timed_runs(lambda: client.get("/"), runs)
    ids = list(School.objects.filter(trust=la).values_list("id", flat=True))
    new = timed_runs(
        lambda: list(
            Pupil.unscoped.filter(school__in=ids, archived_at__isnull=True)
            .values_list("school_id", "sen_provision")
            .annotate(n=Count("*"))
            .order_by()
        ),
        runs,
    )
    current = Q(pupils__archived_at__isnull=True)
    old = timed_runs(
        lambda: list(
            School.objects.filter(trust=la)
            .annotate(
                on_roll=Count("pupils", filter=current),
                sen_support=Count("pupils", filter=current & Q(pupils__sen_provision="K")),
                ehc_plan=Count("pupils", filter=current & Q(pupils__sen_provision="E")),
            )
            .order_by("name")
        ),
        runs,
    )
    print(f"\n5. The adviser's home, {len(ids)} schools ({machine_load()})")
    print(f"   page, {count} queries:                        {min_median(page)}")
    print(f"   its count, grouped over the partial index:  {min_median(new)}")
    print(f"   the count it replaced (every pupil joined): {min_median(old)}")


def main():
    la = build(args.la_pupils)
    if args.rebuild:
        start = time.perf_counter()
        ids = list(School.objects.filter(trust=la).values_list("id", flat=True))
        rows = aggregates_rebuild(school_ids=ids)
        print(f"rebuilt {rows:,} aggregate rows in {time.perf_counter() - start:.1f} s")
    print(f"{connection.vendor}: ", end="")
    sizes(la)
    authority_view(la, args.runs)
    school_page(la, args.runs)
    recommendations(la, args.runs)
    score_save(la, max(args.runs, 20))
    adviser_home(la, args.runs)


if __name__ == "__main__":
    sys.exit(main())
