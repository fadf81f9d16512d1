"""How long loading a big plan file takes: writes a plan file with N projects (default
10,000) into a temporary fixtures folder and times ``manage.py load_plan`` on it, in a
fresh database (SQLite file in a temporary folder, or DATABASE_URL).

    DEBUG=true .venv/bin/python bench/plan_load.py [--projects 10000]
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = ["government", "economy", "urban", "social", "livelihood"]


def plan_file(year, count):
    units = [
        {"model": "units.unit", "fields": {"name": f"测试单位{i:03d}", "kind": "government"}}
        for i in range(50)
    ]
    officials = [
        {"model": "units.official", "fields": {"name": f"测试领导{i:02d}", "position": "副区长"}}
        for i in range(10)
    ]
    plan = {"model": "projects.reformplan", "fields": {"year": year, "title": f"测试计划{year}"}}
    projects = [
        {
            "model": "projects.project",
            "fields": {
                "plan": [year],
                "number": n,
                "title": f"测试项目{n:05d}",
                "domain": DOMAINS[n % 5],
                "content": "测试内容" * 20,
                "lead_official": [f"测试领导{n % 10:02d}", "副区长"],
                "lead_unit": [f"测试单位{n % 50:03d}"],
                "participating_units": [[f"测试单位{(n + 1) % 50:03d}"]],
            },
        }
        for n in range(1, count + 1)
    ]
    return [*units, *officials, plan, *projects]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="plan-load-"))
    name = "plan_2088"
    (work / f"{name}.json").write_text(
        json.dumps(plan_file(2088, args.projects), ensure_ascii=False), encoding="utf-8"
    )
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("ENV_FILE", os.devnull)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longgang_reform.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from projects.models import Checkpoint, Project

    settings.FIXTURE_DIRS = [work]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("load_plan", name)
    took = time.perf_counter() - started
    loaded = (Project.objects.count(), Checkpoint.objects.count())
    print(f"load_plan, {args.projects:,} projects: {took:.1f} s; rows now {loaded}")
    print(f"database: {settings.DATABASES['default']['ENGINE']}")


if __name__ == "__main__":
    main()
