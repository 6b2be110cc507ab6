"""Synthetic demo data at scale: the registry the apps add their kinds of record to.

``manage.py generate_demo_data`` (in the site) builds a separate database for benchmarks and
staff training. Each app says how to make plausible records of its own kinds in its
``demo_data.py`` module (discovered like ``admin.py``) with :func:`demo_kind`; the kit never
names an app.

Scale: the seed (``load_seed``) is scale 1. Scale N adds ``N - 1`` "steps", and one step adds
about as many records of each kind as the seed holds (``DemoContext.per_step``), so the
database holds about N× the seed of each kind. A kind the seed has none of (inquiries) declares
its own count per step.

A generator gets a :class:`DemoContext`: the number of steps, a random generator of its own
(seeded from the command's ``--seed`` and the kind's name, so adding a kind changes no other
kind's data), and ``progress()`` for the progress bar.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from django.utils import timezone

# Every synthetic date hangs off this day, not off "now": the same seed gives the same data
# whatever day it is built. Only the scheduled publications are relative to now (they must
# stay in the future to stay scheduled).
DEMO_TODAY = dt.date(2026, 10, 1)
DEMO_PUBLISHED_AT = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
# Who the audit trail says wrote the synthetic records.
DEMO_CHANGE_REASON = "デモデータの生成"


class Progress(Protocol):
    def update(self, n: int = 1) -> object: ...


class ProgressFactory(Protocol):
    def __call__(self, label: str, total: int) -> Progress: ...


@dataclass
class DemoContext:
    steps: int
    seed: int
    progress_factory: ProgressFactory
    _bars: list = field(default_factory=list)

    def rng(self, name: str) -> random.Random:
        """A random generator of the kind's own, the same for the same seed."""
        digest = hashlib.sha256(f"{self.seed}:{name}".encode()).digest()
        # Reproducible demo data, not a secret: a seeded generator is the point here.
        return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311

    def per_step(self, seed_count: int, minimum: int = 1) -> int:
        """How many records of a kind N× the seed needs beyond the seed itself."""
        return max(seed_count, minimum) * self.steps

    @contextmanager
    def progress(self, label: str, total: int) -> Iterator[Progress]:
        bar = self.progress_factory(label, total)
        try:
            yield bar
        finally:
            close = getattr(bar, "close", None)
            if close is not None:
                close()

    @staticmethod
    def scheduled_at(days: int) -> dt.datetime:
        """A publication time still ahead (a scheduled record)."""
        return timezone.now() + dt.timedelta(days=days)

    @staticmethod
    def publication(rng: random.Random, *, drafts: float = 0.05, scheduled: float = 0.03):
        """``published_at`` for one record: mostly published, some drafts, some scheduled."""
        roll = rng.random()
        if roll < drafts:
            return None
        if roll < drafts + scheduled:
            return DemoContext.scheduled_at(rng.randint(30, 365))
        return DEMO_PUBLISHED_AT - dt.timedelta(days=rng.randint(0, 2000))


@dataclass(frozen=True)
class DemoKind:
    name: str
    order: int
    build: Callable[[DemoContext], int]


_KINDS: dict[str, DemoKind] = {}


def demo_kind(name: str, *, order: int) -> Callable:
    """Register ``build(context) -> records added`` for one kind of record. Lower ``order``
    runs first (a kind that refers to another kind's records runs after it)."""

    def register(build: Callable[[DemoContext], int]) -> Callable[[DemoContext], int]:
        _KINDS[name] = DemoKind(name=name, order=order, build=build)
        return build

    return register


def demo_kinds() -> list[DemoKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.name))


def record_history(model, objects: list, *, user=None) -> None:
    """The first entry of the audit trail for records written with ``bulk_create`` (which the
    trail does not see), so that pages taking their 最終更新日 from it have one."""
    history = getattr(model, "history", None)
    if history is not None and objects:
        history.bulk_history_create(
            objects,
            default_change_reason=DEMO_CHANGE_REASON,
            default_date=DEMO_PUBLISHED_AT,
            default_user=user,
            batch_size=500,
        )


def pick_distinct(rng: random.Random, population: list, count: int) -> list:
    return rng.sample(population, min(count, len(population)))
