#!/usr/bin/env bash
# Throughput of the main pages against the floor (a trivial signed-in page), issue 15.
#
#   DATABASE_URL=postgres://USER:PASS@127.0.0.1:PORT/DB bench/throughput/throughput.sh
#
# gunicorn (2 workers) on 127.0.0.1, `wrk -t2 -c16 -d$SECONDS_EACH`, signed in as a member
# of 改革办. Each round measures the floor and every page of each app in turn
# (interleaved), ROUNDS times; the table gives the median req/s and the ratio to the
# floor of the same app. BEFORE=DIR (a checkout of the code to compare, e.g. from
# `git archive main`) serves that code too, on the same database, in the same rounds.
# The floor URL comes from a settings overlay in this folder, not from the app.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"
GUNICORN="$(dirname "$PY")/gunicorn"
ROUNDS="${ROUNDS:-2}"
SECONDS_EACH="${SECONDS_EACH:-8}"
PORT_AFTER="${PORT_AFTER:-8776}"
PORT_BEFORE="${PORT_BEFORE:-8777}"
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database}"

export DATABASE_URL DEBUG=false HTTPS=false ENV_FILE=/dev/null LOG_LEVEL=WARNING \
  ALLOWED_HOSTS=127.0.0.1,testserver,localhost \
  STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage \
  SECRET_KEY="${SECRET_KEY:-throughput-only-key-not-secret-0123456789-abcdefghijklmnop}"

(cd "$ROOT" && "$PY" manage.py migrate -v0)
read -r SESSION SESSION_BEFORE SMALL LARGE NUMBER < <(cd "$ROOT" && "$PY" "$HERE/prepare.py" | tail -1)

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

serve() {  # serve CODE_DIR PORT
  (cd "$1" && DJANGO_SETTINGS_MODULE=settings_floor "$GUNICORN" --pythonpath "$HERE,$1" \
    -w 2 -b "127.0.0.1:$2" --log-level warning longgang_reform.wsgi:application) &
  PIDS+=("$!")
  for _ in $(seq 60); do curl -fs -o /dev/null "http://127.0.0.1:$2/healthz" && return; sleep 1; done
  echo "gunicorn on $2 did not start" >&2; exit 1
}

APPS=("after:$ROOT:$PORT_AFTER")
[ -n "${BEFORE:-}" ] && APPS=("before:$BEFORE:$PORT_BEFORE" "${APPS[@]}")
for app in "${APPS[@]}"; do IFS=: read -r _ dir port <<<"$app"; serve "$dir" "$port"; done

PAGES=(
  "floor|/_floor/"
  "dashboard 11|/?year=$SMALL"
  "list 11|/projects/?year=$SMALL"
  "project page 11|/projects/$SMALL/$NUMBER/"
  "dashboard 2000|/?year=$LARGE"
  "list 2000|/projects/?year=$LARGE"
  "project page 2000|/projects/$LARGE/$NUMBER/"
)
RESULTS="$(mktemp)"
for round in $(seq "$ROUNDS"); do
  for app in "${APPS[@]}"; do
    IFS=: read -r name _dir port <<<"$app"
    cookie="sessionid=$SESSION"
    [ "$name" = before ] && cookie="sessionid=$SESSION_BEFORE"  # the backend it knows
    for page in "${PAGES[@]}"; do
      label="${page%%|*}"; url="http://127.0.0.1:$port${page#*|}"
      status="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$url")"
      [ "$status" = 200 ] || { echo "$name $label: HTTP $status" >&2; exit 1; }
      rps="$(wrk -t2 -c16 -d"${SECONDS_EACH}s" -H "Cookie: $cookie" "$url" \
        | awk '/Requests\/sec/ {print $2}')"
      echo "$name|$label|$round|$rps" >>"$RESULTS"
      echo "round $round $name $label: $rps req/s" >&2
    done
  done
done

"$PY" - "$RESULTS" <<'PYEOF'
import statistics, sys
rows = [line.strip().split("|") for line in open(sys.argv[1]) if line.strip()]
apps = list(dict.fromkeys(r[0] for r in rows))
pages = list(dict.fromkeys(r[1] for r in rows))
med = {(a, p): statistics.median(float(r[3]) for r in rows if r[0] == a and r[1] == p)
       for a in apps for p in pages}
head = f"{'page':<18}" + "".join(f"{a + ' req/s':>14}{'/floor':>8}" for a in apps)
print(head)
for p in pages:
    line = f"{p:<18}"
    for a in apps:
        floor = med[(a, "floor")]
        line += f"{med[(a, p)]:>14.0f}{med[(a, p)] / floor:>8.2f}"
    print(line)
PYEOF
