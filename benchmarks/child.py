"""One piece of work in a process of its own: `python -m benchmarks.child MODULE.FUNCTION CONTEXT`.

The function is looked up in `benchmarks.work.MODULE`; CONTEXT is a `Context` as JSON. The
child imports, prepares, then times only the work itself, and prints one result line with
the seconds (wall and this process's CPU), its memory, the machine's load average when it
started, and the work's counts.

Memory is the kernel's high-water mark of the process's resident set (`VmHWM` in
/proc/self/status), reset to the current size (`/proc/self/clear_refs`) just before the
timed part: `peak_rss_kb` is the largest the process got while working, `rss_before_kb` what
it held before (interpreter, imports, preparation). `getrusage(RUSAGE_CHILDREN)` would not do:
Linux carries the parent's peak over fork and exec, so every child would report at least the
harness's own size.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import resource
import sys
import time
from pathlib import Path

from benchmarks.work import Context, Timed, app_environment

RESULT_MARK = "benchmark-result: "
STATUS = Path("/proc/self/status")


def memory_kb(field: str) -> int:
    """A size from /proc/self/status in kB (`VmRSS`, `VmHWM`); elsewhere the peak by rusage."""
    with contextlib.suppress(OSError):
        for line in STATUS.read_text(encoding="ascii").splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def reset_peak() -> None:
    """Lower the high-water mark to the current resident set (Linux only)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")


def _work(name: str, context: Context) -> Timed:
    module_name, _, function_name = name.rpartition(".")
    module = importlib.import_module(f"benchmarks.work.{module_name}")
    factory = getattr(module, function_name)
    timed: Timed = factory(context)
    return timed


def main() -> None:
    """Run the named work once and print its result line."""
    name, raw = sys.argv[1], sys.argv[2]
    context = Context.model_validate_json(raw)
    # Messages go to the outbox unless a work hands its own channel to `dispatch`.
    os.environ.pop("FAHRPLAN_MAIL_URL", None)
    os.environ.update(app_environment(context))
    timed = _work(name, context)
    reset_peak()
    rss_before = memory_kb("VmRSS")
    load = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    outcome = timed()
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak = memory_kb("VmHWM")
    counts = outcome() if callable(outcome) else outcome
    result = {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "load": load,
        "rss_before_kb": rss_before,
        "peak_rss_kb": max(peak, rss_before),
        "counts": counts,
    }
    print(RESULT_MARK + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
