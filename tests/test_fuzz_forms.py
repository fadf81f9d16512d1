"""Property-based bad input (hypothesis) for the forms of the weekly work: progress reports,
project information, checkpoint decisions and dates, leaders' instructions and follow-ups.
What each property checks: tests/fuzzing.py."""

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from projects.choices import (
    CheckpointKind,
    CheckpointStatus,
    Domain,
    InstructionStatus,
    ProgressStatus,
)
from projects.models import Checkpoint, Instruction, ProgressUpdate
from units.models import Official, Unit

from .base import db_state
from .factories import set_checkpoint
from .fuzzing import (
    EARLIEST,
    FUZZ,
    INVALID,
    MATCH,
    UNKNOWN,
    UNSET,
    FuzzCase,
    any_text,
    choice_field,
    combined_verdict,
    date_field,
    encodings,
    expected_plain,
    expected_versioned,
    fk_field,
    flat_values,
    invalid,
    percent_field,
    text_field,
    valid,
    version_field,
)

pytestmark = pytest.mark.fuzz

# ---------------------------------------------------------------------------------------
# Progress reports
# ---------------------------------------------------------------------------------------

report_fields = st.fixed_dictionaries(
    {
        "reported_on": date_field(),
        "status": choice_field(ProgressStatus.values),
        "percent_complete": percent_field,
        "summary": text_field(required=True),
        "next_steps": text_field(),
        "problems": text_field(),
        "coordination_needed": text_field(),
    }
)


class ProgressReportFuzzTests(FuzzCase):
    def check_stored(self, update, fields):
        """A saved report obeys every rule and holds what was posted."""
        self.assertTrue(EARLIEST <= update.reported_on <= timezone.localdate())
        self.assertIn(update.status, ProgressStatus.values)
        self.assertTrue(0 <= update.percent_complete <= 100)
        self.assertTrue(update.summary.strip())
        for name, field in fields.items():
            value = getattr(update, name)
            self.assertNotIn("\x00", str(value))
            if field.clean is not UNSET:
                self.assertEqual(value, field.clean, name)

    @FUZZ
    @given(fields=report_fields, who=st.sampled_from(["bob", "alice"]), encoding=encodings)
    def test_add_report(self, fields, who, encoding):
        self.client.force_login(getattr(self, who))
        before = db_state()
        data = {name: f.raw for name, f in fields.items()}
        response = self.send(reverse("update_add", args=[2017, 2]), data, encoding)
        allowed = expected_plain(combined_verdict(*fields.values()))
        if not self.saved(response, allowed, before, data):
            return
        self.assertEqual(response["Location"], self.project2.get_absolute_url())
        update = ProgressUpdate.objects.get()
        self.assertEqual((update.author, update.project), (getattr(self, who), self.project2))
        self.check_stored(update, fields)
        self.assert_saved_pages_escape(data, self.project2.get_absolute_url(), reverse("home"))

    @FUZZ
    @given(fields=report_fields, encoding=encodings)
    def test_liaison_of_another_unit_is_refused_whatever_the_input(self, fields, encoding):
        self.client.force_login(self.erin)
        before = db_state()
        data = {name: f.raw for name, f in fields.items()}
        response = self.send(reverse("update_add", args=[2017, 2]), data, encoding)
        self.assert_status(response, {403})
        self.assert_refused(response, before, flat_values(data))

    @FUZZ
    @given(
        fields=report_fields,
        version=version_field,
        who=st.sampled_from(["bob", "alice"]),
        encoding=encodings,
    )
    def test_edit_report(self, fields, version, who, encoding):
        update = self.bobs_report()
        self.client.force_login(getattr(self, who))
        before = db_state()
        data = {name: f.raw for name, f in fields.items()} | {"version": version.raw}
        response = self.send(reverse("update_edit", args=[update.pk]), data, encoding)
        allowed = expected_versioned(combined_verdict(*fields.values()), version)
        if not self.saved(response, allowed, before, data):
            if response.status_code == 409:
                self.assertContains(response, "该记录已被他人修改", status_code=409)
            return
        update.refresh_from_db()
        self.assertEqual(update.version, 2)
        self.check_stored(update, fields)
        self.assert_saved_pages_escape(data, self.project2.get_absolute_url())


# ---------------------------------------------------------------------------------------
# Project information
# ---------------------------------------------------------------------------------------

PROJECT_TEXTS = ("problem", "principles", "content", "innovation", "goals", "city_plan_note")


class ProjectEditFuzzTests(FuzzCase):
    @FUZZ
    @given(data=st.data(), encoding=encodings)
    def test_edit_project(self, data, encoding):
        project = self.project2
        units = sorted(Unit.objects.values_list("pk", flat=True))
        officials = sorted(Official.objects.values_list("pk", flat=True))
        fields = {
            "title": data.draw(text_field(required=True, limit=200), "title"),
            "domain": data.draw(choice_field(Domain.values), "domain"),
            "lead_official": fk_field(data.draw, officials),
            "lead_unit": fk_field(data.draw, units),
            "participating_units": fk_field(data.draw, units, multiple=True),
            **{name: data.draw(text_field(), name) for name in PROJECT_TEXTS},
        }
        version = data.draw(version_field, "version")
        self.client.force_login(self.alice)
        before = db_state()
        post = {name: f.raw for name, f in fields.items()} | {"version": version.raw}
        # the fields this property does not vary, as the form sends them; the 2017 plan is
        # approved, so a change of a watched field comes with a reason (计划调整)
        post |= {"number": "2", "tier": "district", "reason": "按领导小组会议要求调整"}
        response = self.send(reverse("project_edit", args=[2017, 2]), post, encoding)
        allowed = expected_versioned(combined_verdict(*fields.values()), version)
        if not self.saved(response, allowed, before, post):
            return
        project.refresh_from_db()
        self.assertEqual(project.version, 2)
        self.assertTrue(project.title.strip())
        self.assertIn(project.domain, Domain.values)
        expected = {
            "title": project.title,
            "domain": project.domain,
            "lead_official": project.lead_official_id,
            "lead_unit": project.lead_unit_id,
            "participating_units": set(project.participating_units.values_list("pk", flat=True)),
            **{name: getattr(project, name) for name in PROJECT_TEXTS},
        }
        for name, field in fields.items():
            if field.clean is not UNSET:
                self.assertEqual(expected[name], field.clean, name)
        self.assert_saved_pages_escape(
            post,
            project.get_absolute_url(),
            reverse("home"),
            reverse("project_list"),
            reverse("checkpoint_detail", args=[2017, 2, "plan"]),
        )


# ---------------------------------------------------------------------------------------
# Checkpoints (三关)
# ---------------------------------------------------------------------------------------

ACTIONS = ("start", "submit", "approve", "send_back", "reopen")
SUBMIT_ACTIONS = {"start", "submit"}


def expected_decision(user_role, kind, status, previous_passed, action, note):
    """The 三关 rules, restated: the status a well-formed decision must get."""
    if user_role == "liaison" and action not in SUBMIT_ACTIONS:
        return 403
    first = kind == CheckpointKind.PLAN
    has_note = bool(note.strip())
    ok = {
        "start": status == CheckpointStatus.NOT_STARTED,
        "submit": status
        in (CheckpointStatus.NOT_STARTED, CheckpointStatus.IN_PROGRESS, CheckpointStatus.REWORK)
        and (first or previous_passed)
        and has_note,
        "approve": status == CheckpointStatus.SUBMITTED and (first or previous_passed),
        "send_back": status == CheckpointStatus.SUBMITTED and has_note,
        "reopen": status == CheckpointStatus.PASSED and has_note,
    }[action]
    return 302 if ok else 400


action_field = st.one_of(
    st.sampled_from(ACTIONS).map(lambda a: valid(a, a)),
    st.sampled_from([None, "", "delete", "APPROVE", " start", "start\x00"]).map(invalid),
    any_text.filter(lambda s: s not in ACTIONS).map(invalid),
)


class CheckpointFuzzTests(FuzzCase):
    @FUZZ
    @given(
        kind=st.sampled_from(CheckpointKind.values),
        status=st.sampled_from(CheckpointStatus.values),
        previous_passed=st.booleans(),
        who=st.sampled_from(["alice", "bob"]),
        action=action_field,
        note=text_field(),
        version=version_field,
        encoding=encodings,
    )
    def test_decision(self, kind, status, previous_passed, who, action, note, version, encoding):
        gates = {c.kind: c for c in self.project2.checkpoints.all()}
        order = CheckpointKind.values.index(kind)
        for earlier in CheckpointKind.values[:order]:
            earlier_status = (
                CheckpointStatus.PASSED if previous_passed else CheckpointStatus.IN_PROGRESS
            )
            set_checkpoint(self.project2, earlier, earlier_status)
        set_checkpoint(self.project2, kind, status)
        Checkpoint.objects.filter(pk__in=[c.pk for c in gates.values()]).update(version=1)
        self.client.force_login(getattr(self, who))
        before = db_state()
        data = {"action": action.raw, "note": note.raw, "version": version.raw}
        url = reverse("checkpoint_detail", args=[2017, 2, kind])
        response = self.send(url, data, encoding)
        context = f"{who} {kind}={status} prev={previous_passed} {str(data)[:200]}"
        self.assertLess(response.status_code, 500, context)
        if combined_verdict(action, note) == INVALID or version.kind == INVALID:
            allowed = {400}
        else:
            role = {"alice": "office", "bob": "liaison"}[who]
            decided = expected_decision(role, kind, status, previous_passed, action.raw, note.clean)
            if version.kind == UNKNOWN:
                allowed = {decided, 400, 409}
            elif decided == 403:  # who may act is checked before the version
                allowed = {403}
            else:
                allowed = {decided} if version.kind == MATCH else {409}
        if not self.saved(response, allowed, before, data, context):
            return
        self.assertEqual(response["Location"], url)
        gate = Checkpoint.objects.get(pk=gates[kind].pk)
        self.assertEqual(gate.version, 2)
        new_status = {
            "start": CheckpointStatus.IN_PROGRESS,
            "submit": CheckpointStatus.SUBMITTED,
            "approve": CheckpointStatus.PASSED,
            "send_back": CheckpointStatus.REWORK,
            "reopen": CheckpointStatus.IN_PROGRESS,
        }[action.raw]
        self.assertEqual(gate.status, new_status)
        self.assertEqual(gate.passed_on is not None, new_status == CheckpointStatus.PASSED)
        if action.raw == "submit":
            self.assertEqual(gate.evidence, note.clean)
        if action.raw in ("send_back", "reopen") or (action.raw == "approve" and note.clean):
            self.assertEqual(gate.assessment_notes, note.clean)
        self.assert_saved_pages_escape(data, url, self.project2.get_absolute_url())

    @FUZZ
    @given(
        planned=date_field(required=False, future_ok=True),
        version=version_field,
        who=st.sampled_from(["alice", "bob"]),
        encoding=encodings,
    )
    def test_schedule(self, planned, version, who, encoding):
        self.client.force_login(getattr(self, who))
        before = db_state()
        data = {"form": "schedule", "planned_date": planned.raw, "version": version.raw}
        url = reverse("checkpoint_detail", args=[2017, 2, "plan"])
        response = self.send(url, data, encoding)
        allowed = {403} if who == "bob" else expected_versioned(planned.verdict, version)
        if not self.saved(response, allowed, before, data):
            return
        gate = Checkpoint.objects.get(project=self.project2, kind="plan")
        self.assertEqual(gate.version, 2)
        if planned.clean is not UNSET:
            self.assertEqual(gate.planned_date, planned.clean)
        self.assertTrue(gate.planned_date is None or gate.planned_date >= EARLIEST)

    @FUZZ
    @given(
        kind=st.one_of(
            st.from_regex(r"[-a-zA-Z0-9_]{1,30}", fullmatch=True),
            st.text(min_size=1, max_size=20),
        ).filter(lambda k: k not in CheckpointKind.values),
        method=st.sampled_from(["get", "post"]),
    )
    def test_unknown_checkpoint_kind_is_404(self, kind, method):
        self.client.force_login(self.alice)
        before = db_state()
        url = reverse("checkpoint_detail", args=[2017, 2, "plan"]).replace("/plan/", "/%s/")
        path = url % "".join(f"%{b:02X}" for b in kind.encode())  # every byte percent-encoded
        response = getattr(self.client, method)(path, {"action": "start", "version": "1"})
        self.assert_status(response, {404}, repr(kind))
        self.assertEqual(db_state(), before)


# ---------------------------------------------------------------------------------------
# Leaders' instructions and their follow-up
# ---------------------------------------------------------------------------------------


class InstructionFuzzTests(FuzzCase):
    @FUZZ
    @given(issued=date_field(), text=text_field(required=True), encoding=encodings)
    def test_add_instruction(self, issued, text, encoding):
        self.client.force_login(self.charlie)
        before = db_state()
        data = {"issued_on": issued.raw, "text": text.raw}
        response = self.send(reverse("instruction_add", args=[2017, 2]), data, encoding)
        if not self.saved(response, expected_plain(combined_verdict(issued, text)), before, data):
            return
        instruction = Instruction.objects.get()
        self.assertEqual(instruction.official.name, "高自民")
        self.assertEqual(instruction.status, InstructionStatus.OPEN)
        self.assertTrue(EARLIEST <= instruction.issued_on <= timezone.localdate())
        self.assertEqual(instruction.text, text.clean)
        if issued.clean is not UNSET:
            self.assertEqual(instruction.issued_on, issued.clean)
        self.assert_saved_pages_escape(data, self.project2.get_absolute_url())

    @FUZZ
    @given(
        follow_up=text_field(required=True),
        done_on=date_field(),
        version=version_field,
        who=st.sampled_from(["alice", "bob", "erin"]),
        encoding=encodings,
    )
    def test_follow_up(self, follow_up, done_on, version, who, encoding):
        instruction = self.charlies_instruction()
        self.client.force_login(getattr(self, who))
        before = db_state()
        data = {
            "follow_up": follow_up.raw,
            "followed_up_on": done_on.raw,
            "version": version.raw,
        }
        url = reverse("instruction_follow_up", args=[instruction.pk])
        response = self.send(url, data, encoding)
        if who == "erin":  # 区教育局 does not lead project 2
            allowed = {403}
        else:
            allowed = expected_versioned(combined_verdict(follow_up, done_on), version)
        if not self.saved(response, allowed, before, data):
            return
        instruction.refresh_from_db()
        self.assertEqual(instruction.status, InstructionStatus.DONE)
        self.assertEqual(instruction.follow_up, follow_up.clean)
        self.assertEqual(instruction.followed_up_by, getattr(self, who))
        self.assertTrue(EARLIEST <= instruction.followed_up_on <= timezone.localdate())
        self.assert_saved_pages_escape(data, self.project2.get_absolute_url())
