"""Evidence files (附件): adding them to progress reports, checkpoints, instructions and
meetings; what is refused and why, and that nothing is left in storage when refused.

Files go to a temporary folder (MEDIA_ROOT, overridden per test) through Django's real
storage; nothing is mocked."""

import hashlib
import tempfile
from pathlib import Path
from threading import Thread
from unittest import skipUnless

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, connections
from django.db.models.signals import pre_save
from django.test import Client, override_settings
from django.urls import reverse

from evidence.models import Attachment
from projects.models import Project

from .base import PlanTestCase
from .test_evidence_samples import EXE, PDF, SAMPLES, docx, png, zip_bomb

MB = 2**20


def list_url(obj):
    return reverse("evidence_list", args=[obj._meta.label_lower, obj.pk])


class EvidenceTestCase(PlanTestCase):
    """The 2017 plan, Bob's report and Charlie's instruction on project 2, and a storage
    folder of its own for each test."""

    def setUp(self):
        super().setUp()
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.enterContext(override_settings(MEDIA_ROOT=self.folder))
        self.project = Project.objects.get(plan__year=2017, number=2)
        self.update = self.bobs_report()
        self.instruction = self.charlies_instruction()
        self.checkpoint = self.project.checkpoints.get(kind="plan")

    def upload(self, obj, name="进展材料.pdf", data=PDF, user=None):
        if user is not None:
            self.client.force_login(user)
        return self.client.post(list_url(obj), {"file": SimpleUploadedFile(name, data)})

    def stored(self):
        """The files in storage, by name relative to the folder."""
        return sorted(
            str(p.relative_to(self.folder)) for p in self.folder.rglob("*") if p.is_file()
        )

    def attach(self, obj, name="进展材料.pdf", data=PDF, user=None):
        response = self.upload(obj, name, data, user or self.alice)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        return Attachment.objects.latest("pk")

    def assert_refused(self, response, status, message):
        self.assertContains(response, message, status_code=status)
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(self.stored(), [])


class UploadTests(EvidenceTestCase):
    def test_each_allowed_type_is_stored_and_listed(self):
        for name, data in SAMPLES.items():
            with self.subTest(name):
                response = self.upload(self.update, name, data)
                anchor = f"files-progressupdate-{self.update.pk}"
                self.assertRedirects(response, f"{self.project.get_absolute_url()}#{anchor}")
                attachment = Attachment.objects.latest("pk")
                self.assertEqual(attachment.original_name, name)
                self.assertEqual(attachment.sha256, hashlib.sha256(data).hexdigest())
                self.assertEqual(attachment.size, len(data))
                self.assertEqual(attachment.uploaded_by, self.alice)
                self.assertEqual((self.folder / attachment.stored_name).read_bytes(), data)
        self.assertEqual(
            list(Attachment.objects.values_list("file_type", flat=True)),
            ["pdf", "ofd", "doc", "docx", "wps", "xls", "xlsx", "et", "jpg", "jpg", "png"],
        )
        page = self.client.get(self.project.get_absolute_url())
        for name in SAMPLES:
            self.assertContains(page, name)
        self.assertEqual(len(self.stored()), len(SAMPLES))

    def test_the_page_says_it_was_uploaded(self):
        response = self.client.post(
            list_url(self.update), {"file": SimpleUploadedFile("方案.docx", docx())}, follow=True
        )
        self.assertContains(response, "附件已上传：方案.docx")
        self.assertContains(response, "DOCX")
        self.assertContains(response, "alice于")

    def test_stored_under_a_random_name_never_the_users(self):
        first = self.attach(self.update, "../../etc/passwd.pdf")
        second = self.attach(self.instruction, "C:\\x\\y.pdf", PDF + b"%2")
        self.assertEqual(first.original_name, "passwd.pdf")
        self.assertEqual(second.original_name, "y.pdf")
        for attachment in (first, second):
            self.assertRegex(attachment.stored_name, r"^evidence/[0-9a-f]{32}\.pdf$")
        self.assertEqual(self.stored(), sorted([first.stored_name, second.stored_name]))
        self.assertFalse((self.folder.parent / "etc").exists())

    def test_a_renamed_program_is_refused(self):
        response = self.upload(self.update, "通知.pdf", EXE)
        self.assert_refused(
            response, 400, "「通知.pdf」的内容不是PDF、OFD、Word、Excel、JPG或PNG文件"
        )

    def test_a_png_named_pdf_is_refused_name_and_content_must_agree(self):
        response = self.upload(self.update, "截图.pdf", png())
        self.assert_refused(response, 400, "「截图.pdf」的内容是PNG文件，与扩展名“.pdf”不符")

    def test_a_type_not_allowed_is_refused(self):
        response = self.upload(self.update, "setup.exe", EXE)
        self.assert_refused(response, 400, "只能上传PDF、OFD、Word（DOC、DOCX、WPS）")

    def test_21_mb_is_refused_naming_the_limit(self):
        response = self.upload(self.update, "扫描件.pdf", PDF + bytes(21 * MB))
        self.assert_refused(response, 413, "每个文件不能超过20 MB，未上传。")

    @override_settings(EVIDENCE_MAX_BYTES=MB)
    def test_the_limit_is_a_setting(self):
        self.assertEqual(self.upload(self.update, "a.pdf", PDF + bytes(MB)).status_code, 413)
        self.assertEqual(self.upload(self.update, "b.pdf", PDF + bytes(MB - 1000)).status_code, 302)

    def test_a_zip_bomb_is_refused(self):
        response = self.upload(self.update, "方案.docx", zip_bomb())
        self.assert_refused(response, 400, "文件解压后超过200 MB，疑似“压缩炸弹”，未上传。")

    def test_no_file_is_a_message_not_an_error(self):
        response = self.client.post(list_url(self.update), {})
        self.assert_refused(response, 400, "请选择要上传的文件。")

    def test_the_same_file_twice_is_stored_once(self):
        self.attach(self.update)
        response = self.upload(self.update)
        self.assertContains(response, "同一份文件已经附在这里，未重复上传。", status_code=400)
        self.assertEqual(Attachment.objects.count(), 1)
        self.assertEqual(len(self.stored()), 1)
        # on another object it is another attachment
        self.attach(self.instruction)
        self.assertEqual(len(self.stored()), 2)

    def test_a_failed_save_leaves_no_file_behind(self):
        """The database fails while the row is saved (here: it goes away): the file
        already written to storage is deleted again."""

        def database_goes_away(sender, instance, **kwargs):
            raise DatabaseError("server closed the connection unexpectedly")

        pre_save.connect(database_goes_away, sender=Attachment)
        self.addCleanup(pre_save.disconnect, database_goes_away, sender=Attachment)
        with self.assertRaises(DatabaseError):
            self.upload(self.update)
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(self.stored(), [])

    def test_upload_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        response = client.post(list_url(self.update), {"file": SimpleUploadedFile("a.pdf", PDF)})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(self.stored(), [])

    def test_a_refused_upload_is_shown_again_on_the_files_page(self):
        response = self.upload(self.update, "通知.pdf", EXE)
        self.assertContains(response, "未上传：", status_code=400)
        self.assertContains(response, 'aria-invalid="true"', status_code=400)
        self.assertContains(
            response, '<details class="attach-files no-print" open>', status_code=400
        )


@skipUnless(connection.vendor == "postgresql", "needs a second connection that can commit")
class RaceTests(EvidenceTestCase):
    def test_the_same_file_sent_twice_at_once_is_stored_once(self):
        """Two people send the same file at once: the other one's row is committed
        between this upload's checks and its save. The database refuses this row (one
        file once per object), its stored file is deleted, and the page says why."""
        update = self.update

        def in_another_connection(work):
            thread = Thread(target=lambda: (work(), connections.close_all()))
            thread.start()
            thread.join()

        def insert_other():
            Attachment.objects.create(
                content_type=ContentType.objects.get_for_model(update),
                object_id=update.pk,
                scope="race",
                original_name="同时上传.pdf",
                stored_name="evidence/the-other-upload.pdf",
                file_type="pdf",
                size=len(PDF),
                sha256=hashlib.sha256(PDF).hexdigest(),
            )

        def other_upload_lands(sender, instance, **kwargs):
            pre_save.disconnect(other_upload_lands, sender=Attachment)
            in_another_connection(insert_other)

        pre_save.connect(other_upload_lands, sender=Attachment)
        self.addCleanup(pre_save.disconnect, other_upload_lands, sender=Attachment)
        self.addCleanup(
            in_another_connection, lambda: Attachment.objects.filter(scope="race").delete()
        )
        response = self.upload(update)
        self.assertContains(response, "同一份文件已经附在这里，未重复上传。", status_code=400)
        self.assertEqual(self.stored(), [])
