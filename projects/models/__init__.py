"""The reform tracker's models, one module per concept; import them from here."""

from .checkpoint import TRANSITIONS, Checkpoint, Transition
from .instruction import Instruction
from .plan import ReformPlan
from .progress import ProgressUpdate
from .project import Project

__all__ = [
    "TRANSITIONS",
    "Checkpoint",
    "Instruction",
    "ProgressUpdate",
    "Project",
    "ReformPlan",
    "Transition",
]
