"""Two app servers (bench/load/check.py): the figures of each, and the read-backs, in
which a user whose write one server acknowledged reads the project's row on the other
server's cached dashboard or list at once. Standard library only."""

import math
from collections import Counter

from load_writes import read_lines


def percentile(values, pct):
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def is_server_failure(r):
    """A 5xx answer or no answer at all (connection refused, reset, timeout)."""
    return r["status"] >= 500 or r["status"] == 0


def figures(rows, span):
    """Requests, req/s over the phase's span (so the servers' add up to the total), p50,
    p95 and errors of some requests."""
    return {
        "requests": len(rows),
        "rps": len(rows) / span if span > 0 else 0.0,
        "p50_ms": percentile([r["ms"] for r in rows], 50),
        "p95_ms": percentile([r["ms"] for r in rows], 95),
        "errors": sum(1 for r in rows if not r["ok"]),
        "http_5xx": sum(1 for r in rows if r["status"] >= 500),
        "no_answer": sum(1 for r in rows if r["status"] == 0),
    }


def per_server(reqs, names, span):
    """[{"server": host:port, figures…}] in the order of ``names`` (the servers run.sh
    started), then any other server a request went to."""
    seen = sorted({r["server"] for r in reqs} - set(names))
    return [
        {"server": name, **figures([r for r in reqs if r["server"] == name], span)}
        for name in [*names, *seen]
    ]


def judge_readbacks(args, result):
    """Add the read-backs' figures and problems to ``result``. A read-back is answered
    when the page came (200) and the project's row was found; it is fresh when the row
    shows a report still being written when the write began, stale otherwise."""
    problems = result["problems"]
    rows = [line.split("\t") for line in read_lines(args.readbacks)]
    # time, kind, project, written through, read on, page, result, shown, allowed values
    outcome = Counter(row[6] for row in rows)
    answered = [row for row in rows if row[6] in ("fresh", "stale")]
    ways = Counter(f"{row[3]} -> {row[4]}" for row in answered)
    stale = [row for row in rows if row[6] == "stale"]
    result.update(
        {
            "readbacks": len(answered),
            "readbacks_fresh": outcome["fresh"],
            "readbacks_by_way": dict(sorted(ways.items())),
            "readbacks_by_kind": dict(sorted(Counter(row[1] for row in answered).items())),
            "stale_reads": len(stale),
            "stale_detail": [
                f"{row[1]} on project {row[2]} through {row[3]}, {row[5]} on {row[4]} "
                f"showed {row[7]!r} (written at the time: {row[8]} value(s))"
                for row in stale[:20]
            ],
            "readbacks_unanswered": outcome["error"],
            "readbacks_unreadable": outcome["unreadable"],
        }
    )
    if stale:
        problems.append(f"{len(stale)} stale read(s) on the other app server")
    if outcome["unreadable"]:
        problems.append(
            f"{outcome['unreadable']} read-back(s) did not find the project's row (the "
            "check cannot tell fresh from stale)"
        )
    servers = [s["server"] for s in result["servers"]]
    if args.name == "load" and len(servers) > 1:
        missing = [
            f"{a} -> {b}" for a in servers for b in servers if a != b and not ways[f"{a} -> {b}"]
        ]
        if missing:
            problems.append(f"no read-back {', '.join(missing)} (the check proves nothing)")
    elif not answered:
        problems.append("no read-back was answered (the check proves nothing)")
