"""Printing a judged phase and the final summary (bench/load/check.py). Standard library
only."""

import json
from pathlib import Path

from load_writes import print_writes


def _fmt(value, unit=""):
    return "n/a" if value is None else f"{value}{unit}"


def print_phase(r):
    print(f"--- {r['name']} phase: {'PASS' if r['passed'] else 'FAIL'}")
    print(
        f"    {r['requests']} requests, {r['rps']:.1f} req/s, p50 {r['p50_ms']:.0f} ms, "
        f"p95 {r['p95_ms']:.0f} ms; errors {r['errors']} (5xx {r['http_5xx']}, "
        f"no answer {r['no_answer']}, other {r['other_errors']})"
    )
    for name, s in r["by_request"].items():
        print(
            f"      {name:<34} {s['count']:>6}  p50 {s['p50_ms']:>6.0f} ms  "
            f"p95 {s['p95_ms']:>6.0f} ms  errors {s['errors']}"
        )
    for i, s in enumerate(r.get("servers", []), 1):
        print(
            f"    app server {i} ({s['server']}): {s['requests']} requests, {s['rps']:.1f} req/s, "
            f"p50 {s['p50_ms']:.0f} ms, p95 {s['p95_ms']:.0f} ms; errors {s['errors']} "
            f"(5xx {s['http_5xx']}, no answer {s['no_answer']})"
        )
    if "readbacks" in r:
        ways = ", ".join(f"{way} {n}" for way, n in r["readbacks_by_way"].items()) or "none"
        print(
            f"    read-backs on the other server: {r['readbacks']} ({ways}), stale "
            f"{r['stale_reads']}; unanswered {r['readbacks_unanswered']}, row not found "
            f"{r['readbacks_unreadable']}"
        )
        for detail in r["stale_detail"]:
            print(f"      stale: {detail}")
    print(
        f"    reports: attempted {r['reports_attempted']}, acknowledged (302) "
        f"{r['reports_acknowledged']}, acknowledged but missing from the database "
        f"{r['writes_lost']}, in the database without acknowledgement "
        f"{r['written_not_acknowledged']}"
    )
    print_writes(r)
    if r["name"] == "fault":
        print(
            f"    PostgreSQL stop issued at +{r['pg_stopped_at_s']} s, accepting connections "
            f"{r['outage_s']} s later; /healthz 200 {_fmt(r['recovery_s'], ' s')} after that "
            f"(first load request OK after {_fmt(r['first_ok_request_after_up_s'], ' s')})"
        )
        print(
            f"    errors overlapping the outage {r['errors_during_outage']} "
            f"(5xx/unanswered {r['server_failures_during_outage']}); 5xx/unanswered before it "
            f"{r['server_failures_before_outage']}, after recovery "
            f"{r['server_failures_after_recovery']} of {r['requests_after_recovery']} requests"
        )
        print(
            f"    /healthz probes {r['healthz_probes']}: failed during the outage "
            f"{r['healthz_failed_in_outage']}; outside it 5xx "
            f"{r['healthz_5xx_outside_outage']}, no answer within 10 s "
            f"{r['healthz_timeouts_outside_outage']} (queueing)"
        )
        for i, s in enumerate(r["servers"], 1):
            print(
                f"    app server {i} ({s['server']}): /healthz 200 {_fmt(s['recovery_s'], ' s')} "
                f"after PostgreSQL (first load request OK after "
                f"{_fmt(s['first_ok_request_after_up_s'], ' s')}); 5xx/unanswered during its "
                f"outage {s['server_failures_during_outage']}, before "
                f"{s['server_failures_before_outage']}, after "
                f"{s['server_failures_after_recovery']} of {s['requests_after_recovery']}; "
                f"gunicorn master {s['gunicorn_master_before']} -> "
                f"{s['gunicorn_master_after']}, workers {s['gunicorn_workers_before']} -> "
                f"{s['gunicorn_workers_after']}"
            )
    for problem in r["problems"]:
        print(f"    PROBLEM: {problem}")


def summary(args):
    phases = [json.loads(Path(p).read_text(encoding="utf-8")) for p in args.results]
    passed = bool(phases) and all(p["passed"] for p in phases)
    lines = ["## Load and fault test (bench/load/run.sh)", "", *args.context]
    lines += [
        "",
        "| phase | req/s | p50 ms | p95 ms | errors | 5xx | reports acknowledged "
        "| period reports + PDFs acknowledged | writes lost | read-backs | stale reads "
        "| outage s | recovery s | gunicorn restarted | result |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | --- | --- |",
    ]
    for p in phases:
        fault = p["name"] == "fault"
        cells = [
            f"{p['name']} ({p['seconds']} s)",
            f"{p['rps']:.1f}",
            f"{p['p50_ms']:.0f}",
            f"{p['p95_ms']:.0f}",
            str(p["errors"]),
            str(p["http_5xx"]),
            str(p["reports_acknowledged"]),
            f"{p.get('period_reports_acknowledged', 0)} + {p.get('files_acknowledged', 0)}",
            str(p["writes_lost"] + p.get("period_reports_lost", 0) + p.get("files_lost", 0)),
            _fmt(p.get("readbacks")),
            _fmt(p.get("stale_reads")),
            _fmt(p.get("outage_s")) if fault else "–",
            _fmt(p.get("recovery_s")) if fault else "–",
            ("yes" if p["gunicorn_restarted"] else "no") if fault else "–",
            "PASS" if p["passed"] else "FAIL",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Per app server (req/s over the phase's whole span, so the servers' add up to the "
        "total; a read-back is counted on the server that answered it):",
        "",
        "| phase | app server | requests | req/s | p50 ms | p95 ms | errors | 5xx "
        "| read-backs written here, read there | recovery s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in phases:
        ways = p.get("readbacks_by_way", {})
        for i, s in enumerate(p.get("servers", []), 1):
            out = sum(n for way, n in ways.items() if way.startswith(f"{s['server']} -> "))
            cells = [
                p["name"],
                f"{i} ({s['server']})",
                str(s["requests"]),
                f"{s['rps']:.1f}",
                f"{s['p50_ms']:.0f}",
                f"{s['p95_ms']:.0f}",
                str(s["errors"]),
                str(s["http_5xx"]),
                str(out),
                _fmt(s.get("recovery_s")) if p["name"] == "fault" else "–",
            ]
            lines.append("| " + " | ".join(cells) + " |")
        cells = [
            p["name"],
            "total",
            str(p["requests"]),
            f"{p['rps']:.1f}",
            f"{p['p50_ms']:.0f}",
            f"{p['p95_ms']:.0f}",
            str(p["errors"]),
            str(p["http_5xx"]),
            _fmt(p.get("readbacks")),
            _fmt(p.get("recovery_s")) if p["name"] == "fault" else "–",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    for p in phases:
        if p["name"] == "fault":
            lines += [
                "",
                f"Fault phase: PostgreSQL stopped (`pg_ctl stop -m fast`) at "
                f"+{p['pg_stopped_at_s']} s and started again; it accepted connections "
                f"{p['outage_s']} s after the stop was issued (outage s). Recovery s = from then "
                f"to the first /healthz 200 (each server probed every 0.2 s; the phase's is the "
                f"slower server's). Each server's outage ends when it answers again. Errors "
                f"overlapping the outage: {p['errors_during_outage']}; 5xx or unanswered before "
                f"it: {p['server_failures_before_outage']}, after recovery: "
                f"{p['server_failures_after_recovery']} of {p['requests_after_recovery']} "
                f"requests. Gunicorn master PIDs before {p['gunicorn_master_before']}, after "
                f"{p['gunicorn_master_after']}.",
            ]
    lines += [
        "",
        "Writes lost = acknowledged progress reports missing from the database + period "
        "reports submitted and acknowledged but missing, not submitted or in another period "
        "+ acknowledged evidence files whose row, stored bytes or SHA-256 do not match what "
        "was sent.",
        "",
        "Read-backs: right after an office report or a liaison's submission was acknowledged "
        "by one app server, the user read the project's row (最新进展) on the other server's "
        "dashboard or list (cached per process under the data stamp). Stale read = the row "
        "showed neither that report's status and percent nor those of a report on the "
        "project written at the same time or later.",
    ]
    problems = [f"- {p['name']}: {problem}" for p in phases for problem in p["problems"]]
    if problems:
        lines += ["", *problems]
    lines += ["", f"Result: {'PASS' if passed else 'FAIL'}"]
    text = "\n".join(lines) + "\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text, end="")
    return 0 if passed else 1
