"""How long importing a big Excel file takes: writes an .xlsx with N rows (default 5,000,
the import's limit; texts as long as the 2017 plan's), then times, in a fresh database
(SQLite file in a temporary folder, or DATABASE_URL):

- reading and checking the file, and the preview against an empty draft plan;
- confirming it (all N projects new, with their checkpoints and history);
- the preview and the confirmation of the same file with every project's goals edited
  (all N projects changed), on the plan now approved (N 计划调整);
- the same through the pages, as the office uses them (upload, preview page, confirm),
  into a second plan: what a browser waits for.

    .venv/bin/python bench/plan_import.py [--rows 5000]
"""

import argparse
import io
import os
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = ["政府职能转变", "经济发展", "城市建设", "社会管理", "民生事业"]
HEADER = [
    "序号",
    "项目名称",
    "领域",
    "牵头区领导",
    "牵头单位",
    "参与单位",
    "方案关计划完成日期",
    "拟解决的问题",
    "改革内容",
    "改革目标",
]


def workbook(rows, goals="目标"):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("导入项目")
    sheet.append(HEADER)
    for n in range(1, rows + 1):
        sheet.append(
            [
                n,
                f"测试改革项目{n:05d}",
                DOMAINS[n % 5],
                f"测试领导{n % 10:02d}",
                f"测试单位{n % 50:03d}",
                f"测试单位{(n + 1) % 50:03d}、测试单位{(n + 2) % 50:03d}",
                date(2088, 6, 30),
                "拟解决的问题" * 20,
                "改革内容" * 60,
                f"{goals}{n}" * 10,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def timed(label, work):
    started = time.perf_counter()
    result = work()
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="plan-import-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("ENV_FILE", os.devnull)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longgang_reform.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import translation

    from projects.models import Checkpoint, PlanAdjustment, Project, ReformPlan
    from projects.planimport import read_import_file
    from projects.planimport_apply import import_file
    from projects.planimport_compare import build_preview
    from units.models import Official, Unit

    translation.activate("zh-hans")
    call_command("migrate", verbosity=0)
    Unit.objects.bulk_create(Unit(name=f"测试单位{i:03d}") for i in range(50))
    Official.objects.bulk_create(
        Official(name=f"测试领导{i:02d}", position="副区长") for i in range(10)
    )
    plan = ReformPlan.objects.create(year=2088, title="测试计划2088")
    print(f"database: {settings.DATABASES['default']['ENGINE']}; {args.rows:,} rows")

    data = timed("write the .xlsx (not part of the import)", lambda: workbook(args.rows))
    print(f"file size: {len(data) / 1024 / 1024:.1f} MB")
    imported = timed("read and check the file", lambda: read_import_file(data))
    preview = timed("preview (all new)", lambda: build_preview(plan, imported))
    if preview.errors or len(preview.new) != args.rows:
        sys.exit(f"unexpected preview: {[str(e) for e in preview.errors[:3]]}")
    timed("confirm (all new)", lambda: import_file(plan, imported, None))
    counts = Project.objects.count(), Checkpoint.objects.count()
    print(f"rows now: {counts[0]:,} projects, {counts[1]:,} checkpoints")

    plan.status = "approved"
    plan.save()
    edited = workbook(args.rows, goals="调整后的目标")
    imported = timed("read and check the edited file", lambda: read_import_file(edited))
    preview = timed("preview (all changed)", lambda: build_preview(plan, imported))
    if len(preview.changed) != args.rows:
        sys.exit(f"unexpected preview: {len(preview.changed)} changed")
    timed(
        "confirm (all changed, with 计划调整)",
        lambda: import_file(plan, imported, None, reason="压测"),
    )
    print(f"计划调整 recorded: {PlanAdjustment.objects.count():,}")
    pages(data)


def pages(data):
    """Upload, preview page and confirmation through Django's test client."""
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from projects import roles
    from projects.models import Project, ReformPlan
    from units.models import User

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PLAN_IMPORT_ROOT = tempfile.mkdtemp(prefix="plan-import-kept-")
    ReformPlan.objects.create(year=2089, title="测试计划2089")
    office = User.objects.create_user("bench-office")
    office.groups.add(Group.objects.get(name=roles.REFORM_OFFICE))
    client = Client()
    client.force_login(office)
    upload = SimpleUploadedFile("bench.xlsx", data)
    response = timed(
        "page: upload (checked, compared, kept)",
        lambda: client.post(reverse("plan_import", args=[2089]), {"file": upload}),
    )
    url = response["Location"]
    page = timed("page: preview", lambda: client.get(url))
    print(f"preview page: {len(page.content) / 1024:.0f} KB")
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', page.content.decode()).group(1)
    done = timed(
        "page: confirm",
        lambda: client.post(url, {"action": "apply", "fingerprint": fingerprint}),
    )
    if done.status_code != 302:
        sys.exit(f"confirm answered {done.status_code}")
    print(f"projects in the second plan: {Project.objects.filter(plan__year=2089).count():,}")


if __name__ == "__main__":
    main()
