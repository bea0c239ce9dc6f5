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


def summarise(samples: Sequence[float]) -> Summary:
    """Median and nearest-rank 99th percentile; with under 100 samples p99 is the maximum."""
    if not samples:
        return Summary(0, math.nan, math.nan)
    ordered = sorted(samples)
    rank = max(1, math.ceil(0.99 * len(ordered)))
    return Summary(len(ordered), statistics.median(ordered), ordered[rank - 1])


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), in MB; Linux, else ru_maxrss."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
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
