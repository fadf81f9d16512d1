"""Evidence files: how they are set up (storage folder, S3, the list of attachable models
and its check) and how they read in English."""

import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from evidence import registry
from evidence.apps import check_attachable_models
from evidence.models import Attachment

from .base import ROOT, PlanTestCase, run_manage
from .test_evidence import EvidenceTestCase, list_url
from .test_evidence_samples import PDF


def test_files_live_in_a_git_ignored_folder_by_default():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "files/evidence/x.pdf"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0
    assert Path(settings.MEDIA_ROOT) not in [Path(d) for d in settings.STATICFILES_DIRS]
    assert Path(settings.MEDIA_ROOT) != Path(settings.STATIC_ROOT)


def test_the_folder_is_files_in_the_repo_or_files_dir():
    code = "from django.conf import settings; print(settings.MEDIA_ROOT)"
    done = run_manage("shell", "-c", code, DEBUG="true")
    assert done.stdout.strip().splitlines()[-1] == str(ROOT / "files"), done.stderr
    with tempfile.TemporaryDirectory() as folder:
        done = run_manage("shell", "-c", code, DEBUG="true", FILES_DIR=folder)
        assert done.stdout.strip().splitlines()[-1] == folder, done.stderr


def test_s3_without_django_storages_says_what_to_install():
    done = run_manage("check", DEBUG="true", FILES_S3_BUCKET="reform-files")
    assert done.returncode != 0
    assert 'pip install "django-storages[s3]"' in done.stderr


def test_the_attachable_models_are_checked_at_start_up():
    assert check_attachable_models() == []
    with override_settings(EVIDENCE_MODELS=[*registry.DEFAULT_MODELS, "projects.project", "x.y"]):
        errors = check_attachable_models()
    assert [e.id for e in errors] == ["evidence.E001", "evidence.E001"]
    assert "'projects.project'" in errors[0].msg


class EnglishTests(EvidenceTestCase):
    def test_the_files_read_in_english(self):
        kept = self.attach(self.update, "进展材料.pdf")
        gone = self.attach(self.instruction, "旧的.pdf", PDF + b"old")
        self.client.post(reverse("evidence_remove", args=[gone.pk]), {"reason": "作废"})
        self.client.get(reverse("home"))  # shows (and so clears) the messages so far
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        page = self.client.get(self.project.get_absolute_url()).content.decode()
        for english in (
            "Files",
            "Removed by alice on",
            "Reason: 作废",
            f"uploaded by alice on {kept.uploaded_at:%Y}",
            "Add a file",
            "Choose a file",
            "at most 20 MB each",
        ):
            self.assertIn(english, page)
        for chinese in ("附件", "已移除", "上传", "移除", "理由", "选择文件"):
            self.assertNotIn(chinese, page)
        refused = self.client.post(
            list_url(self.update), {"file": SimpleUploadedFile("截图.pdf", b"\x89PNG\r\n\x1a\n")}
        )
        self.assertContains(
            refused,
            "“截图.pdf” is a PNG file by its content, which does not match its extension “.pdf”",
            status_code=400,
        )


class PagesTests(PlanTestCase):
    def test_pages_with_files_keep_the_security_rules(self):
        """No inline script or style, nothing from another host, on the pages that list
        files and on the files' own pages."""
        with tempfile.TemporaryDirectory() as folder, override_settings(MEDIA_ROOT=folder):
            update = self.bobs_report()
            self.client.post(list_url(update), {"file": SimpleUploadedFile("a.pdf", PDF)})
            for url in (
                update.project.get_absolute_url(),
                update.project.checkpoints.first().get_absolute_url(),
                list_url(update),
                reverse("evidence_remove", args=[Attachment.objects.get().pk]),
            ):
                html = self.client.get(url).content.decode()
                self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)", url)
                self.assertNotRegex(html, r"\sstyle=", url)
                self.assertNotRegex(html, r"\son[a-z]+=", url)
                self.assertNotRegex(html, r'(?:src|href)="(?:https?:)?//', url)
