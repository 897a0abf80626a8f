"""Plain-English sentences for the decision rules: one sentence per verdict or concern.

Two versions. Staff sentences say what the figures show and what to consider doing. Parent
sentences say how the child is getting on, with no instructions to staff and no jargon (no
"aimline", "RCI", "trend rule" or codes). Pure Python, no Django; every sentence is tested.
"""

from __future__ import annotations

from datetime import date

from sendwise.maths.stats_scores import RCI_THRESHOLD
from sendwise.monitoring.rules import (
    AHEAD,
    NOT_RESPONDING,
    ON_TRACK,
    TOO_FEW,
    Verdict,
)

STAFF = "staff"
PARENT = "parent"

#: The advice in a staff sentence is written for the SENCO, the only one who changes a plan.
#: Anyone else on the staff who reads it (an intervention specialist, a teacher, the head) is
#: told instead how to get it to the SENCO: each pair is (the SENCO's words, everyone else's).
#: Sentences are kept on flags as the SENCO's, and reworded as they are shown (``for_reader``),
#: so flags judged before this wording read the same way.
FOR_OTHER_STAFF = (
    (
        ": consider changing the support.",
        ": raise it with the SENCO, who can change the support, or bring it to the plan's review.",
    ),
    (
        ": consider raising the goal.",
        ": tell the SENCO, who can raise the goal, or bring it to the plan's review.",
    ),
    (
        "Consider changing the support, or record",
        "Raise it with the SENCO, who can change the support or record",
    ),
    (
        "Consider raising the goal, or record",
        "Tell the SENCO, who can raise the goal or record",
    ),
    (
        "Record the measure's reliability so that",
        "Ask the SENCO to record the measure's reliability so that",
    ),
    (
        ": score more often or review the goal.",
        ": score more often, or ask the SENCO to review the goal.",
    ),
    (
        "; add the pupil to a group running it, or change the plan.",
        "; ask the SENCO to add the pupil to a group running it, or to change the plan.",
    ),
)


def for_reader(sentence: str, *, may_change_plan: bool) -> str:
    """A staff sentence worded for whoever reads it: as written for the SENCO (who may change
    the plan), else with each piece of advice turned into bringing it to the SENCO."""
    if may_change_plan or not sentence:
        return sentence
    for senco, others in FOR_OTHER_STAFF:
        sentence = sentence.replace(senco, others)
    return sentence


def day(when: date, today: date | None = None) -> str:
    """'14 March', with the year when it is not this year ('14 March 2027')."""
    text = f"{when.day} {when:%B}"
    return text if today is not None and when.year == today.year else f"{text} {when.year}"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"


def _scores(n: int) -> str:
    return "1 more score is" if n == 1 else f"{n} more scores are"


def _side(higher_is_better: bool, behind: bool) -> str:
    """Where the points sit against the planned line, in words that hold for either direction."""
    if behind:
        return "below the aimline" if higher_is_better else "above the aimline (worse)"
    return "above the aimline" if higher_is_better else "below the aimline (better)"


def progress_sentence(verdict: Verdict, *, audience: str = STAFF, today: date) -> str:
    """The one sentence for an outcome's verdict."""
    f = verdict.figures
    if verdict.verdict == TOO_FEW:
        more = _scores(verdict.more_needed)
        when = day(verdict.by, today) if verdict.by else ""
        goal = f.get("target_date")
        if goal and date.fromisoformat(goal) < today:
            # The goal's date is behind us: no pace of scoring reaches it any more.
            goal_day = day(date.fromisoformat(goal), today)
            if audience == PARENT:
                return (
                    f"It is too early to tell how this is going: the goal's date ({goal_day}) "
                    "has passed, and the school will look at this goal again."
                )
            return (
                f"{more[0].upper()}{more[1:]} needed to tell, and the goal's date ({goal_day}) "
                "has passed: review the goal."
            )
        if verdict.by and goal and verdict.by > date.fromisoformat(goal):
            # At the usual pace the scores would come after the goal's own date: saying "by
            # about <a later date>" would read as if the goal's date had moved.
            goal_day = day(date.fromisoformat(goal), today)
            if audience == PARENT:
                return (
                    f"It is too early to tell how this is going: {more} needed before the "
                    f"goal's date, {goal_day}."
                )
            return (
                f"{more[0].upper()}{more[1:]} needed to tell, and at the usual pace they would "
                f"come after the goal's date ({goal_day}): score more often or review the goal."
            )
        if audience == PARENT:
            return f"It is too early to tell how this is going: {more} needed, by about {when}."
        return f"{more[0].upper()}{more[1:]} needed to tell, by about {when}."
    if audience == PARENT and verdict.rule == "gap" and verdict.verdict != ON_TRACK:
        side = "behind" if verdict.verdict == NOT_RESPONDING else "ahead of"
        return (
            f"The latest score is {side} the plan for that day, but this test cannot show "
            "whether a difference that size is more than the usual ups and downs of testing."
        )
    if audience == PARENT:
        return {
            ON_TRACK: "Progress is in line with the goal so far.",
            AHEAD: "Progress is faster than planned: the goal may be reached early.",
            NOT_RESPONDING: "Progress so far is slower than planned for this goal.",
        }[verdict.verdict]
    better = f.get("higher_is_better", True)
    if verdict.rule == "four_point":
        if verdict.verdict == NOT_RESPONDING:
            return (
                f"The last 4 scores are all {_side(better, True)}: consider changing the support."
            )
        if verdict.verdict == AHEAD:
            return f"The last 4 scores are all {_side(better, False)}: consider raising the goal."
        return "The latest scores are on both sides of the aimline: carry on and keep scoring."
    if verdict.rule == "trend":
        pace = (
            f"about {_number(abs(f['pupil_slope_per_week']))} a week against "
            f"{_number(abs(f['aimline_slope_per_week']))} planned"
        )
        if verdict.verdict == NOT_RESPONDING:
            return (
                f"Over {verdict.n_points} scores the trend is slower than the aimline ({pace}): "
                "consider changing the support."
            )
        return (
            f"Over {verdict.n_points} scores the trend is faster than the aimline ({pace}): "
            "consider raising the goal."
        )
    latest = _number(f["latest"])
    on = day(date.fromisoformat(f["latest_on"]), today)
    if verdict.rule == "gap":
        return _gap_sentence(verdict, latest, on)
    if verdict.verdict == NOT_RESPONDING:
        return (
            f"The latest score, {latest} on {on}, is further behind the planned progress than "
            "measurement error explains: consider changing the support."
        )
    if verdict.verdict == AHEAD:
        return (
            f"The latest score, {latest} on {on}, is further ahead of the planned progress than "
            "measurement error explains: consider raising the goal."
        )
    return (
        f"The latest score, {latest} on {on}, is within measurement error of the planned "
        "progress: carry on."
    )


#: Said whenever a termly verdict was judged without the measure's reliability (rule "gap").
NO_RELIABILITY = (
    "This measure's reliability is not recorded, so the change cannot be judged reliable: it "
    "may be measurement error alone, and it does not put the pupil on the decisions list"
)


def _gap_sentence(verdict: Verdict, latest: str, on: str) -> str:
    """A termly score judged against the aimline with no allowance for error (the measure has
    no reliability): the sentence gives the two numbers compared and says so, and never claims
    the gap is beyond measurement error."""
    f = verdict.figures
    aim = f.get("aim_that_day")
    gap = f.get("gap")
    if aim is None or gap is None:  # a verdict judged before these figures were kept
        aim_words, by = "the aimline for that day", ""
    else:
        aim_words, by = f"the aimline's {_exact(aim)} for that day", f" by {_exact(abs(gap))}"
    if verdict.verdict == ON_TRACK:
        return f"The latest score, {latest} on {on}, is on {aim_words}: carry on."
    side = "behind" if verdict.verdict == NOT_RESPONDING else "ahead of"
    return (
        f"The latest score, {latest} on {on}, is {side} {aim_words}{by}. {NO_RELIABILITY}. "
        "Record the measure's reliability so that the change can be judged against "
        "measurement error."
    )


def _exact(value: float) -> str:
    """A figure to two decimal places at most: enough to show a gap that one place hides."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def gain_sentence(verdict: Verdict, *, kind: str, audience: str = STAFF) -> str:
    """For a termly test: the change since the baseline read against expected progress. On an
    age-standardised score a change of 0 is expected progress for the pupil's age, not none.
    Empty when there is no score after the baseline yet."""
    f = verdict.figures
    if "change" not in f:
        return ""
    before, after, change = _number(f["baseline"]), _number(f["latest"]), f["change"]
    if kind == "age_equivalent":
        months = _number(abs(change))
        gained = "gained" if change >= 0 else "lost"
        ratio = f.get("ratio_gain")
        unit = "month" if ratio == 1 else "months"
        pace = f" ({_number(ratio)} {unit} for each month that passed)" if ratio is not None else ""
        if audience == PARENT:
            return f"Since the start, the score has {gained} {months} months{pace}."
        return (
            f"Age-equivalent score {before} to {after} months: {gained} {months} months{pace}; "
            "one month a month is expected progress."
        )
    rci = f.get("rci_vs_expected")
    if change == 0 or (rci is not None and abs(rci) < RCI_THRESHOLD):
        meaning = "kept pace with pupils of the same age, which is the progress expected"
        if change == 0:
            note = " (a standardised score that stays the same means expected progress, not none)"
        else:
            note = " (the change is within measurement error)"
        if verdict.verdict == NOT_RESPONDING and f.get("planned_change", 0) > 0:
            note += f", though the goal planned a rise of {_exact(f['planned_change'])} by then"
    elif rci is None:
        # No reliability: the change cannot be told from measurement error, so no claim that
        # the pupil gained or lost ground on pupils of the same age.
        if audience == PARENT:
            return f"The score went from {before} to {after}."
        moved = "up" if change > 0 else "down"
        return (
            f"Standardised score {before} to {after}: {moved} {_exact(abs(change))}, where no "
            "change is the progress expected for age. This measure's reliability is not "
            "recorded, so whether that is more than measurement error cannot be told."
        )
    elif change > 0:
        meaning, note = "gained ground on pupils of the same age", " (more than measurement error)"
    else:
        meaning, note = "fell behind pupils of the same age", " (more than measurement error)"
    if audience == PARENT:
        return f"The score went from {before} to {after}: your child {meaning}."
    return f"Standardised score {before} to {after}: {meaning}{note}."


def goal_sentence(verdict: Verdict, *, target: float, target_date: date, today: date) -> str:
    """'On the trend so far, the chance of reaching 60 by 14 July is about 30%.' Staff only;
    empty until the trend rule has its points."""
    p = verdict.figures.get("goal_probability")
    if p is None:
        return ""
    percent = round(100 * p)
    chance = "under 5%" if percent < 5 else ("over 95%" if percent > 95 else f"about {percent}%")
    return (
        f"On the trend so far, the chance of reaching {_number(target)} by "
        f"{day(target_date, today)} is {chance}."
    )


def no_score_sentence(*, last_score_on: date, today: date, audience: str = STAFF) -> str:
    weeks = (today - last_score_on).days // 7
    if audience == PARENT:
        return f"There has been no new score since {day(last_score_on, today)}."
    return (
        f"No score since {day(last_score_on, today)} ({weeks} weeks): add one so progress "
        "can be judged."
    )


def review_overdue_sentence(*, review_date: date, today: date, audience: str = STAFF) -> str:
    if audience == PARENT:
        return f"The review of the plan was due on {day(review_date, today)}."
    return f"The plan's review was due on {day(review_date, today)} and has not been held."


def low_dose_sentence(
    *, intervention: str, percent: int, reason: str = "", audience: str = STAFF
) -> str:
    if audience == PARENT:
        return f"{intervention}: fewer sessions than planned have taken place so far."
    why = f", {reason}" if reason else ""
    return (
        f"{intervention}: {percent}% of the planned time delivered so far{why}; "
        "below 80%, check the dose before judging progress."
    )


def not_started_sentence(*, intervention: str, owed: int, audience: str = STAFF) -> str:
    """A placement never put in a group: no session could be timetabled for the pupil."""
    if audience == PARENT:
        return f"{intervention}: has not started yet."
    sessions = "session" if owed == 1 else "sessions"
    return (
        f"{intervention}: not started: not in a group yet, so none of the {owed} {sessions} "
        "planned so far could take place; add the pupil to a group running it, or change the "
        "plan."
    )
