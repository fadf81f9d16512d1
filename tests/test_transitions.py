"""The 三关 rules on the model and the service, without HTTP.

Every move (start, submit, approve, send back, reopen) from every status, with the
checkpoint before passed or not, the one after open or under review/passed, and with or
without a note, against tables written out below from the README's rules, never computed
from ``TRANSITIONS``:

  未开始 → 进行中 → 待审核 (submitted with an evidence note) → 已通过, or back to 需整改 with
  the office's note and then resubmitted. 实施关 cannot be submitted or passed before 方案关
  is 已通过, nor 成效关 before 实施关; only the reform office passes or sends back; sending
  back needs a note; reopening a passed checkpoint needs a reason and is refused while a
  later checkpoint is submitted or passed. "Start" is only from 未开始; submit is allowed
  from 未开始, 进行中 and 需整改.
"""

from datetime import date
from itertools import product

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import SimpleTestCase

from projects import services
from projects.models import TRANSITIONS, Checkpoint, Project
from projects.versioning import EditConflict

from .base import PlanTestCase
from .factories import TODAY, set_checkpoint

NS, IP, SUB, PASS, RW = "not_started", "in_progress", "submitted", "passed", "rework"
CODES = {"NS": NS, "IP": IP, "SUB": SUB, "PASS": PASS, "RW": RW}
SHORT = {status: code for code, status in CODES.items()}
LABEL = {NS: "未开始", IP: "进行中", SUB: "待审核", PASS: "已通过", RW: "需整改"}
GATE = {"plan": "方案关", "implementation": "实施关", "outcome": "成效关"}
PREVIOUS = {"implementation": "plan", "outcome": "implementation"}

# What happens to 实施关 (it has a checkpoint before it and one after it). A cell is the
# status it moves to (NS IP SUB PASS RW) or why the move is refused:
#   -state  the move does not start from this status
#   -order  方案关 has not passed
#   -later  成效关 is submitted or passed
#   -note   the move needs a note and got none (or only blanks)
# When a move breaks several rules, the user is told the first in that order.
# "open" is 未开始, 进行中 or 需整改; "busy" is 待审核 or 已通过.
IMPLEMENTATION_RULES = """
               | 方案关 passed                  || 方案关 not passed
               | 成效关 open    | 成效关 busy    || 成效关 open    | 成效关 busy
action    from | note   none   | note   none   || note   none   | note   none
start     NS   | IP     IP     | IP     IP     || IP     IP     | IP     IP
start     IP   | -state -state | -state -state || -state -state | -state -state
start     SUB  | -state -state | -state -state || -state -state | -state -state
start     PASS | -state -state | -state -state || -state -state | -state -state
start     RW   | -state -state | -state -state || -state -state | -state -state
submit    NS   | SUB    -note  | SUB    -note  || -order -order | -order -order
submit    IP   | SUB    -note  | SUB    -note  || -order -order | -order -order
submit    SUB  | -state -state | -state -state || -state -state | -state -state
submit    PASS | -state -state | -state -state || -state -state | -state -state
submit    RW   | SUB    -note  | SUB    -note  || -order -order | -order -order
approve   NS   | -state -state | -state -state || -state -state | -state -state
approve   IP   | -state -state | -state -state || -state -state | -state -state
approve   SUB  | PASS   PASS   | PASS   PASS   || -order -order | -order -order
approve   PASS | -state -state | -state -state || -state -state | -state -state
approve   RW   | -state -state | -state -state || -state -state | -state -state
send_back NS   | -state -state | -state -state || -state -state | -state -state
send_back IP   | -state -state | -state -state || -state -state | -state -state
send_back SUB  | RW     -note  | RW     -note  || RW     -note  | RW     -note
send_back PASS | -state -state | -state -state || -state -state | -state -state
send_back RW   | -state -state | -state -state || -state -state | -state -state
reopen    NS   | -state -state | -state -state || -state -state | -state -state
reopen    IP   | -state -state | -state -state || -state -state | -state -state
reopen    SUB  | -state -state | -state -state || -state -state | -state -state
reopen    PASS | IP     -note  | -later -later || IP     -note  | -later -later
reopen    RW   | -state -state | -state -state || -state -state | -state -state
"""
# The columns, in order: (checkpoint before passed, checkpoint after open, note given).
COLUMNS = list(product((True, False), (True, False), (True, False)))

# Where a move's note is kept (README: the evidence of a submission, the office's note on
# sending back, the reason for reopening; a note on passing is the office's assessment).
NOTE_FIELD = {
    "start": None,
    "submit": "evidence",
    "approve": "assessment_notes",
    "send_back": "assessment_notes",
    "reopen": "assessment_notes",
}
NOTE_REQUIRED = {
    "submit": {
        "plan": "报审须说明报审材料：经批准的改革方案及批准单位、批准时间。",
        "implementation": "报审须说明报审材料：按方案已落实的改革举措。",
        "outcome": "报审须说明报审材料：对照改革目标取得的成效。",
    },
    "send_back": "退回整改须写明需要整改的内容。",
    "reopen": "重新打开已通过的关口须填写理由。",
}

PREVIOUS_NOT_PASSED = (NS, IP, SUB, RW)
LATER_OPEN, LATER_BUSY = (NS, IP, RW), (SUB, PASS)
NOTE, NO_NOTES = "  附上的说明  ", ("", "  \n ")
OLD_EVIDENCE, OLD_NOTES, OLD_PASSED_ON = "原报审材料", "原审核意见", date(2017, 6, 30)


def parse(table):
    """{(action, status): [cell, …]} from a table written as above."""
    rows = {}
    for line in table.strip().splitlines()[3:]:
        action, status, *cells = line.replace("|", " ").split()
        rows[action, CODES[status]] = cells
    return rows


def as_text(rows):
    """One line a row, so that a failure shows a line-by-line diff of the tables."""
    return "\n".join(
        f"{action:<9} {SHORT[status]:<4} | {' '.join(f'{cell:<6}' for cell in cells)}"
        for (action, status), cells in rows.items()
    )


def earlier(passed):
    """The statuses of the checkpoint before: passed, or each of the others."""
    return [PASS] if passed else PREVIOUS_NOT_PASSED


def later(is_open):
    return LATER_OPEN if is_open else LATER_BUSY


def situations(later_kind, noted, **statuses):
    """One column's situations: every combination of the other checkpoints' ``statuses``
    (kind → statuses to try), each with a note or with each kind of missing note."""
    kinds = list(statuses)
    return [
        (dict(zip(kinds, combination[:-1], strict=True)), later_kind, combination[-1])
        for combination in product(*statuses.values(), [NOTE] if noted else NO_NOTES)
    ]


def checkpoints(plan, implementation, outcome):
    """A project's three checkpoints, in memory, in the given statuses."""
    statuses = {"plan": plan, "implementation": implementation, "outcome": outcome}
    return {
        kind: Checkpoint(
            kind=kind,
            status=status,
            passed_on=OLD_PASSED_ON if status == PASS else None,
            evidence=OLD_EVIDENCE,
            assessment_notes=OLD_NOTES,
        )
        for kind, status in statuses.items()
    }


class TransitionTableTests(SimpleTestCase):
    """``Checkpoint.apply`` against the written-out rules; no database."""

    maxDiff = None

    def outcome(self, subject, siblings, action, note):
        """The cell for one move: the new status, or the refusal's code; and a list of
        what else went wrong (wrong message, fields changed or not)."""
        before = (subject.status, subject.passed_on, subject.evidence, subject.assessment_notes)
        try:
            subject.apply(TRANSITIONS[action], siblings, note)
        except ValidationError as error:
            after = (subject.status, subject.passed_on, subject.evidence, subject.assessment_notes)
            problems = [] if after == before else [f"a refused move changed {before} → {after}"]
            return error.messages[0], problems
        problems = []
        passed_on = TODAY if subject.status == PASS else None
        if subject.passed_on != passed_on:
            problems.append(f"passed_on {subject.passed_on}, expected {passed_on}")
        kept = {"evidence": OLD_EVIDENCE, "assessment_notes": OLD_NOTES}
        if note.strip() and NOTE_FIELD[action]:
            kept[NOTE_FIELD[action]] = note.strip()
        for field, value in kept.items():
            if getattr(subject, field) != value:
                problems.append(f"{field} is {getattr(subject, field)!r}, expected {value!r}")
        return subject.status, problems

    def refusals(self, action, kind, status, later_kind):
        """The message of each kind of refusal, as the rules word it."""
        earlier = PREVIOUS.get(kind)
        note_required = NOTE_REQUIRED.get(action)
        if action == "submit":
            note_required = note_required[kind]
        return {
            f"「{GATE[kind]}」当前状态为「{LABEL[status]}」，不能执行此操作。": "-state",
            f"「{GATE[kind]}」须在「{GATE.get(earlier)}」通过后才能报审或通过。": "-order",
            f"「{GATE.get(later_kind)}」已报审或已通过，请先重新打开后面的关口。": "-later",
            note_required: "-note",
        }

    def check(self, kind, expected, columns):
        """Make every move from every status in every situation of each column; compare
        the table of what happened (a status, or the refusal its message names) with
        ``expected``. A cell that differs between situations shows each result."""
        actual, problems = {}, []
        for action, status in expected:
            row = []
            for number, situations in enumerate(columns, start=1):
                seen = set()
                for statuses, later_kind, note in situations:
                    siblings = checkpoints(**statuses | {kind: status})
                    subject = siblings[kind]
                    result, wrong = self.outcome(subject, list(siblings.values()), action, note)
                    where = f"{kind}: {action} from {status}, column {number}, {statuses}"
                    problems += [f"{where}: {w}" for w in wrong]
                    refusals = self.refusals(action, kind, status, later_kind)
                    seen.add(SHORT.get(result) or refusals.get(result) or f"said {result!r}")
                row.append("/".join(sorted(seen)))
            actual[action, status] = row
        self.assertEqual(as_text(actual), as_text(expected))
        self.assertEqual(problems, [])

    def test_implementation_checkpoint(self):
        """实施关: 方案关 passed or not, 成效关 open or busy, note or none."""
        columns = [
            situations("outcome", noted, plan=earlier(passed), outcome=later(is_open))
            for passed, is_open, noted in COLUMNS
        ]
        self.check("implementation", parse(IMPLEMENTATION_RULES), columns)

    def test_plan_checkpoint_has_nothing_to_wait_for(self):
        """方案关 comes first: it moves as 实施关 does once 方案关 is passed (the first two
        column groups), whatever the rest; a later 实施关 under review blocks reopening."""
        expected = {key: cells[:4] for key, cells in parse(IMPLEMENTATION_RULES).items()}
        columns = [
            situations("implementation", noted, implementation=later(is_open), outcome=[NS])
            for is_open, noted in product((True, False), (True, False))
        ]
        self.check("plan", expected, columns)

    def test_outcome_checkpoint_has_nothing_after_it(self):
        """成效关 comes last: it moves as 实施关 does while 成效关 is open (columns 1, 2, 5
        and 6), with 实施关 passed or not."""
        expected = {
            key: cells[0:2] + cells[4:6] for key, cells in parse(IMPLEMENTATION_RULES).items()
        }
        columns = [
            situations(None, noted, plan=[PASS], implementation=earlier(passed))
            for passed, noted in product((True, False), (True, False))
        ]
        self.check("outcome", expected, columns)

    def test_reopening_plan_is_refused_while_outcome_is_under_review(self):
        """Any later checkpoint submitted or passed blocks reopening, not only the next."""
        siblings = checkpoints(plan=PASS, implementation=IP, outcome=SUB)
        with self.assertRaisesMessage(
            ValidationError, "「成效关」已报审或已通过，请先重新打开后面的关口。"
        ):
            siblings["plan"].apply(TRANSITIONS["reopen"], list(siblings.values()), "复核")
        self.assertEqual(siblings["plan"].status, PASS)


# Who may make each move on project 2 (led by Bob's 区发改局), through the service.
#            the office  lead unit's   another unit's  a leader  no role   administrator
#            (alice)     liaison (bob) liaison (erin)  (charlie) (olivia)  (dave)
WHO_MAY = """
start        yes         yes           no              no        no        yes
submit       yes         yes           no              no        no        yes
approve      yes         no            no              no        no        yes
send_back    yes         no            no              no        no        yes
reopen       yes         no            no              no        no        yes
"""
PEOPLE = ("alice", "bob", "erin", "charlie", "olivia", "dave")
# where each move can be made on 方案关, the note it carries, and where it leads
READY = {
    "start": (NS, "", IP),
    "submit": (IP, "《实施方案》已印发", SUB),
    "approve": (SUB, "同意", PASS),
    "send_back": (SUB, "补充风险评估", RW),
    "reopen": (PASS, "按市里新要求调整", IP),
}


class DecideCheckpointTests(PlanTestCase):
    """``services.decide_checkpoint``: who may make each move, and what it stores."""

    def setUp(self):
        self.project = Project.objects.get(number=2)

    def plan_checkpoint(self, status):
        """方案关 of project 2 in ``status``, at version 1."""
        return set_checkpoint(self.project, "plan", status)

    def test_who_may_make_each_move(self):
        rules = {line.split()[0]: line.split()[1:] for line in WHO_MAY.strip().splitlines()}
        for action, answers in rules.items():
            source, note, target = READY[action]
            for person, answer in zip(PEOPLE, answers, strict=True):
                with self.subTest(action=action, person=person), transaction.atomic():
                    checkpoint = self.plan_checkpoint(source)
                    user = getattr(self, person)
                    if answer == "yes":
                        decided = services.decide_checkpoint(checkpoint, user, action, note, 1)
                        self.assertEqual((decided.status, decided.version), (target, 2))
                    else:
                        with self.assertRaisesMessage(
                            PermissionDenied, "您没有权限对该关口执行此操作。"
                        ):
                            services.decide_checkpoint(checkpoint, user, action, note, 1)
                        checkpoint.refresh_from_db()
                        self.assertEqual((checkpoint.status, checkpoint.version), (source, 1))
                    transaction.set_rollback(True)

    def test_passing_dates_the_checkpoint_and_reopening_clears_the_date(self):
        checkpoint = self.plan_checkpoint(SUB)
        services.decide_checkpoint(checkpoint, self.alice, "approve", "", 1)
        checkpoint.refresh_from_db()
        self.assertEqual((checkpoint.status, checkpoint.passed_on), (PASS, TODAY))
        services.decide_checkpoint(checkpoint, self.alice, "reopen", "按新要求调整", 2)
        checkpoint.refresh_from_db()
        self.assertEqual((checkpoint.status, checkpoint.passed_on), (IP, None))
        self.assertEqual(checkpoint.assessment_notes, "按新要求调整")

    def test_notes_are_stored_and_the_decision_is_recorded_with_its_reason(self):
        checkpoint = self.plan_checkpoint(IP)
        services.decide_checkpoint(checkpoint, self.bob, "submit", " 方案已印发 ", 1)
        services.decide_checkpoint(checkpoint, self.alice, "send_back", "补充风险评估", 2)
        checkpoint.refresh_from_db()
        self.assertEqual(checkpoint.evidence, "方案已印发")
        self.assertEqual(checkpoint.assessment_notes, "补充风险评估")
        reasons = list(checkpoint.history.values_list("history_change_reason", flat=True)[:2])
        self.assertEqual(reasons, ["退回整改：补充风险评估", "报审：方案已印发"])

    def test_a_broken_rule_saves_nothing(self):
        checkpoint = self.plan_checkpoint(SUB)
        history = checkpoint.history.count()
        with self.assertRaisesMessage(ValidationError, "退回整改须写明需要整改的内容。"):
            services.decide_checkpoint(checkpoint, self.alice, "send_back", "  ", 1)
        checkpoint.refresh_from_db()
        self.assertEqual((checkpoint.status, checkpoint.version), (SUB, 1))
        self.assertEqual(checkpoint.history.count(), history)

    def test_a_stale_version_is_a_conflict_showing_what_is_stored(self):
        checkpoint = self.plan_checkpoint(SUB)
        services.decide_checkpoint(checkpoint, self.alice, "send_back", "补材料", 1)
        with self.assertRaises(EditConflict) as conflict:
            services.decide_checkpoint(checkpoint, self.alice, "approve", "", 1)
        self.assertEqual(conflict.exception.current.status, RW)

    def test_an_unknown_move_is_refused(self):
        checkpoint = self.plan_checkpoint(SUB)
        with self.assertRaisesMessage(ValidationError, "未知的操作。"):
            services.decide_checkpoint(checkpoint, self.alice, "delete", "", 1)
