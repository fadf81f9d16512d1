"""The figures of a proposal's finished reviews: average and spread (highest − lowest) of
each principle and of the total, and who has not finished."""

from dataclasses import dataclass, field
from statistics import mean

from .choices import PRINCIPLES, TOTAL_MAX


@dataclass
class Figure:
    label: str
    values: list = field(default_factory=list)
    out_of: int = 5

    @property
    def average(self):
        return round(mean(self.values), 1) if self.values else None

    @property
    def spread(self):
        return max(self.values) - min(self.values) if self.values else None


@dataclass
class ScoreSheet:
    finished: list
    waiting: list
    principles: list
    total: Figure

    @property
    def assigned(self):
        return len(self.finished) + len(self.waiting)


def score_sheet(reviews, total_label):
    """From a proposal's reviews (each with its expert): the finished ones and the figures."""
    finished = [r for r in reviews if r.is_finished]
    principles = [Figure(label, [getattr(r, name) for r in finished]) for name, label in PRINCIPLES]
    total = Figure(total_label, [r.total for r in finished], TOTAL_MAX)
    return ScoreSheet(finished, [r for r in reviews if not r.is_finished], principles, total)
