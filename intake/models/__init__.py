"""The intake's models, one module per concept; import them from here."""

from .call import Call
from .moves import MOVES, TEXTS, Move
from .proposal import Proposal
from .review import SCORE_FIELDS, FieldVisit, Review
from .suggestion import Suggestion

__all__ = [
    "MOVES",
    "SCORE_FIELDS",
    "TEXTS",
    "Call",
    "FieldVisit",
    "Move",
    "Proposal",
    "Review",
    "Suggestion",
]
