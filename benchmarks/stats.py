"""Summaries of repeated timings (median and p99) and a description of the machine they ran on."""

from __future__ import annotations

import math
import os
import platform
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    """n samples in seconds, reduced to the two figures the table reports."""

    n: int
    median: float
    p99: float


@dataclass(frozen=True)
class RoundTrips:
    """Slash commands over loopback: until Bolt's ack, and until the answer reaches response_url."""

    ack: Summary
    answered: Summary


def summarise(samples: Sequence[float]) -> Summary:
    """Median and nearest-rank 99th percentile; with under 100 samples p99 is the maximum."""
    if not samples:
        return Summary(0, math.nan, math.nan)
    ordered = sorted(samples)
    rank = max(1, math.ceil(0.99 * len(ordered)))
    return Summary(len(ordered), statistics.median(ordered), ordered[rank - 1])


def proc_status_kb(pid: int | str, name: str) -> int | None:
    """A kB field of /proc/<pid>/status (VmRSS, VmHWM); None if the process is gone or no Linux."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as status:
            for line in status:
                if line.startswith(f"{name}:"):
                    return int(line.split()[1])
    except OSError:  # no such process (a recycled worker), or no /proc
        return None
    return None


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), in MB; Linux, else ru_maxrss."""
    peak_kb = proc_status_kb("self", "VmHWM")
    if peak_kb is not None:
        return peak_kb / 1024
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def machine() -> str:
    """CPU model, cores, memory, OS and Python: enough to compare two tables fairly."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            total_kb = int(info.readline().split()[1])
            memory = f", {total_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
