"""Helpers for bench/load/run.sh: wait for and poll /healthz, judge a phase, print the summary.

A phase is judged on its requests (5xx, unanswered) and on what it wrote: every progress
report the server acknowledged must be in the database; every period report a liaison
submitted must be there, submitted, in the phase's period; every evidence file whose upload
was acknowledged must have its row (not removed, same name, size and SHA-256) and its bytes
in storage (``FILES_DIR``), hashing to the SHA-256 of what was sent; and no read-back on
the other app server may be stale. Figures are given per app server (``--server``, in the
order run.sh started them) and in total; in the fault phase each server's outage window
ends when that server answers again.

    check.py wait URL [--timeout 30]            exit 0 once URL answers 200, else 1
    check.py poll URL LOG [--interval 0.2]      start a GET every interval; log "start end status"
    check.py children PID                       PIDs of PID's child processes, comma-separated
    check.py phase --name NAME ... --out JSON   judge one locust run (see --help)
    check.py summary JSON... --out TXT          print the final block and write it to TXT

Figures come from the per-request log the locustfile writes (every request that completed,
including those finishing during locust's stop timeout); locust's own CSV is kept beside it.
Standard library only.
"""

import argparse
import csv
import http.client
import json
import sys
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from load_report import print_phase, summary
from load_servers import is_server_failure, judge_readbacks, per_server, percentile
from load_writes import judge_writes, read_lines


def _status(url, timeout):
    """HTTP status of a GET on a loopback URL; 0 when nothing answered in time."""
    try:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
        conn.request("GET", url.path or "/", headers={"Connection": "close"})
        status = conn.getresponse().status
        conn.close()
    except (OSError, http.client.HTTPException):
        status = 0
    return status


def wait(args):
    url = urlsplit(args.url)
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if _status(url, 2.0) == 200:
            return 0
        time.sleep(0.2)
    return 1


def children(args):
    """Child PIDs from /proc (no procps needed); the command name may hold spaces."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(args.pid):
            found.append(int(stat.parent.name))
    print(",".join(str(pid) for pid in sorted(found)))
    return 0


def poll(args):
    """Start a health check every ``interval`` seconds, each in its own thread, so a slow or
    queued answer does not delay the next probe; one flushed line per probe."""
    url = urlsplit(args.url)
    lock = threading.Lock()
    with open(args.log, "a", encoding="utf-8", buffering=1) as log:

        def probe():
            start = time.time()
            status = _status(url, args.timeout)
            end = time.time()
            with lock:
                log.write(f"{start:.3f} {end:.3f} {status}\n")

        tick = time.monotonic()
        while True:
            threading.Thread(target=probe, daemon=True).start()
            tick += args.interval
            time.sleep(max(0.0, tick - time.monotonic()))


def _requests(path):
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            start, ms = float(row["start"]), float(row["ms"])
            rows.append(
                {
                    "start": start,
                    "end": start + ms / 1000,
                    "ms": ms,
                    "name": row["name"],
                    "status": int(row["status"]),
                    "ok": row["ok"] == "1",
                    "server": row.get("server") or "",
                }
            )
    return rows


def _health(path):
    polls = []
    for line in read_lines(path):
        start, end, status = line.split()
        polls.append((float(start), float(end), int(status)))
    return sorted(polls)


def _iso(ts):
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds") if ts else None


def judge_phase(args):
    reqs = _requests(args.requests)
    if not reqs:
        raise SystemExit(f"{args.name} phase: no requests in {args.requests}")
    acked = read_lines(args.acked)
    attempted = set(read_lines(args.attempted))
    in_db = read_lines(args.db_tokens)
    db_set = set(in_db)
    lost = sorted(set(acked) - db_set)
    span = max(r["end"] for r in reqs) - min(r["start"] for r in reqs)
    by_name = defaultdict(list)
    for r in reqs:
        by_name[r["name"]].append(r)
    result = {
        "name": args.name,
        "seconds": args.seconds,
        "requests": len(reqs),
        "rps": len(reqs) / span if span > 0 else 0.0,
        "p50_ms": percentile([r["ms"] for r in reqs], 50),
        "p95_ms": percentile([r["ms"] for r in reqs], 95),
        "errors": sum(1 for r in reqs if not r["ok"]),
        "http_5xx": sum(1 for r in reqs if r["status"] >= 500),
        "no_answer": sum(1 for r in reqs if r["status"] == 0),
        "other_errors": sum(1 for r in reqs if not r["ok"] and not is_server_failure(r)),
        "servers": per_server(reqs, args.server, span),
        "by_request": {
            name: {
                "count": len(rows),
                "p50_ms": percentile([r["ms"] for r in rows], 50),
                "p95_ms": percentile([r["ms"] for r in rows], 95),
                "errors": sum(1 for r in rows if not r["ok"]),
            }
            for name, rows in sorted(by_name.items())
        },
        "reports_attempted": len(attempted),
        "reports_acknowledged": len(acked),
        "reports_in_db": len(in_db),
        "writes_lost": len(lost),
        "lost_tokens": lost[:20],
        "written_not_acknowledged": len((db_set & attempted) - set(acked)),
        "unknown_rows": len(db_set - attempted),
        "duplicate_rows": len(in_db) - len(db_set),
        "problems": [],
    }
    problems = result["problems"]
    if result["reports_acknowledged"] == 0:
        problems.append("no progress report was acknowledged (the write check proves nothing)")
    if result["writes_lost"]:
        problems.append(f"{result['writes_lost']} acknowledged report(s) missing from the database")
    if result["duplicate_rows"] or result["unknown_rows"]:
        problems.append("unexpected report rows in the database (duplicates or unknown tokens)")
    if args.period_acked:
        judge_writes(args, result)
    if args.readbacks:
        judge_readbacks(args, result)
    if args.name == "fault":
        _judge_fault(args, reqs, result)
    elif result["http_5xx"] or result["no_answer"]:
        problems.append(
            f"{result['http_5xx']} HTTP 5xx and {result['no_answer']} unanswered request(s)"
        )
    result["passed"] = not problems
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print_phase(result)
    return 0 if result["passed"] else 1


def _judge_fault(args, reqs, result):
    """Outage = [PostgreSQL stop issued, first success (a /healthz probe or a load request)
    after it was back], for each app server on its own: 5xx and unanswered requests to a
    server are tolerated only within its window. The phase's recovery is the slower
    server's."""
    problems = result["problems"]
    t_down, t_up = args.t_down, args.t_up
    for i, server in enumerate(result["servers"]):
        health = args.health[i] if i < len(args.health) else ""
        server.update(
            _server_outage(args, health, [r for r in reqs if r["server"] == server["server"]])
        )
        server["gunicorn_master_before"] = _nth(args.master_before, i)
        server["gunicorn_master_after"] = _nth(args.master_after, i)
        server["gunicorn_workers_before"] = _nth(args.workers_before, i)
        server["gunicorn_workers_after"] = _nth(args.workers_after, i)
        before_pid, after_pid = server["gunicorn_master_before"], server["gunicorn_master_after"]
        server["gunicorn_restarted"] = not before_pid or before_pid != after_pid
    servers = result["servers"]

    def slowest(key):
        values = [s[key] for s in servers]
        return None if not values or None in values else max(values)

    result.update(
        {
            "t_start": _iso(args.t_start),
            "t_pg_stop": _iso(t_down),
            "t_pg_up": _iso(t_up),
            "t_healthz_ok": _iso(slowest("t_healthz_ok")),
            "t_load_ok": _iso(slowest("t_load_ok")),
            "pg_stopped_at_s": round(t_down - args.t_start, 1),
            "outage_s": round(t_up - t_down, 2),
            "recovery_s": slowest("recovery_s"),
            "first_ok_request_after_up_s": slowest("first_ok_request_after_up_s"),
        }
    )
    for key in (
        "healthz_probes",
        "healthz_failed_in_outage",
        "healthz_5xx_outside_outage",
        "healthz_timeouts_outside_outage",
        "errors_during_outage",
        "server_failures_during_outage",
        "server_failures_before_outage",
        "server_failures_after_recovery",
        "errors_after_recovery",
        "requests_after_recovery",
    ):
        result[key] = sum(s[key] for s in servers)
    for key in ("master_before", "master_after", "workers_before", "workers_after"):
        result[f"gunicorn_{key}"] = " / ".join(s[f"gunicorn_{key}"] or "-" for s in servers)
    result["gunicorn_restarted"] = any(s["gunicorn_restarted"] for s in servers)

    for s in servers:
        name = s["server"]
        if s["t_healthz_ok"] is None:
            problems.append(f"{name} never answered /healthz with 200 after PostgreSQL was back")
        elif s["recovery_s"] > args.recovery_limit:
            problems.append(
                f"{name} took {s['recovery_s']} s to recover (limit {args.recovery_limit} s)"
            )
        if s["healthz_5xx_outside_outage"]:
            n = s["healthz_5xx_outside_outage"]
            problems.append(f"{name}: /healthz answered 5xx {n} time(s) outside the outage")
        if s["server_failures_before_outage"]:
            n = s["server_failures_before_outage"]
            problems.append(f"{name}: {n} 5xx/unanswered request(s) before the outage")
        if s["server_failures_after_recovery"]:
            n = s["server_failures_after_recovery"]
            problems.append(f"{name}: {n} 5xx/unanswered request(s) after recovery")
        if s["window_ends"] and not s["ok_after_recovery"]:
            problems.append(f"{name}: no successful load request after recovery")
        if s["gunicorn_restarted"]:
            problems.append(
                f"{name}: gunicorn master changed or died "
                f"({s['gunicorn_master_before']} -> {s['gunicorn_master_after']})"
            )


def _nth(values, i):
    return values[i] if i < len(values) else ""


def _server_outage(args, health, reqs):
    """One app server's outage window and what happened before, in and after it."""
    t_down, t_up = args.t_down, args.t_up
    polls = _health(health) if health else []
    # Evidence it answers again: a success issued after the stop, completed after the start.
    health_ok = [p[1] for p in polls if p[2] == 200 and p[0] >= t_down and p[1] >= t_up]
    load_ok = [r["end"] for r in reqs if r["ok"] and r["start"] >= t_down and r["end"] >= t_up]
    t_health = min(health_ok) if health_ok else None
    t_load = min(load_ok) if load_ok else None
    known = [t for t in (t_health, t_load) if t is not None]
    # The outage window ends at the earliest of the two, so "after recovery" is strict.
    window_end = min(known) if known else float("inf")
    in_window = [p for p in polls if p[1] >= t_down and p[0] <= window_end]
    outside = [p for p in polls if not (p[1] >= t_down and p[0] <= window_end)]
    # A request belongs to the outage if it overlapped [stop issued, app answering again].
    during = [r for r in reqs if r["end"] >= t_down and r["start"] <= window_end]
    before = [r for r in reqs if r["end"] < t_down]
    later = [r for r in reqs if r["start"] > window_end]
    return {
        "t_healthz_ok": t_health,
        "t_load_ok": t_load,
        "recovery_s": round(t_health - t_up, 2) if t_health is not None else None,
        "first_ok_request_after_up_s": round(t_load - t_up, 2) if t_load is not None else None,
        "window_ends": bool(known),
        "healthz_probes": len(polls),
        "healthz_failed_in_outage": sum(1 for p in in_window if p[2] != 200),
        "healthz_5xx_outside_outage": sum(1 for p in outside if p[2] >= 500),
        "healthz_timeouts_outside_outage": sum(1 for p in outside if p[2] == 0),
        "errors_during_outage": sum(1 for r in during if not r["ok"]),
        "server_failures_during_outage": sum(1 for r in during if is_server_failure(r)),
        "server_failures_before_outage": sum(1 for r in before if is_server_failure(r)),
        "server_failures_after_recovery": sum(1 for r in later if is_server_failure(r)),
        "errors_after_recovery": sum(1 for r in later if not r["ok"]),
        "requests_after_recovery": len(later),
        "ok_after_recovery": any(r["ok"] for r in later),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("wait", help="wait until a URL answers 200")
    p.add_argument("url")
    p.add_argument("--timeout", type=float, default=30.0)
    p.set_defaults(func=wait)

    p = sub.add_parser("children", help="child PIDs of a process")
    p.add_argument("pid", type=int)
    p.set_defaults(func=children)

    p = sub.add_parser("poll", help="probe a URL every interval, logging start/end/status")
    p.add_argument("url")
    p.add_argument("log")
    p.add_argument("--interval", type=float, default=0.2)
    p.add_argument("--timeout", type=float, default=10.0)
    p.set_defaults(func=poll)

    p = sub.add_parser("phase", help="judge one locust run")
    p.add_argument("--name", required=True, choices=["load", "fault"])
    p.add_argument("--seconds", type=int, required=True)
    p.add_argument("--requests", required=True, help="request log from the locustfile")
    p.add_argument("--acked", required=True, help="tokens of acknowledged reports")
    p.add_argument("--attempted", required=True, help="tokens of all reports sent")
    p.add_argument("--db-tokens", required=True, help="report summaries found in the database")
    p.add_argument("--out", required=True)
    p.add_argument(
        "--server", action="append", default=[], help="host:port of an app server (repeat)"
    )
    p.add_argument("--health", action="append", default=[], help="a server's probe log")
    p.add_argument("--t-start", type=float, default=0.0)
    p.add_argument("--t-down", type=float, default=0.0)
    p.add_argument("--t-up", type=float, default=0.0)
    p.add_argument("--recovery-limit", type=float, default=30.0)
    p.add_argument("--master-before", action="append", default=[], help="a server's master PID")
    p.add_argument("--master-after", action="append", default=[])
    p.add_argument("--workers-before", action="append", default=[], help="its worker PIDs")
    p.add_argument("--workers-after", action="append", default=[])
    p.add_argument("--period-acked", help="tokens of period reports submitted")
    p.add_argument("--period-attempted", default="", help="tokens of period reports begun")
    p.add_argument("--period-db", default="", help="token, state, period, unit of the rows")
    p.add_argument("--period-name", default="", help="the period open during the phase")
    p.add_argument("--files-acked", default="", help="token, name, sha256, size acknowledged")
    p.add_argument("--files-db", default="", help="token, name, stored name, sha256, size, kept")
    p.add_argument("--files-dir", default="", help="the storage folder (FILES_DIR)")
    p.add_argument("--stored-names", default="", help="every stored name the rows hold")
    p.add_argument("--readbacks", default="", help="the read-backs on the other server")
    p.set_defaults(func=judge_phase)

    p = sub.add_parser("summary", help="print and write the final block")
    p.add_argument("results", nargs="+")
    p.add_argument("--out", required=True)
    p.add_argument("--context", action="append", default=[])
    p.set_defaults(func=summary)

    args = parser.parse_args()
    sys.exit(args.func(args))


if __name__ == "__main__":
    main()
