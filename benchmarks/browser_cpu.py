"""Per-test CPU of the browser journeys: the pytest process's own, and that of everything it
started (Playwright's driver and Chromium's processes), read from /proc, with the wall time.

The machine is shared, so wall time is noisy; CPU time is what a change saves. A process's
children's times are counted once they have ended and been waited for (Chromium's renderers,
reaped by its zygote), so the sum over the process tree at the start and at the end of a test is
the CPU the tree spent on that test, setup and teardown included.

Usage (one process, so that the figures are one test's alone):
    PYTHONPATH=. .venv/bin/pytest -q -p no:xdist -p no:randomly -p benchmarks.browser_cpu \
        tests/browser [--browser-cpu-json=var/browser_cpu.json]
"""

import json
import os
import time
from pathlib import Path

import pytest

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its waited-for children)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    # After the command: state ppid ... utime(14) stime(15) cutime(16) cstime(17), 1-based
    # from pid, so indexes 11-14 here (state is index 0).
    ppid = int(fields[1])
    cpu = sum(int(fields[i]) for i in (11, 12, 13, 14)) / TICKS
    return ppid, cpu


def tree_cpu(root: int) -> tuple[float, float]:
    """(CPU of `root` itself with its reaped children, CPU of its live descendants)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat:
                stats[int(entry.name)] = stat
    children: dict[int, list[int]] = {}
    for pid, (ppid, _cpu) in stats.items():
        children.setdefault(ppid, []).append(pid)
    own = stats[root][1]
    rest, todo = 0.0, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        rest += stats[pid][1]
        todo.extend(children.get(pid, []))
    return own, rest


def pytest_addoption(parser):
    parser.addoption("--browser-cpu-json", default=None, help="write the per-test figures here")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    start_wall = time.monotonic()
    start_self = time.process_time()
    start_own, start_rest = tree_cpu(os.getpid())
    result = yield
    end_own, end_rest = tree_cpu(os.getpid())
    figures = {
        "wall": time.monotonic() - start_wall,
        "python": time.process_time() - start_self,
        # everything else in the tree: the Playwright driver and Chromium
        "browser": (end_own + end_rest)
        - (start_own + start_rest)
        - (time.process_time() - start_self),
    }
    item.config._browser_cpu = getattr(item.config, "_browser_cpu", {})
    item.config._browser_cpu[item.nodeid] = figures
    return result


def pytest_terminal_summary(terminalreporter, config):
    figures = getattr(config, "_browser_cpu", {})
    if not figures:
        return
    write = terminalreporter.write_line
    write("")
    write(f"{'wall s':>7} {'python':>7} {'browser':>7} {'cpu':>7}  test")
    totals = [0.0, 0.0, 0.0]
    for nodeid, f in sorted(figures.items(), key=lambda kv: -kv[1]["python"] - kv[1]["browser"]):
        cpu = f["python"] + f["browser"]
        totals = [totals[0] + f["wall"], totals[1] + f["python"], totals[2] + f["browser"]]
        write(f"{f['wall']:7.2f} {f['python']:7.2f} {f['browser']:7.2f} {cpu:7.2f}  {nodeid}")
    write(
        f"{totals[0]:7.2f} {totals[1]:7.2f} {totals[2]:7.2f} {totals[1] + totals[2]:7.2f}  "
        f"total of {len(figures)} tests; load {Path('/proc/loadavg').read_text().split()[:3]}"
    )
    path = config.getoption("--browser-cpu-json")
    if path:
        Path(path).write_text(json.dumps(figures, indent=1))
