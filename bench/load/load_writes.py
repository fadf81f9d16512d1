"""What a load phase wrote, checked after it (bench/load/check.py): the period reports the
liaisons submitted and the evidence files they uploaded. Standard library only."""

import hashlib
from pathlib import Path


def read_lines(path):
    p = Path(path)
    if not p.exists():
        return []
    return [line.strip() for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def _tsv(path):
    return [line.split("\t") for line in read_lines(path)]


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def judge_period_reports(args):
    """Period reports: (acknowledged, missing or not submitted in the phase's period,
    written but not acknowledged, rows of unknown tokens)."""
    acked = read_lines(args.period_acked)
    attempted = set(read_lines(args.period_attempted))
    rows = {token: rest for token, *rest in _tsv(args.period_db)}
    wrong = []
    for token in acked:
        row = rows.get(token)
        if row is None:
            wrong.append(f"{token}: no row")
        elif row[0] not in ("submitted", "accepted") or row[1] != args.period_name:
            wrong.append(f"{token}: state {row[0]!r}, period {row[1]!r}")
    unacked = len((set(rows) & attempted) - set(acked))
    return len(acked), wrong, unacked, len(set(rows) - attempted)


def judge_files(args):
    """Evidence files: (acknowledged, lost with the reason, orphan files in storage)."""
    acked = _tsv(args.files_acked)
    rows = {(token, name): rest for token, name, *rest in _tsv(args.files_db)}
    folder = Path(args.files_dir)
    lost = []
    for token, name, sha, size in acked:
        row = rows.get((token, name))
        if row is None:
            lost.append(f"{name}: no row")
            continue
        stored, row_sha, row_size, kept = row
        stored_file = folder / stored
        if kept != "kept" or (row_sha, row_size) != (sha, size):
            lost.append(f"{name}: row {kept}, sha256 {row_sha[:12]}, size {row_size}")
        elif not stored_file.is_file():
            lost.append(f"{name}: {stored} missing from storage")
        elif _sha256(stored_file) != sha:
            lost.append(f"{name}: {stored} does not hash to what was sent")
    known = set(read_lines(args.stored_names))
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    return len(acked), lost, len(on_disk - known)


def judge_writes(args, result):
    """Add the period reports' and files' figures and problems to ``result``."""
    problems = result["problems"]
    acked_n, wrong, unacked, unknown = judge_period_reports(args)
    files_n, files_lost, orphans = judge_files(args)
    result.update(
        {
            "period_reports_acknowledged": acked_n,
            "period_reports_lost": len(wrong),
            "period_reports_lost_detail": wrong[:20],
            "period_reports_written_not_acknowledged": unacked,
            "period_reports_unknown_rows": unknown,
            "files_acknowledged": files_n,
            "files_lost": len(files_lost),
            "files_lost_detail": files_lost[:20],
            "files_orphaned_in_storage": orphans,
        }
    )
    if acked_n == 0 or files_n == 0:
        problems.append("no period report or file was acknowledged (the check proves nothing)")
    if wrong:
        problems.append(f"{len(wrong)} acknowledged period report(s) missing or not submitted")
    if files_lost:
        problems.append(f"{len(files_lost)} acknowledged file(s) missing, changed or unstored")
    if unknown:
        problems.append("unexpected period report rows in the database (unknown tokens)")


def print_writes(r):
    if "period_reports_acknowledged" not in r:
        return
    print(
        f"    period reports with a PDF: submitted and acknowledged "
        f"{r['period_reports_acknowledged']}, missing or not submitted "
        f"{r['period_reports_lost']}, in the database without acknowledgement "
        f"{r['period_reports_written_not_acknowledged']} (drafts of interrupted runs); "
        f"files acknowledged {r['files_acknowledged']}, lost {r['files_lost']} (row, "
        f"stored bytes and SHA-256 checked), orphaned in storage "
        f"{r['files_orphaned_in_storage']}"
    )
    for detail in r["period_reports_lost_detail"] + r["files_lost_detail"]:
        print(f"      lost: {detail}")
