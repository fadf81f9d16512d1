#!/usr/bin/env bash
# Lighthouse scores (performance, accessibility, best practices) of the dashboard, the
# project list and a project page, signed in, served by gunicorn with production settings
# (DEBUG off, hashed and compressed static files) on 127.0.0.1 over plain HTTP.
# Usage: bash bench/lighthouse/run.sh   (after `make install-test`; needs Node 20 + npm and
# Debian's chromium). Scores are printed and written to artifacts/lighthouse/summary.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PORT=${LIGHTHOUSE_PORT:-8766}
OUT=$ROOT/artifacts/lighthouse
WORK=$(mktemp -d /tmp/longgang-lh.XXXXXX)
mkdir -p "$OUT"

export DEBUG=false HTTPS=false ENV_FILE=/dev/null ALLOWED_HOSTS=127.0.0.1
export SECRET_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
export DATABASE_URL="sqlite:///$WORK/lighthouse.sqlite3"
PY=$ROOT/.venv/bin/python

cleanup() { [ -n "${GUNICORN_PID:-}" ] && kill "$GUNICORN_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install chromium)"; exit 1; }
(cd bench/lighthouse && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py loaddata plan_2017 -v0
# a signed-in reform-office user, and one progress report so every part of the pages shows
SESSION=$($PY manage.py shell -v0 -c "
from datetime import date
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from projects.models import ProgressUpdate, Project
from units.models import User
user = User.objects.create_user('lighthouse', last_name='灯塔测试')
user.groups.add(Group.objects.get(name='改革办'))
ProgressUpdate.objects.create(project=Project.objects.get(number=2), reported_on=date.today(),
    summary='完成质量标准初稿', status='warning', percent_complete=35, author=user)
s = SessionStore()
s[SESSION_KEY] = str(user.pk); s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
s[HASH_SESSION_KEY] = user.get_session_auth_hash(); s.create()
print(s.session_key)
" | tail -n 1)

$ROOT/.venv/bin/gunicorn longgang_reform.wsgi --workers 2 --bind 127.0.0.1:$PORT \
  --log-level warning &
GUNICORN_PID=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

FLAGS="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
: > "$OUT/summary.txt"
for page in "dashboard /" "list /projects/" "project /projects/2017/2/"; do
  set -- $page
  CHROME_PATH=$(command -v chromium) bench/lighthouse/node_modules/.bin/lighthouse \
    "http://127.0.0.1:$PORT$2" --quiet --output=json --output-path="$OUT/$1.json" \
    --only-categories=performance,accessibility,best-practices \
    --extra-headers="{\"Cookie\": \"sessionid=$SESSION\"}" \
    --chrome-flags="$FLAGS" --preset=desktop >/dev/null 2>&1 || true
  $PY - "$OUT/$1.json" "$1" <<'PY' | tee -a "$OUT/summary.txt"
import json, sys
path, name = sys.argv[1], sys.argv[2]
report = json.load(open(path))
cats = report["categories"]
scores = {k: round((v["score"] or 0) * 100) for k, v in cats.items()}
failing = [
    f"{a['id']} ({round((a['score'] or 0) * 100)})"
    for cat in cats.values()
    for ref in cat["auditRefs"]
    if ref["weight"] > 0
    for a in [report["audits"][ref["id"]]]
    if a["score"] is not None and a["score"] < 1
]
print(f"{name:<10} performance {scores['performance']:>3}  accessibility "
      f"{scores['accessibility']:>3}  best-practices {scores['best-practices']:>3}"
      + (f"  below 100: {', '.join(failing)}" if failing else ""))
PY
done
