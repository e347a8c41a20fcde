"""A small progress bar for long management commands (stderr, redrawn in place)."""

import sys
import time
from typing import TextIO


class ProgressBar:
    def __init__(self, label: str, *, stream: TextIO | None = None, width: int = 30) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.perf_counter()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done < total and now - self._last < 0.2:
            return
        self._last = now
        fraction = done / total if total else 1.0
        filled = int(self.width * fraction)
        bar = "█" * filled + "░" * (self.width - filled)
        self.stream.write(
            f"\r{self.label} {bar} {done}/{total} ({fraction:.0%}, {now - self.started:.1f} 秒)"
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
