"""The monthly bulletin (进展情况通报): the .docx read back with python-docx, the print page
with the same text, the file name, the optional 督办 hook, and who may have it."""

import io
from datetime import date
from html import escape
from unittest import mock
from urllib.parse import quote

from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from projects.bulletin import bulletin_for
from projects.choices import CheckpointKind, CheckpointStatus

from .factories import set_checkpoint
from .test_scoreboard import HandMadeCase

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def east_asian_font(run):
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


class BulletinCase(HandMadeCase):
    """The hand-made case of the scoreboard; in 1月 甲局 reported project 2 late, 乙局 has
    only a draft of project 3, project 4 has no lead unit, and project 1 passed 方案关 on
    2020-01-20."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        set_checkpoint(cls.p[1], CheckpointKind.PLAN, CheckpointStatus.PASSED,
                       passed_on=date(2020, 1, 20))  # fmt: skip

    def download(self, period=None):
        response = self.client.get(reverse("period_bulletin_docx", args=[(period or self.jan).pk]))
        self.assertEqual(response.status_code, 200)
        return response, Document(io.BytesIO(response.content))


class BulletinDocxTests(BulletinCase):
    def test_what_the_leaders_read(self):
        _response, document = self.download()
        text = "\n".join(p.text for p in document.paragraphs)
        self.assertEqual(document.paragraphs[0].text, "关于2020年1月改革项目进展情况的通报")
        self.assertIn("各牵头单位：", text)
        self.assertIn(
            "本期覆盖改革项目4个，牵头单位按时报送1个，逾期提交1个，未报2个；已采纳1个。", text
        )
        for title in ("甲局的项目一", "甲局的项目二", "乙局的项目三", "待定的项目四"):
            self.assertIn(title, text)
        self.assertNotIn("乙局的自主项目", text)  # 单位自主: not covered
        self.assertIn("1．甲局的项目一（甲局）：正常，完成10%。进展", text)
        self.assertIn("3．乙局的项目三（乙局）：未报。", text)  # a draft is not a report
        self.assertIn("（一）逾期提交的单位：甲局（第2项）。", text)
        self.assertIn("（二）未报送的单位：乙局（第3项）；牵头单位待定（第4项）。", text)
        self.assertIn("1．甲局的项目一：方案关，2020年1月20日通过。", text)
        # the open 督办 items (chasing): checkpoints long past their planned dates
        self.assertIn("四、督办事项\n1．甲局：一、甲局的项目一的实施关报审，已逾期", text)
        self.assertIn("（应于2020年1月15日前办理）", text)
        self.assertIn("2．乙局：三、乙局的项目三的方案关报审，已逾期", text)
        self.assertIn("龙岗区委改革办", text)

    def test_the_next_period(self):
        _response, document = self.download(self.feb)
        text = "\n".join(p.text for p in document.paragraphs)
        self.assertIn("关于2020年2月改革项目进展情况的通报", text)
        self.assertIn("1．甲局的项目一（甲局）：正常，完成10%（报告已退回修改）。进展", text)
        self.assertIn("（一）逾期提交的单位：无。", text)
        self.assertIn("1．甲局的项目二：方案关，2020年2月5日通过。", text)
        self.assertNotIn("2020年1月20日", text)  # passed in the month before

    def test_laid_out_as_an_official_document(self):
        _response, document = self.download()
        section = document.sections[0]
        self.assertAlmostEqual(section.page_width.mm, 210, delta=0.5)  # A4
        self.assertAlmostEqual(section.page_height.mm, 297, delta=0.5)
        margins = (section.top_margin, section.bottom_margin, section.left_margin,
                   section.right_margin)  # fmt: skip
        self.assertEqual([round(m.mm) for m in margins], [37, 35, 28, 26])
        normal = document.styles["Normal"]
        self.assertEqual(normal.font.size, Pt(16))  # 3号
        self.assertEqual(normal.paragraph_format.line_spacing, Pt(28.95))
        title, heading, body = (document.paragraphs[i] for i in (0, 3, 4))
        self.assertEqual(title.runs[0].font.size, Pt(22))  # 2号
        self.assertEqual(east_asian_font(title.runs[0]), "方正小标宋简体")
        self.assertEqual(heading.text, "一、总体情况")
        self.assertEqual(east_asian_font(heading.runs[0]), "黑体")
        self.assertEqual(body.runs[0].font.size, Pt(16))
        self.assertEqual(east_asian_font(body.runs[0]), "仿宋_GB2312")
        # every run of the body is 3号
        sizes = {run.font.size for p in document.paragraphs[1:] for run in p.runs}
        self.assertEqual(sizes, {Pt(16)})
        # the page number in the footer, "— 1 —"
        footer = section.footer.paragraphs[0]
        self.assertEqual(footer.text, "— 1 —")
        self.assertIn("PAGE", footer._element.xml)

    def test_fonts_have_fallbacks_in_the_font_table(self):
        response, _document = self.download()
        import zipfile

        with zipfile.ZipFile(io.BytesIO(response.content)) as package:
            table = package.read("word/fontTable.xml").decode()
        self.assertIn('w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', table)
        self.assertIn('w:name="方正小标宋简体"><w:altName w:val="宋体"/>', table)

    def test_a_chinese_file_name_with_an_ascii_fallback(self):
        response, _document = self.download()
        self.assertEqual(response["Content-Type"], DOCX)
        disposition = response["Content-Disposition"]
        self.assertIn(f'filename="2020_bulletin_{self.jan.pk}.docx"', disposition)
        name = quote("龙岗区2020年改革计划_2020年1月_进展情况通报.docx", safe="")
        self.assertIn(f"filename*=UTF-8''{name}", disposition)

    def test_control_characters_in_a_report_do_not_break_the_file(self):
        report = self.p[1].updates.get(period=self.jan)
        report.summary = "进展\x01正常\n第二行"
        report.save()
        _response, document = self.download()
        self.assertIn("进展\ufffd正常", "\n".join(p.text for p in document.paragraphs))


class BulletinPageTests(BulletinCase):
    def test_the_print_page_says_what_the_file_says(self):
        response = self.client.get(reverse("period_bulletin", args=[self.jan.pk]))
        self.assertEqual(response.status_code, 200)
        for text in (
            "关于2020年1月改革项目进展情况的通报",
            "甲局的项目一",
            "甲局的项目二",
            "乙局的项目三",
            "待定的项目四",
            "（一）逾期提交的单位：甲局（第2项）。",
            "1．甲局的项目一：方案关，2020年1月20日通过。",
        ):
            self.assertContains(response, text)
        _response, document = self.download()
        in_file = [p.text for p in document.paragraphs if p.text]
        for line in in_file:
            self.assertContains(response, escape(line))
        self.assertEqual(in_file, bulletin_for(self.jan).text)
        self.assertContains(response, reverse("period_bulletin_docx", args=[self.jan.pk]))

    def test_linked_from_the_period(self):
        response = self.client.get(reverse("period_detail", args=[self.jan.pk]))
        self.assertContains(response, reverse("period_bulletin", args=[self.jan.pk]))
        self.assertContains(response, reverse("period_bulletin_docx", args=[self.jan.pk]))

    def test_an_open_period_before_its_due_date(self):
        self.feb.status = "open"
        self.feb.due_on = date(2999, 1, 1)
        self.feb.save()
        response = self.client.get(reverse("period_bulletin", args=[self.feb.pk]))
        self.assertContains(response, "（报送期限前）")
        self.assertContains(response, "尚未报送2个")
        self.assertContains(
            response, "（二）尚未报送的单位：甲局（第2项）；牵头单位待定（第4项）。"
        )

    def test_english(self):
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = self.client.get(reverse("period_bulletin", args=[self.jan.pk]))
        self.assertContains(response, "Bulletin: progress of the reform projects in 2020年1月")
        self.assertContains(response, "1. Overview")
        _response, document = self.download()
        self.assertIn("1. Overview", [p.text for p in document.paragraphs])

    def test_no_such_period(self):
        for url in ("/periods/999999/bulletin/", "/periods/999999/bulletin.docx"):
            self.assertEqual(self.client.get(url).status_code, 404)


class Item:
    """A 督办 item as the chasing app may hand it over."""

    def __init__(self, text, project, unit):
        self.text, self.project, self.unit_id = text, project, unit.pk

    def __str__(self):
        return self.text


class ChasingHookTests(BulletinCase):
    """With the ``chasing`` app installed, its open 督办 items reach the bulletin and the
    scoreboard (its module stood in for by a plain object; the database is real)."""

    def escalation(self):
        items = [Item("区领导督办：月底前完成标准制定", self.p[2], self.jia)]
        return mock.Mock(
            open_items=lambda plan: items,
            reminders_received=lambda plan, period: {self.jia.pk: 3},
        )

    def test_items_and_columns(self):
        with mock.patch("projects.scoreboard.chasing_escalation", self.escalation):
            bulletin = self.client.get(reverse("period_bulletin", args=[self.jan.pk]))
            board = self.client.get(reverse("scoreboard", args=[2020]))
        self.assertContains(bulletin, "1．区领导督办：月底前完成标准制定（甲局的项目二）")
        self.assertNotContains(bulletin, "暂无督办事项")
        self.assertContains(board, "收到催办")
        self.assertContains(board, "督办事项")
        jia = next(r for r in board.context["board"].rows if r.name == "甲局")
        self.assertEqual((jia.reminders, jia.duban), (3, 1))


class BulletinAccessTests(BulletinCase):
    def test_the_ladder(self):
        urls = [
            reverse("period_bulletin", args=[self.jan.pk]),
            reverse("period_bulletin_docx", args=[self.jan.pk]),
        ]
        self.client.logout()
        for url in urls:
            self.assertRedirects(self.client.get(url), f"{reverse('login')}?next={url}")
        self.client.force_login(self.olivia)  # no role
        for url in urls:
            response = self.client.get(url)
            self.assertContains(response, "没有权限查看报告期", status_code=403)
        for reader in (self.alice, self.bob, self.erin, self.charlie, self.dave):
            self.client.force_login(reader)
            for url in urls:
                with self.subTest(user=reader.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)
