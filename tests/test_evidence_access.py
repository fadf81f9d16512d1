"""Evidence files: who may read, download, add and remove them (the attached object's
own rules), downloads, removal kept on record, closed plans, meetings, and the queries
of the pages that list files."""

from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from evidence.models import Attachment
from intake.roles import EXPERT
from projects.choices import PlanStatus, ReportState
from projects.models import Meeting

from .factories import make_user, report
from .test_evidence import EvidenceTestCase, list_url
from .test_evidence_samples import PDF, SAMPLES, png


class WhoMayTests(EvidenceTestCase):
    def test_who_may_attach_to_what(self):
        meeting = Meeting.objects.get(sequence=13)
        expected = {
            # a report: its author and the reform office
            self.update: {"alice": 302, "bob": 302, "erin": 403, "charlie": 403, "olivia": 403},
            # a checkpoint: the lead unit's liaison and the reform office
            self.checkpoint: {"alice": 302, "bob": 302, "erin": 403, "charlie": 403},
            # an instruction: who may record its follow-up
            self.instruction: {"alice": 302, "bob": 302, "erin": 403, "charlie": 403},
            # a meeting: who records meetings
            meeting: {"alice": 302, "bob": 403, "charlie": 403, "olivia": 403},
        }
        for obj, answers in expected.items():
            for who, status in answers.items():
                with self.subTest(obj=obj._meta.model_name, who=who):
                    data = PDF + who.encode()
                    response = self.upload(obj, f"{who}.pdf", data, getattr(self, who))
                    self.assertEqual(response.status_code, status)
        self.assertEqual(Attachment.objects.count(), 7)
        self.assertEqual(len(self.stored()), 7)

    def test_a_refusal_says_why_in_the_objects_own_words(self):
        response = self.upload(self.update, user=self.erin)
        self.assertContains(
            response, "只有填报人和区委改革办可以修改这条进展报告。", status_code=403
        )
        response = self.upload(self.update, user=self.olivia)
        self.assertContains(response, "您没有权限查看该项目。", status_code=403)

    def test_readers_see_and_download_files_others_may_not(self):
        attachment = self.attach(self.update)
        url = reverse("evidence_download", args=[attachment.pk])
        for who, status in {
            "alice": 200,
            "bob": 200,
            "erin": 200,
            "charlie": 200,
            "dave": 200,
            "olivia": 403,
        }.items():
            with self.subTest(who):
                self.client.force_login(getattr(self, who))
                response = self.client.get(url)
                self.assertEqual(response.status_code, status)
                if status == 403:
                    self.assertNotIn(PDF, response.content)
                    self.assertContains(response, "您没有权限查看该项目。", status_code=403)
                    self.assertEqual(self.client.get(list_url(self.update)).status_code, 403)

    def test_anonymous_is_sent_to_sign_in(self):
        attachment = self.attach(self.update)
        self.client.logout()
        for url in (
            reverse("evidence_download", args=[attachment.pk]),
            reverse("evidence_remove", args=[attachment.pk]),
            list_url(self.update),
        ):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertRedirects(response, f"{reverse('login')}?next={quote(url)}")
        response = self.client.post(
            list_url(self.update), {"file": SimpleUploadedFile("b.pdf", PDF)}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Attachment.objects.count(), 1)

    def test_the_form_is_shown_only_to_who_may_attach(self):
        form = 'enctype="multipart/form-data"'
        url = self.project.get_absolute_url()
        # Alice: the report and the instruction; Bob: his report and the instruction
        # (his unit leads); Erin and Charlie: none
        for who, forms in {"alice": 2, "bob": 2, "erin": 0, "charlie": 0}.items():
            with self.subTest(who):
                self.client.force_login(getattr(self, who))
                self.assertContains(self.client.get(url), form, count=forms)
        self.client.force_login(self.bob)
        checkpoint_page = self.client.get(self.checkpoint.get_absolute_url())
        self.assertContains(checkpoint_page, form, count=1)
        self.client.force_login(self.erin)
        self.assertNotContains(self.client.get(self.checkpoint.get_absolute_url()), form)

    def test_a_model_not_listed_takes_no_files(self):
        for label, pk in (
            ("projects.project", self.project.pk),
            ("auth.user", self.alice.pk),
            ("nope.nothing", 1),
            ("projects", 1),
        ):
            with self.subTest(label):
                url = reverse("evidence_list", args=[label, pk])
                self.assertEqual(self.client.get(url).status_code, 404)
                response = self.client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF)})
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.stored(), [])
        self.assertEqual(
            self.client.get(
                list_url(self.update).replace(str(self.update.pk), "999999")
            ).status_code,
            404,
        )

    def test_the_list_of_models_is_a_setting(self):
        attachment = self.attach(self.instruction)
        with override_settings(EVIDENCE_MODELS=["projects.progressupdate"]):
            self.assertEqual(self.upload(self.instruction).status_code, 404)
            url = reverse("evidence_download", args=[attachment.pk])
            self.assertEqual(self.client.get(url).status_code, 404)
            page = self.client.get(self.project.get_absolute_url())
            self.assertNotContains(page, attachment.original_name)


class OtherReadersTests(EvidenceTestCase):
    """Readers of other roles ask for files by their address, which they may guess."""

    def test_an_outside_expert_gets_no_file_of_the_plan(self):
        expert = make_user("xavier", EXPERT)
        files = [self.attach(obj) for obj in (self.update, self.instruction, self.checkpoint)]
        self.client.force_login(expert)
        for attachment in files:
            with self.subTest(attachment.content_type.model):
                response = self.client.get(reverse("evidence_download", args=[attachment.pk]))
                self.assertEqual(response.status_code, 403)
                self.assertNotIn(PDF, response.content)
                self.assertEqual(self.client.get(list_url(attachment.target)).status_code, 403)

    def test_a_drafts_files_are_seen_only_by_who_sees_the_draft(self):
        """A draft is still the unit's: the project page hides it from other readers, and
        its files too, even asked for by their address."""
        self.update.state = ReportState.DRAFT
        self.update.save()
        attachment = self.attach(self.update, "草稿附件.pdf", user=self.bob)
        download = reverse("evidence_download", args=[attachment.pk])
        for who, status in {"bob": 200, "alice": 200, "erin": 403, "charlie": 403}.items():
            with self.subTest(who):
                self.client.force_login(getattr(self, who))
                response = self.client.get(download)
                self.assertEqual(response.status_code, status)
                self.assertEqual(self.client.get(list_url(self.update)).status_code, status)
                page = self.client.get(self.project.get_absolute_url())
                if status == 403:
                    self.assertContains(
                        response, "您没有权限查看该项目的进展报告。", status_code=403
                    )
                    self.assertNotContains(page, "草稿附件.pdf")
                else:
                    self.assertEqual(b"".join(response.streaming_content), PDF)
                    self.assertContains(page, "草稿附件.pdf")
        # submitted, it is every reader's
        self.update.state = ReportState.SUBMITTED
        self.update.save()
        self.assertEqual(self.client.get(download).status_code, 200)


class DownloadTests(EvidenceTestCase):
    def test_download_with_the_chinese_name_and_the_sniffed_type(self):
        attachment = self.attach(self.update, "二季度进展（盖章版）.pdf")
        self.client.force_login(self.charlie)
        response = self.client.get(reverse("evidence_download", args=[attachment.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.streaming)
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Length"], str(len(PDF)))
        self.assertEqual(
            response["Content-Disposition"],
            f'attachment; filename="attachment-{attachment.pk}.pdf"; '
            f"filename*=UTF-8''{quote('二季度进展（盖章版）.pdf')}",
        )
        self.assertIn("no-store", response["Cache-Control"])

    def test_each_type_is_served_as_what_its_content_is(self):
        types = {
            "方案.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "现场照片.JPEG": "image/jpeg",
            "截图.png": "image/png",
            "会议纪要.ofd": "application/ofd",
            "方案.wps": "application/vnd.ms-works",
        }
        for name, content_type in types.items():
            with self.subTest(name):
                attachment = self.attach(self.update, name, SAMPLES[name])
                response = self.client.get(reverse("evidence_download", args=[attachment.pk]))
                self.assertEqual(response["Content-Type"], content_type)
                self.assertTrue(response["Content-Disposition"].startswith("attachment;"))

    def test_stored_files_are_reachable_only_through_the_download(self):
        attachment = self.attach(self.update)
        for url in (
            f"/static/{attachment.stored_name}",
            f"/media/{attachment.stored_name}",
            f"/{attachment.stored_name}",
            f"/files/{attachment.stored_name}",
        ):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_missing_stored_file_is_a_404(self):
        attachment = self.attach(self.update)
        (self.folder / attachment.stored_name).unlink()
        response = self.client.get(reverse("evidence_download", args=[attachment.pk]))
        self.assertEqual(response.status_code, 404)


class RemovalTests(EvidenceTestCase):
    def remove(self, attachment, reason="上传错了文件", user=None):
        if user is not None:
            self.client.force_login(user)
        return self.client.post(
            reverse("evidence_remove", args=[attachment.pk]), {"reason": reason}
        )

    def test_removal_is_recorded_and_the_file_is_gone(self):
        attachment = self.attach(self.update, "错传的文件.pdf", user=self.bob)
        page = self.client.get(reverse("evidence_remove", args=[attachment.pk]))
        self.assertContains(page, "错传的文件.pdf")
        self.assertContains(page, "确认移除")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.remove(attachment, user=self.alice)
        self.assertRedirects(
            response, f"{self.project.get_absolute_url()}#files-progressupdate-{self.update.pk}"
        )
        attachment.refresh_from_db()
        self.assertEqual(attachment.removed_by, self.alice)
        self.assertEqual(attachment.removal_reason, "上传错了文件")
        self.assertIsNotNone(attachment.removed_at)
        self.assertEqual(self.stored(), [])  # the stored bytes are deleted
        # no longer downloadable, nor removable again
        download = reverse("evidence_download", args=[attachment.pk])
        self.assertEqual(self.client.get(download).status_code, 404)
        self.assertEqual(self.remove(attachment).status_code, 404)
        # readers still see that it was there, who removed it, when and why
        self.client.force_login(self.charlie)
        page = self.client.get(self.project.get_absolute_url())
        self.assertContains(page, '<del class="attachment-name">错传的文件.pdf</del>', html=False)
        self.assertContains(page, "已移除")
        self.assertContains(page, "alice于")
        self.assertContains(page, "移除，理由：上传错了文件")
        self.assertNotContains(page, download)

    def test_the_same_file_may_be_attached_again_after_removal(self):
        attachment = self.attach(self.update)
        self.remove(attachment)
        self.attach(self.update)
        self.assertEqual(Attachment.objects.filter(removed_at__isnull=True).count(), 1)

    def test_a_reason_is_required(self):
        attachment = self.attach(self.update)
        for reason in ("", "   ", "长" * 501):
            with self.subTest(len(reason)):
                response = self.remove(attachment, reason)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "未移除：", status_code=400)
        self.assertContains(self.remove(attachment, ""), "请写明移除理由。", status_code=400)
        attachment.refresh_from_db()
        self.assertIsNone(attachment.removed_at)
        self.assertEqual(len(self.stored()), 1)

    def test_only_who_may_attach_may_remove(self):
        attachment = self.attach(self.update, user=self.bob)
        for who in ("erin", "charlie", "olivia"):
            with self.subTest(who):
                self.assertEqual(self.remove(attachment, user=getattr(self, who)).status_code, 403)
                url = reverse("evidence_remove", args=[attachment.pk])
                self.assertEqual(self.client.get(url).status_code, 403)
        attachment.refresh_from_db()
        self.assertIsNone(attachment.removed_at)
        self.client.force_login(self.charlie)
        page = self.client.get(self.project.get_absolute_url())
        self.assertContains(page, attachment.original_name)
        self.assertNotContains(page, reverse("evidence_remove", args=[attachment.pk]))
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(self.remove(attachment, user=self.bob).status_code, 302)
        self.assertEqual(self.stored(), [])


class ClosedPlanTests(EvidenceTestCase):
    def test_after_the_plan_is_closed_files_are_read_only(self):
        attachment = self.attach(self.update)
        self.project.plan.status = PlanStatus.CLOSED
        self.project.plan.save()
        closed = "该项目所在的年度计划已总结，附件只能查看，不能再添加或移除。"
        for obj in (self.update, self.instruction, self.checkpoint):
            with self.subTest(obj._meta.model_name):
                response = self.upload(obj, "补充.pdf", PDF + b"%more")
                self.assertContains(response, closed, status_code=403)
        self.assertContains(self.remove_page(attachment), closed, status_code=403)
        self.assertEqual(Attachment.objects.count(), 1)
        self.assertEqual(len(self.stored()), 1)
        # still read
        self.assertEqual(
            self.client.get(reverse("evidence_download", args=[attachment.pk])).status_code, 200
        )
        page = self.client.get(self.project.get_absolute_url())
        self.assertContains(page, attachment.original_name)
        self.assertNotContains(page, 'enctype="multipart/form-data"')
        self.assertContains(self.client.get(list_url(self.update)), closed)

    def remove_page(self, attachment):
        return self.client.post(reverse("evidence_remove", args=[attachment.pk]), {"reason": "x"})


class MeetingTests(EvidenceTestCase):
    def test_a_meetings_files_have_their_own_page(self):
        meeting = Meeting.objects.get(sequence=13)
        response = self.upload(meeting, "会议纪要.ofd", SAMPLES["会议纪要.ofd"])
        self.assertRedirects(response, f"{list_url(meeting)}#files-meeting-{meeting.pk}")
        self.client.force_login(self.charlie)
        page = self.client.get(list_url(meeting))
        self.assertContains(page, "会议纪要.ofd")
        self.assertContains(page, meeting.title)
        self.assertNotContains(page, 'enctype="multipart/form-data"')


class QueryCountTests(EvidenceTestCase):
    """The files of a page are read in one query, however many there are."""

    def fill(self, reports):
        for i in range(reports):
            update = report(self.project, i, summary=f"进展{i}", author=self.bob)
            self.attach(update, f"材料{i}.pdf", PDF + str(i).encode())
            self.attach(update, f"照片{i}.png", png() + str(i).encode())
        removed = self.attach(self.instruction, "旧.pdf", PDF + b"old")
        self.client.post(reverse("evidence_remove", args=[removed.pk]), {"reason": "作废"})
        self.attach(self.checkpoint, f"方案{reports}.pdf", PDF + f"方案{reports}".encode())

    def count(self, url, user):
        self.client.force_login(user)
        with self.assertNumQueries(self.pinned[url](user)) as counted:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return counted

    def test_pinned_counts(self):
        project_page = self.project.get_absolute_url()
        checkpoint_page = self.checkpoint.get_absolute_url()
        files_page = list_url(self.update)
        # project page: 16 before evidence + 1 for all its files + 1 for its origin (intake)
        # + 1 for its 催办记录; every page + 2 for the header's 待办 count (chasing)
        self.pinned = {
            # + the 四个亲自 and the instructions' units (leaders); a leader may also write
            # an instruction: + the units offered
            project_page: lambda user: 27 if user == self.charlie else 26,
            checkpoint_page: lambda user: 10,
            files_page: lambda user: 9 if user == self.bob else 8,
        }
        for filled in (0, 3, 12):
            self.fill(filled)
            for url in self.pinned:
                for user in (self.alice, self.bob, self.charlie):
                    with self.subTest(url=url, user=user.username, filled=filled):
                        self.count(url, user)
        page = self.client.get(project_page)
        self.assertContains(page, "材料11.pdf")
        self.assertContains(page, "照片0.png")
        self.assertContains(page, "旧.pdf")
