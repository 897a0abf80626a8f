"""Small-number suppression for figures shown outside a school. Pure: no Django import.

Why: counts of 1 to 4 pupils in a school can identify a child (a known adviser may know the one
pupil in Year 3 with a hearing impairment). Following the practice of the DfE's published
statistics (counts below a threshold replaced by a symbol, GSS guidance on statistical disclosure
control), aggregates for advisers show "fewer than 5" instead of 1 to 4. Zero is shown: it
discloses nothing about any child.
"""

THRESHOLD = 5
SUPPRESSED = "fewer than 5"


def suppress(count: int, threshold: int = THRESHOLD) -> str:
    """The count as text, or "fewer than 5" for 1 to threshold - 1."""
    if count < 0:
        raise ValueError("A count cannot be negative")
    if 0 < count < threshold:
        return SUPPRESSED if threshold == THRESHOLD else f"fewer than {threshold}"
    return f"{count:,}"


def percentage(part: int, whole: int, threshold: int = THRESHOLD) -> str:
    """A share as text, suppressed when the part (or the whole) is too small to publish."""
    if whole <= 0:
        return "no pupils"
    if 0 < part < threshold or whole < threshold:
        return "suppressed"
    return f"{100 * part / whole:.1f}%"
