"""An instruction's whole life (批示): written with the units that must act and a due
date, corrected or withdrawn by its author until someone acts on it, followed up by the
units, closed or sent back by the reform office, overdue when its date passes."""

from datetime import timedelta

from django.urls import reverse

from projects import roles
from projects.choices import InstructionStatus
from projects.instructions import INSTRUCTION_STEPS, available_steps
from projects.models import Instruction, Project
from units.models import Official, Unit

from .base import PlanTestCase, make_user
from .factories import TODAY, make_instruction

OPEN, DONE = InstructionStatus.OPEN, InstructionStatus.DONE
CLOSED, WITHDRAWN = InstructionStatus.CLOSED, InstructionStatus.WITHDRAWN


class StepTableTests(PlanTestCase):
    """INSTRUCTION_STEPS against a table of its own, and the moves offered to each role
    in each state against a matrix written here."""

    def test_the_moves(self):
        self.assertEqual(
            {
                a: (set(s.sources), s.target, s.before_follow_up)
                for a, s in INSTRUCTION_STEPS.items()
            },
            {
                "follow_up": ({OPEN}, DONE, False),
                "close": ({DONE}, CLOSED, False),
                "send_back": ({DONE}, OPEN, False),
                "correct": ({OPEN}, OPEN, True),
                "withdraw": ({OPEN}, WITHDRAWN, True),
            },
        )
        self.assertTrue(INSTRUCTION_STEPS["send_back"].note_required)
        self.assertTrue(INSTRUCTION_STEPS["withdraw"].note_required)
        self.assertFalse(INSTRUCTION_STEPS["close"].note_required)

    def test_who_is_offered_what_in_each_state(self):
        dai = make_user("dai", roles.LEADERSHIP, official=Official.objects.get(name="戴斌"))
        people = {"charlie": self.charlie, "dai": dai, "bob": self.bob, "erin": self.erin}
        people |= {"alice": self.alice, "dave": self.dave, "olivia": self.olivia}
        project = Project.objects.get(number=2)  # led by Bob's 区发改局
        follow, close, back = "follow_up", "close", "send_back"
        nothing = {who: set() for who in people}
        states = {
            "open, untouched": (
                {"status": OPEN},
                nothing
                | {
                    "charlie": {"correct", "withdraw"},
                    "bob": {follow},
                    "alice": {follow, "withdraw"},
                    "dave": {follow, "withdraw"},
                },
            ),
            "open, sent back": (
                {"status": OPEN, "follow_up": "做了一半", "followed_up_on": TODAY},
                nothing | {"bob": {follow}, "alice": {follow}, "dave": {follow}},
            ),
            "done": (
                {"status": DONE, "follow_up": "已落实", "followed_up_on": TODAY},
                nothing | {"alice": {close, back}, "dave": {close, back}},
            ),
            "closed": ({"status": CLOSED, "follow_up": "已落实", "followed_up_on": TODAY}, nothing),
            "withdrawn": ({"status": WITHDRAWN, "withdrawn_reason": "写错了"}, nothing),
        }
        for state, (fields, expected) in states.items():
            instruction = Instruction.objects.create(
                project=project,
                text="请落实",
                official=self.charlie.official,
                author=self.charlie,
                **fields,
            )
            offered = {
                who: {s.action for s in available_steps(instruction, user)}
                for who, user in people.items()
            }
            self.assertEqual(offered, expected, state)


def instruction_form(**overrides):
    return {"issued_on": TODAY.isoformat(), "text": "请于月底前完成质量标准制定", **overrides}


class WritingTests(PlanTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.charlie)
        self.url = reverse("instruction_add", args=[2017, 2])

    def test_the_leader_names_the_units_and_the_due_date(self):
        due = TODAY + timedelta(days=14)
        data = instruction_form(units=[self.fagai.pk, self.jiaoyu.pk], due_on=due.isoformat())
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        instruction = Instruction.objects.get()
        self.assertEqual(set(instruction.units.all()), {self.fagai, self.jiaoyu})
        self.assertEqual((instruction.due_on, instruction.status), (due, OPEN))
        page = self.client.get(reverse("project_detail", args=[2017, 2]))
        self.assertContains(page, "区教育局")
        self.assertContains(page, due.isoformat())

    def test_the_lead_unit_by_default(self):
        form = self.client.get(reverse("project_detail", args=[2017, 2])).context[
            "instruction_form"
        ]
        self.assertEqual(form.initial["units"], [self.fagai.pk])
        self.client.post(self.url, instruction_form())
        self.assertEqual(list(Instruction.objects.get().units.all()), [self.fagai])
        # a project whose lead unit is 待定: no unit named, the office follows up
        self.client.post(reverse("instruction_add", args=[2017, 1]), instruction_form(text="一号"))
        self.assertEqual(list(Instruction.objects.get(text="一号").units.all()), [])

    def test_odd_input_gets_a_message_and_saves_nothing(self):
        cases = [
            ({"due_on": (TODAY - timedelta(days=1)).isoformat()}, "落实时限不能早于批示日期。"),
            ({"due_on": "2017-02-30"}, "请按“年-月-日”填写有效日期。"),
            ({"units": ["999999"]}, "所选单位不存在，请重新选择。"),
            ({"units": ["abc"]}, "所选单位不存在，请重新选择。"),
        ]
        for change, message in cases:
            with self.subTest(change=change):
                response = self.client.post(self.url, instruction_form(**change))
                self.assertContains(response, message, status_code=400)
        self.assertFalse(Instruction.objects.exists())


class LifeTests(PlanTestCase):
    def setUp(self):
        super().setUp()
        self.instruction = self.charlies_instruction()  # on project 2, led by Bob's unit
        self.page = reverse("instruction_detail", args=[self.instruction.pk])
        self.follow = reverse("instruction_follow_up", args=[self.instruction.pk])
        self.correct = reverse("instruction_correct", args=[self.instruction.pk])

    def fresh(self):
        self.instruction.refresh_from_db()
        return self.instruction

    def follow_up(self, who=None, text="质量标准已印发"):
        self.client.force_login(who or self.bob)
        data = {"follow_up": text, "followed_up_on": TODAY, "version": self.fresh().version}
        return self.client.post(self.follow, data)

    def step(self, who, action, note="", version=None):
        self.client.force_login(who)
        version = version or self.fresh().version
        return self.client.post(self.page, {"action": action, "note": note, "version": version})

    def test_a_named_unit_or_the_lead_unit_follows_up_another_unit_does_not(self):
        self.instruction.units.set([self.jiaoyu])
        keji = Unit.objects.get(short_name="区科创局")
        carol = make_user("carol", roles.UNIT_LIAISON, unit=keji)
        self.client.force_login(carol)
        self.assertEqual(self.client.get(self.follow).status_code, 403)
        self.assertEqual(self.follow_up(self.erin, "教育局已落实").status_code, 302)
        self.assertEqual((self.fresh().status, self.fresh().followed_up_by), (DONE, self.erin))

    def test_the_lead_unit_always_may(self):
        self.instruction.units.set([self.jiaoyu])
        self.assertEqual(self.follow_up(self.bob).status_code, 302)

    def test_only_the_office_closes(self):
        self.follow_up()
        for who in (self.charlie, self.bob):
            with self.subTest(who=who.username):
                self.assertEqual(self.step(who, "close").status_code, 403)
                self.assertEqual(self.fresh().status, DONE)
        response = self.step(self.alice, "close", "落实到位")
        self.assertRedirects(response, self.page)
        self.assertEqual((self.fresh().status, self.fresh().closed_on), (CLOSED, TODAY))
        self.assertEqual(self.fresh().review_note, "落实到位")
        page = self.client.get(self.page)
        self.assertContains(page, "办结：落实到位")  # the history: the move and its note
        self.assertNotContains(page, 'name="action"')  # nothing left to do

    def test_sending_back_needs_a_note_and_reopens_it(self):
        self.follow_up()
        refused = self.step(self.alice, "send_back", "  ")
        self.assertContains(refused, "退回须写明需要继续落实的内容。", status_code=400)
        self.assertEqual(self.fresh().status, DONE)
        self.assertEqual(self.step(self.alice, "send_back", "请补充印发文号").status_code, 302)
        self.assertEqual((self.fresh().status, self.fresh().review_note), (OPEN, "请补充印发文号"))
        project = self.client.get(reverse("project_detail", args=[2017, 2]))
        self.assertContains(project, "已退回")
        self.assertContains(project, "请补充印发文号")
        self.assertEqual(self.follow_up(self.bob, "已补充文号").status_code, 302)
        self.assertEqual((self.fresh().status, self.fresh().follow_up), (DONE, "已补充文号"))
        self.step(self.alice, "close")  # without a note: the return's note is done with
        self.assertEqual((self.fresh().status, self.fresh().review_note), (CLOSED, ""))

    def test_the_author_withdraws_with_a_reason(self):
        refused = self.step(self.charlie, "withdraw")
        self.assertContains(refused, "撤回批示须写明理由。", status_code=400)
        self.assertEqual(self.fresh().status, OPEN)
        self.assertEqual(self.step(self.charlie, "withdraw", "批示对象有误").status_code, 302)
        self.assertEqual(
            (self.fresh().status, self.fresh().withdrawn_reason), (WITHDRAWN, "批示对象有误")
        )
        self.assertContains(self.client.get(self.page), "撤回批示：批示对象有误")

    def test_withdrawing_after_a_follow_up_is_refused(self):
        self.follow_up()
        refused = self.step(self.charlie, "withdraw", "不需要了")
        self.assertContains(refused, "不能撤回批示", status_code=400)
        self.step(self.alice, "send_back", "请补充")
        refused = self.step(self.charlie, "withdraw", "不需要了")  # open again, but acted on
        self.assertContains(refused, "该批示已有落实情况登记，不能再撤回批示。", status_code=400)
        self.assertEqual(self.fresh().status, OPEN)
        self.client.force_login(self.charlie)
        self.assertContains(self.client.get(self.correct), "不能再更正批示", status_code=409)

    def test_a_withdrawal_started_before_the_follow_up_is_refused(self):
        started = self.fresh().version
        self.follow_up()
        self.step(self.alice, "send_back", "请补充")
        refused = self.step(self.charlie, "withdraw", "不需要了", version=started)
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(self.fresh().status, OPEN)

    def test_the_office_may_withdraw_another_leader_may_not(self):
        dai = make_user("dai", roles.LEADERSHIP, official=Official.objects.get(name="戴斌"))
        self.assertEqual(self.step(dai, "withdraw", "不是我的").status_code, 403)
        self.client.force_login(dai)
        self.assertEqual(self.client.get(self.correct).status_code, 403)
        self.assertEqual(self.step(self.alice, "withdraw", "重复批示").status_code, 302)
        self.assertEqual(self.fresh().status, WITHDRAWN)

    def test_the_author_corrects_text_units_and_due_date(self):
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.correct).status_code, 200)
        due = TODAY + timedelta(days=30)
        data = {"text": "请于下月底前完成", "units": [self.jiaoyu.pk], "due_on": due, "version": 1}
        self.assertRedirects(self.client.post(self.correct, data), self.page)
        fresh = self.fresh()
        self.assertEqual((fresh.text, fresh.due_on, fresh.version), ("请于下月底前完成", due, 2))
        self.assertEqual(list(fresh.units.all()), [self.jiaoyu])
        page = self.client.get(self.page)
        self.assertContains(page, "更正批示：落实单位改为区教育局")
        self.assertContains(page, "请于下月底前完成")
        stale = self.client.post(self.correct, {**data, "text": "旧版本上的更正"})
        self.assertContains(stale, "该批示已被他人修改", status_code=409)
        self.assertEqual(self.fresh().text, "请于下月底前完成")

    def test_correcting_after_a_follow_up_is_refused(self):
        self.follow_up()
        self.client.force_login(self.charlie)
        data = {"text": "改", "units": [self.fagai.pk], "version": self.fresh().version}
        response = self.client.post(self.correct, data)
        self.assertContains(response, "不能更正批示", status_code=409)
        self.assertEqual(self.fresh().text, "请落实")

    def test_a_follow_up_page_for_an_instruction_done_already(self):
        self.follow_up()
        self.client.force_login(self.bob)
        response = self.client.get(self.follow)
        self.assertContains(response, "不能登记落实情况", status_code=409)
        self.assertContains(response, "质量标准已印发", status_code=409)

    def test_an_unknown_move_is_refused(self):
        for action in ("follow_up", "correct", "delete", ""):
            with self.subTest(action=action):
                self.assertContains(
                    self.step(self.alice, action, "x"), "未知的操作。", status_code=400
                )
        self.assertEqual(self.fresh().status, OPEN)

    def test_a_liaison_may_make_no_move_on_the_page(self):
        self.follow_up()
        response = self.step(self.bob, "close")
        self.assertContains(response, "您没有权限办理该批示。", status_code=403)


class OverdueTests(PlanTestCase):
    def test_open_past_its_due_date(self):
        project = Project.objects.get(number=2)
        yesterday = TODAY - timedelta(days=1)
        late = make_instruction(project, "过期未办", official=self.charlie.official)
        done = make_instruction(project, "过期已办", done_on=TODAY)
        due_today = make_instruction(project, "今天到期")
        Instruction.objects.filter(pk__in=[late.pk, done.pk]).update(due_on=yesterday)
        Instruction.objects.filter(pk=due_today.pk).update(due_on=TODAY)
        overdue = {i.text: i.is_overdue for i in Instruction.objects.all()}
        self.assertEqual(overdue, {"过期未办": True, "过期已办": False, "今天到期": False})
        page = self.client.get(reverse("project_detail", args=[2017, 2])).content.decode()
        articles = page.split('<article class="instruction')
        marked = [a for a in articles if a.startswith(" is-open is-overdue")]
        self.assertEqual(len(marked), 1)
        self.assertIn("过期未办", marked[0])

    def test_the_leaders_view_of_their_instructions(self):
        project = Project.objects.get(number=2)
        late = make_instruction(project, "过期未办", official=self.charlie.official)
        Instruction.objects.filter(pk=late.pk).update(due_on=TODAY - timedelta(days=3))
        make_instruction(
            project,
            "已经办好",
            official=self.charlie.official,
            done_on=TODAY,
            follow_up="标准已印发",
        )
        make_instruction(project, "戴斌的批示", official=Official.objects.get(name="戴斌"))
        self.client.force_login(self.charlie)
        url = reverse("official_instructions", args=[self.charlie.official_id])
        page = self.client.get(url)
        self.assertContains(page, "我的批示")
        self.assertContains(page, "过期未办")
        self.assertContains(page, "标准已印发")
        self.assertNotContains(page, "戴斌的批示")
        self.assertContains(page, "is-overdue", count=1)
        official = self.client.get(reverse("official_detail", args=[self.charlie.official_id]))
        self.assertContains(official, "待落实 1 · 已落实 1 · 办结 0")
        self.assertContains(official, "逾期 1")
