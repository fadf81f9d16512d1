"""The reform tracker's models, one module per concept; import them from here."""

from .adjustment import PlanAdjustment
from .checkpoint import TRANSITIONS, Checkpoint, Transition
from .instruction import Instruction
from .meeting import AgendaItem, Decision, Meeting
from .period import ReportPeriod
from .plan import PLAN_STEPS, PlanStep, ReformPlan
from .progress import REPORT_STEPS, ProgressUpdate, ReportStep
from .project import Project
from .stamp import DataStamp
from .yearend import CLOSEOUT_STEPS, Assessment, Closeout, CloseoutStep, LeaderAction

__all__ = [
    "CLOSEOUT_STEPS",
    "PLAN_STEPS",
    "REPORT_STEPS",
    "TRANSITIONS",
    "AgendaItem",
    "Assessment",
    "Checkpoint",
    "Closeout",
    "CloseoutStep",
    "DataStamp",
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
