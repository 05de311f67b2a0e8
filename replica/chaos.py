"""Deterministic faults for the replica (`--chaos RATE --seed S`): what a flaky government server does.

The n-th request for a path gets the same fault (or none) in every run with the same seed, so a failing
test can be replayed exactly.
"""

from __future__ import annotations

import random
import threading
from collections import Counter

FAULTS = ("500", "503", "429", "reset", "stall", "truncate", "cut-html")


class Chaos:
    """Decides, per request, whether the replica misbehaves and how."""

    def __init__(self, rate: float, seed: int) -> None:
        self.rate = rate
        self.seed = seed
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.injected: Counter[str] = Counter()

    def fault(self, target: str) -> str | None:
        """The fault for this request of `target` (path with query), or None to answer normally."""
        if self.rate <= 0:
            return None
        with self._lock:
            self._seen[target] += 1
            draw = random.Random(f"{self.seed}:{target}:{self._seen[target]}")
            if draw.random() >= self.rate:
                return None
            fault = draw.choice(FAULTS)
            self.injected[fault] += 1
            return fault
