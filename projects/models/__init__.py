"""The reform tracker's models, one module per concept; import them from here."""

from .adjustment import PlanAdjustment
from .checkpoint import TRANSITIONS, Checkpoint, Transition
from .instruction import Instruction
from .meeting import AgendaItem, Decision, Meeting
from .period import ReportPeriod
from .plan import PLAN_STEPS, PlanStep, ReformPlan
from .progress import REPORT_STEPS, ProgressUpdate, ReportStep
from .project import Project
from .yearend import Assessment, Closeout, LeaderAction

__all__ = [
    "PLAN_STEPS",
    "REPORT_STEPS",
    "TRANSITIONS",
    "AgendaItem",
    "Assessment",
    "Checkpoint",
    "Closeout",
    "Decision",
    "Instruction",
    "LeaderAction",
    "Meeting",
    "PlanAdjustment",
    "PlanStep",
    "ProgressUpdate",
    "Project",
    "ReformPlan",
    "ReportPeriod",
    "ReportStep",
    "Transition",
]
