"""Import a plan's projects from Excel on the server, as the import page does: the same
checks, the same preview (printed in Chinese), one transaction; --dry-run writes nothing.

Names the database lacks are refused with the list, unless --create-missing: then units
are created by the name in the file (as their full name), and officials with the position
given by --position 姓名=职务 (never 待定: an official without one is refused). --position
also picks one of two same-named officials.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from projects.models import ReformPlan
from projects.planimport import read_import_file
from projects.planimport_apply import ImportRefused, import_file, reason_message
from projects.planimport_compare import NEW, build_preview
from units.models import User

SHOWN = 60  # characters of a text shown before and after a change


def _short(text):
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


class Command(BaseCommand):
    help = (
        "从 Excel（.xlsx）导入年度计划的项目：与网页导入相同的检查和预览；"
        "--dry-run 只预览不写入；有错误时不作任何改动。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file (a ledger export or the template)")
        parser.add_argument("--year", type=int, required=True, help="the plan's year")
        parser.add_argument("--dry-run", action="store_true", help="print the preview only")
        parser.add_argument("--reason", default="", help="调整理由 (an approved plan needs one)")
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="create units and officials the database lacks (officials need --position)",
        )
        parser.add_argument(
            "--position",
            action="append",
            default=[],
            metavar="姓名=职务",
            help="an official's position: picks an existing one, or the one to create",
        )
        parser.add_argument("--user", help="username recorded as the importer")

    def handle(self, *args, file, year, dry_run, reason, create_missing, position, user, **opts):
        translation.activate("zh-hans")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        plan = ReformPlan.objects.filter(year=year).first()
        if plan is None:
            raise CommandError(f"没有 {year} 年度的改革计划，请先新建计划。")
        importer = None
        if user:
            importer = User.objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"没有用户 {user}。")
        positions = self._positions(position)
        try:
            imported = read_import_file(path.read_bytes())
        except ValidationError as exc:
            raise CommandError("未导入：" + " ".join(exc.messages)) from exc
        first = build_preview(plan, imported)
        choices, problems = self._choices(first.names, positions, create_missing)
        preview = build_preview(plan, imported, choices)
        self._print(preview, path.name)
        problems = [*(str(e) for e in preview.errors), *problems]
        if preview.needs_reason and not reason.strip():
            problems.append(reason_message() + "（用 --reason 写明）")
        if problems:
            raise CommandError("未导入，数据库未作任何改动：\n  " + "\n  ".join(problems))
        if dry_run:
            self.stdout.write("试运行（--dry-run）：未写入任何内容。")
            return
        try:
            import_file(plan, imported, importer, choices=choices, reason=reason)
        except ImportRefused as exc:
            raise CommandError(exc.message) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"已导入：新增 {len(preview.new)} 个项目，修改 {len(preview.changed)} 个，"
            f"{len(preview.unchanged)} 个无变化。"
        )

    def _positions(self, given):
        positions = {}
        for item in given:
            name, equals, job = item.partition("=")
            if not (equals and name.strip() and job.strip()):
                raise CommandError(f"--position 应写成 姓名=职务，而不是“{item}”。")
            positions[name.strip()] = job.strip()
        return positions

    def _choices(self, names, positions, create_missing):
        """The preview page's choices, from the command's options; and what stays open."""
        choices, problems = {}, []
        for name in names:
            where = f"（第{name.lines_text}行）"
            if name.kind == "official" and name.name in positions:
                job = positions[name.name]
                same = next((c for c in name.candidates if c.position == job), None)
                if same is not None:
                    choices[name.key] = str(same.pk)
                elif create_missing:
                    choices[name.key], choices[f"{name.key}-position"] = NEW, job
                else:
                    problems.append(f"没有区领导「{name.name}（{job}）」{where}")
            elif name.candidates:
                found = "、".join(str(c) for c in name.candidates)
                fix = (
                    "用 --position 姓名=职务 指定"
                    if name.kind == "official"
                    else "在文件中写单位全称"
                )
                problems.append(f"「{name.name}」对应多个{found}{where}，请{fix}。")
            elif name.kind == "unit" and create_missing:
                choices[name.key] = NEW
            elif name.kind == "official" and create_missing:
                problems.append(
                    f"新建区领导「{name.name}」{where}须写明职务：--position {name.name}=职务"
                )
            else:
                kind = "单位" if name.kind == "unit" else "区领导"
                problems.append(
                    f"系统中没有{kind}「{name.name}」{where}；加 --create-missing 新建"
                    "（区领导须以 --position 姓名=职务 写明职务）。"
                )
        return choices, problems

    def _print(self, preview, filename):
        out = self.stdout.write
        out(
            f"导入《{preview.plan.title}》：文件 {filename}，工作表「{preview.file.sheet}」，"
            f"表头在第{preview.file.header_line}行"
        )
        out(
            f"新增 {len(preview.new)} 个项目，修改 {len(preview.changed)} 个，"
            f"{len(preview.unchanged)} 个无变化"
        )
        if preview.file.ignored:
            out("不导入的列：" + "、".join(preview.file.ignored))
        for outcome in preview.new:
            shown = outcome.shown
            out(
                f"  新增 {outcome.number} {outcome.title}（{shown['domain']}；"
                f"牵头：{shown['lead_official']}，{shown['lead_unit']}）"
            )
        for outcome in preview.changed:
            mark = "（计入计划调整）" if outcome.watched and preview.plan.is_locked else ""
            out(f"  修改 {outcome.number} {outcome.project.title}{mark}")
            for change in outcome.changes:
                out(f"    {change.label}：{_short(change.before)} → {_short(change.after)}")
        created = [n for n in preview.names if n.creates]
        if created:
            out("将新建：" + "、".join(f"「{n.target}」" for n in created))
