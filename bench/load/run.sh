#!/usr/bin/env bash
# Load and fault test for 龙岗改革台账, on loopback only (127.0.0.1).
#
# Starts a throwaway PostgreSQL cluster and two app servers on it (two gunicorn instances,
# 2 workers each, on APP_PORT and APP_PORT_2) with production-like settings, runs locust
# headless twice (a load phase, then a fault phase in which PostgreSQL is stopped and started
# again under load), each with a report period open in which unit liaisons write reports with
# a PDF attached; half the users write through each server and read every write back at once
# on the other one's cached pages. Checks that no read-back is stale and that every
# acknowledged progress report, period report and evidence file (row, stored bytes, SHA-256) is
# there, prints a summary (per server and in total) and writes it to artifacts/load-summary.txt.
# Exit 0 only if both phases pass. Cleans up everything it started on any exit. See
# bench/load/README.md.
#
# Run from anywhere, as root (CI) or as a normal user, after `make install-test`:
#     bench/load/run.sh
# Knobs (environment): LOAD_SECONDS FAULT_SECONDS FAULT_AT PG_DOWN_SECONDS LOAD_USERS
# LIAISON_USERS LIAISON_ACCOUNTS SPAWN_RATE LOAD_WAIT_MAX RECOVERY_LIMIT PG_PORT APP_PORT
# APP_PORT_2 PG_BIN SUMMARY_FILE.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

HOST=127.0.0.1 # never anything else
PG_PORT=${PG_PORT:-55433}
APP_PORT=${APP_PORT:-8765}
APP_PORT_2=${APP_PORT_2:-} # the second app server; APP_PORT + 1 unless set
LOAD_SECONDS=${LOAD_SECONDS:-60}
FAULT_SECONDS=${FAULT_SECONDS:-60}
FAULT_AT=${FAULT_AT:-20}
PG_DOWN_SECONDS=${PG_DOWN_SECONDS:-3}
LOAD_USERS=${LOAD_USERS:-20}
LIAISON_USERS=${LIAISON_USERS:-4}
LIAISON_ACCOUNTS=${LIAISON_ACCOUNTS:-30}
SPAWN_RATE=${SPAWN_RATE:-20}
LOAD_WAIT_MAX=${LOAD_WAIT_MAX:-0}
RECOVERY_LIMIT=${RECOVERY_LIMIT:-30}
SUMMARY_FILE=${SUMMARY_FILE:-artifacts/load-summary.txt}
ARTIFACTS=$ROOT/artifacts/load
DB_NAME=longgang_load
DB_USER=longgang_load
USER_PREFIX=loadtest
LIAISON_PREFIX=loadunit

log() { printf '\n== %s ==\n' "$*"; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}
now() { date +%s.%N; }

# ---------------------------------------------------------------- preconditions
for knob in PG_PORT APP_PORT LOAD_SECONDS FAULT_SECONDS FAULT_AT PG_DOWN_SECONDS LOAD_USERS \
  LIAISON_USERS LIAISON_ACCOUNTS SPAWN_RATE RECOVERY_LIMIT; do
  [[ ${!knob} =~ ^[0-9]+$ ]] || die "$knob must be a whole number, got '${!knob}'"
done
APP_PORT_2=${APP_PORT_2:-$((APP_PORT + 1))}
[[ $APP_PORT_2 =~ ^[0-9]+$ ]] || die "APP_PORT_2 must be a whole number, got '$APP_PORT_2'"
[[ $LOAD_WAIT_MAX =~ ^[0-9]+([.][0-9]+)?$ ]] || die "LOAD_WAIT_MAX must be a number of seconds"
((LOAD_SECONDS >= 10)) || die "LOAD_SECONDS must be at least 10"
((APP_PORT != APP_PORT_2 && APP_PORT != PG_PORT && APP_PORT_2 != PG_PORT)) ||
  die "PG_PORT, APP_PORT and APP_PORT_2 must be three different ports"
((LIAISON_USERS >= 1 && LIAISON_USERS < LOAD_USERS)) ||
  die "need 1 <= LIAISON_USERS < LOAD_USERS (the others are 改革办 users)"
((LIAISON_ACCOUNTS >= LIAISON_USERS)) || die "need LIAISON_ACCOUNTS >= LIAISON_USERS"
((FAULT_AT >= 5 && FAULT_AT + PG_DOWN_SECONDS + 15 <= FAULT_SECONDS)) ||
  die "need FAULT_AT >= 5 and FAULT_AT + PG_DOWN_SECONDS + 15 <= FAULT_SECONDS (time to recover)"

PY=$ROOT/.venv/bin/python
[[ -x $PY ]] || die "no virtualenv at $ROOT/.venv: run 'make install-test' first"
if ! "$PY" -c 'import locust' 2>/dev/null; then
  log "Installing locust (the 'load' extra)"
  "$PY" -m pip install --quiet -e '.[load]' || true
  if ! "$PY" -c 'import locust' 2>/dev/null; then
    echo "the 'load' extra did not provide locust; installing locust>=2.30 directly"
    "$PY" -m pip install --quiet 'locust>=2.30' || die "could not install locust"
  fi
fi
[[ -x $ROOT/.venv/bin/gunicorn ]] || die "gunicorn missing from .venv: run 'make install-test'"

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
if [[ -z $PG_BIN || ! -x $PG_BIN/initdb ]]; then
  die "PostgreSQL server binaries (initdb) not found in '${PG_BIN:-/usr/lib/postgresql/*/bin}'.
Install Debian's PostgreSQL first (apt-get install -y postgresql) or set PG_BIN."
fi
if ((EUID == 0)); then
  id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user (initdb refuses root)"
  as_pg() { runuser -u postgres -- "$@"; }
  PG_SUPER=postgres
else
  as_pg() { "$@"; }
  PG_SUPER=$(id -un)
fi

port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
port_busy "$PG_PORT" && die "port $HOST:$PG_PORT is in use; choose another with PG_PORT=..."
port_busy "$APP_PORT" && die "port $HOST:$APP_PORT is in use; choose another with APP_PORT=..."
port_busy "$APP_PORT_2" && die "port $HOST:$APP_PORT_2 is in use; choose another with APP_PORT_2=..."
APP_PORTS=("$APP_PORT" "$APP_PORT_2") # app server n listens on APP_PORTS[n-1]

# ---------------------------------------------------------------- cleanup on any exit
WORK=$(mktemp -d /tmp/longgang-load.XXXXXX)
PG_DIR=$(mktemp -d /tmp/longgang-load-pg.XXXXXX)
GUNICORN_PIDS=() # by app server
LOCUST_PID=""
POLL_PIDS=()

stop_pid() { # pid signal seconds: signal, wait, then SIGKILL
  local pid=$1 sig=$2 secs=$3
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((secs * 5))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}
pgctl() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" "$@"; }
pg_start() {
  pgctl -l "$PG_DIR/postgresql.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=$HOST" start >/dev/null
}
pg_stop() { pgctl -m fast -w -t 60 stop >/dev/null; }

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  for pid in "${POLL_PIDS[@]}"; do stop_pid "$pid" TERM 5; done
  stop_pid "$LOCUST_PID" TERM 15
  for pid in "${GUNICORN_PIDS[@]}"; do stop_pid "$pid" TERM 30; done
  [[ -f $PG_DIR/data/postmaster.pid ]] && pg_stop
  mkdir -p "$ARTIFACTS"
  cp -f "$WORK"/*.csv "$WORK"/*.json "$WORK"/*.log "$WORK"/*.out "$WORK"/*tokens* "$WORK"/*_db \
    "$ARTIFACTS"/ 2>/dev/null
  cp -f "$PG_DIR/postgresql.log" "$ARTIFACTS"/ 2>/dev/null
  rm -rf "$WORK" "$PG_DIR"
  if ((rc != 0)); then
    echo "bench/load/run.sh failed (exit $rc); logs are in ${ARTIFACTS#"$ROOT"/}/" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
rm -rf "$ARTIFACTS"

# ---------------------------------------------------------------- PostgreSQL
LOADAVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "PostgreSQL: throwaway cluster on $HOST:$PG_PORT ($PG_BIN)"
((EUID == 0)) && chown postgres:postgres "$PG_DIR"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 ||
  die "initdb failed: $(tail -n 5 "$WORK/initdb.log")"
pg_start || die "PostgreSQL did not start: $(tail -n 5 "$PG_DIR/postgresql.log")"
DB_PASSWORD=$("$PY" -c 'import secrets; print(secrets.token_hex(16))')
psql_super() { "$PG_BIN/psql" -h "$HOST" -p "$PG_PORT" -U "$PG_SUPER" -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
psql_super -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'"
psql_super -c "CREATE DATABASE $DB_NAME OWNER $DB_USER ENCODING 'UTF8'"
PG_VERSION=$(psql_super -c 'SHOW server_version' | cut -d' ' -f1)
echo "PostgreSQL $PG_VERSION ready"

# ---------------------------------------------------------------- the app, production-like
log "App: migrate, collectstatic, plan_2017, $LOAD_USERS load-test users, $LIAISON_ACCOUNTS liaisons"
# CACHE_URL too: each app server process keeps its own cache, which the read-backs prove fresh
unset STATICFILES_BACKEND SECURE_SSL_REDIRECT BEHIND_PROXY CSRF_TRUSTED_ORIGINS CACHE_URL
export DEBUG=false HTTPS=false ENV_FILE=/dev/null ALLOWED_HOSTS=$HOST AXES_ENABLED=false
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export DATABASE_URL="postgres://$DB_USER:$DB_PASSWORD@$HOST:$PG_PORT/$DB_NAME"
export PGPASSWORD=$DB_PASSWORD
LOAD_PASSWORD=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(16))')
export LOAD_PASSWORD LOAD_USER_PREFIX=$USER_PREFIX LOAD_USER_COUNT=$LOAD_USERS LOAD_WAIT_MAX
export LOAD_YEAR=2017 LOAD_PROJECTS=11
export LOAD_LIAISON_USERS=$LIAISON_USERS LOAD_LIAISON_PREFIX=$LIAISON_PREFIX
export LOAD_LIAISON_COUNT=$LIAISON_ACCOUNTS
# evidence files go to a folder of the run's own, checked byte for byte after each phase
export FILES_DIR=$WORK/files
mkdir -p "$FILES_DIR"

export LOAD_OFFICE_PROJECTS_FILE=$WORK/office-projects
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py loaddata plan_2017 -v0
"$PY" manage.py shell -v0 -c '
import os
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from projects import roles
from projects.models import Project
from units.models import Unit

expected = int(os.environ["LOAD_PROJECTS"])
found = Project.objects.filter(plan__year=int(os.environ["LOAD_YEAR"])).count()
if found != expected:
    raise SystemExit(f"expected {expected} projects in the plan, found {found}")
office = Group.objects.get(name=roles.REFORM_OFFICE)
hashed = make_password(os.environ["LOAD_PASSWORD"])  # hash once: 20 PBKDF2 runs take seconds
prefix, count = os.environ["LOAD_USER_PREFIX"], int(os.environ["LOAD_USER_COUNT"])
for i in range(1, count + 1):
    user, _ = get_user_model().objects.update_or_create(
        username=f"{prefix}{i:02d}", defaults={"password": hashed, "last_name": f"负载测试{i:02d}"}
    )
    user.groups.add(office)
print(f"{count} users {prefix}01..{prefix}{count:02d} in {roles.REFORM_OFFICE}; {found} projects")
# liaisons, each of a unit of its own taking part in every project: a unit writes one report
# per project and period, so each account has one per project to write
liaison = Group.objects.get(name=roles.UNIT_LIAISON)
prefix, count = os.environ["LOAD_LIAISON_PREFIX"], int(os.environ["LOAD_LIAISON_COUNT"])
projects = list(Project.objects.filter(plan__year=int(os.environ["LOAD_YEAR"])))
for i in range(1, count + 1):
    unit, _ = Unit.objects.get_or_create(name=f"负载测试单位{i:02d}")
    for project in projects:
        project.participating_units.add(unit)
    user, _ = get_user_model().objects.update_or_create(
        username=f"{prefix}{i:02d}", defaults={"password": hashed, "unit": unit}
    )
    user.groups.add(liaison)
print(f"{count} liaisons {prefix}01..{prefix}{count:02d} in {roles.UNIT_LIAISON}, each its own unit")
# the office writes its reports on projects without a lead unit: the one report a lead unit
# owes per period would otherwise be refused the second time
office_projects = sorted(p.number for p in projects if p.lead_unit_id is None)
with open(os.environ["LOAD_OFFICE_PROJECTS_FILE"], "w") as out:
    out.write(",".join(map(str, office_projects)))
'

LOAD_OFFICE_PROJECTS=$(cat "$LOAD_OFFICE_PROJECTS_FILE")
export LOAD_OFFICE_PROJECTS
echo "改革办 users report on projects $LOAD_OFFICE_PROJECTS (no lead unit)"

# Two app servers on the one database, as behind a load balancer: each its own gunicorn
# (its own processes, so its own per-process cache), files in the one FILES_DIR.
log "gunicorn: two app servers, 2 workers each, on $HOST:$APP_PORT and $HOST:$APP_PORT_2"
for n in 1 2; do
  "$ROOT/.venv/bin/gunicorn" longgang_reform.wsgi --workers 2 --bind "$HOST:${APP_PORTS[n - 1]}" \
    --pid "$WORK/gunicorn-$n.pid" --error-logfile "$WORK/gunicorn-$n.log" --capture-output &
  GUNICORN_PIDS+=($!)
done
for n in 1 2; do
  "$PY" bench/load/check.py wait "http://$HOST:${APP_PORTS[n - 1]}/healthz" --timeout 30 ||
    die "app server $n did not answer /healthz within 30 s: $(tail -n 20 "$WORK/gunicorn-$n.log")"
  kill -0 "${GUNICORN_PIDS[n - 1]}" 2>/dev/null ||
    die "app server $n exited: $(tail -n 20 "$WORK/gunicorn-$n.log")"
  echo "app server $n ($HOST:${APP_PORTS[n - 1]}): gunicorn master ${GUNICORN_PIDS[n - 1]}," \
    "workers $("$PY" bench/load/check.py children "${GUNICORN_PIDS[n - 1]}")"
done
masters() { # the gunicorn master PID of each app server ("dead" if gone), one a line
  for n in 1 2; do
    if kill -0 "${GUNICORN_PIDS[n - 1]}" 2>/dev/null && [[ -f $WORK/gunicorn-$n.pid ]]; then
      cat "$WORK/gunicorn-$n.pid"
    else
      echo dead
    fi
  done
}

# ---------------------------------------------------------------- locust
start_locust() { # phase seconds
  local phase=$1 secs=$2
  LOAD_PHASE=$phase LOAD_TOKENS_FILE="$WORK/$phase.tokens" \
    LOAD_REQUEST_LOG="$WORK/$phase-requests.csv" \
    LOAD_HOSTS="http://$HOST:$APP_PORT,http://$HOST:$APP_PORT_2" \
    "$ROOT/.venv/bin/locust" -f bench/load/locustfile.py --headless \
    --host "http://$HOST:$APP_PORT" -u "$LOAD_USERS" -r "$SPAWN_RATE" -t "${secs}s" \
    --stop-timeout 10 --exit-code-on-error 0 --only-summary --csv "$WORK/$phase" \
    --loglevel WARNING --logfile "$WORK/$phase-locust.log" >"$WORK/$phase-locust.out" 2>&1 &
  LOCUST_PID=$!
}
finish_locust() { # phase
  local rc=0
  wait "$LOCUST_PID" || rc=$?
  LOCUST_PID=""
  ((rc == 0)) || die "locust ($1 phase) exited with $rc: $(tail -n 20 "$WORK/$1-locust.out")"
  [[ -f $WORK/$1-requests.csv && -f $WORK/$1.tokens ]] ||
    die "locust ($1 phase) wrote no results: $(tail -n 20 "$WORK/$1-locust.out")"
}
psql_app() { "$PG_BIN/psql" -h "$HOST" -p "$PG_PORT" -U "$DB_USER" -d "$DB_NAME" -v ON_ERROR_STOP=1 -qtA "$@"; }
db_tokens() { # phase: what this phase wrote that is in the database
  # the office's reports, by summary
  psql_app -c "SELECT summary FROM projects_progressupdate WHERE summary LIKE 'load-$1-%'" \
    >"$WORK/$1.db_tokens"
  # the liaisons' period reports: summary, state, period, unit
  psql_app -F $'\t' -c "SELECT u.summary, u.state, COALESCE(p.name, ''), COALESCE(n.name, '')
    FROM projects_progressupdate u LEFT JOIN projects_reportperiod p ON p.id = u.period_id
    LEFT JOIN units_unit n ON n.id = u.unit_id WHERE u.summary LIKE 'loadp-$1-%'" \
    >"$WORK/$1.period_db"
  # their files: report summary, name, stored name, SHA-256, size, kept or removed
  psql_app -F $'\t' -c "SELECT u.summary, a.original_name, a.stored_name, a.sha256, a.size,
    CASE WHEN a.removed_at IS NULL THEN 'kept' ELSE 'removed' END
    FROM evidence_attachment a JOIN django_content_type t ON t.id = a.content_type_id
    JOIN projects_progressupdate u ON u.id = a.object_id
    WHERE t.app_label = 'projects' AND t.model = 'progressupdate'
    AND u.summary LIKE 'loadp-$1-%'" >"$WORK/$1.files_db"
  # every stored name a row holds (a file in storage without one is an orphan)
  psql_app -c "SELECT stored_name FROM evidence_attachment WHERE removed_at IS NULL" \
    >"$WORK/$1.stored_names"
}
open_period() { # phase: close the open period (if any) and open this phase's
  LOAD_PERIOD_NAME="负载测试（$1）" "$PY" manage.py shell -v0 -c '
import os
from django.contrib.auth import get_user_model
from django.utils import timezone
from projects import reporting
from projects.models import ReformPlan, ReportPeriod

plan = ReformPlan.objects.get(year=int(os.environ["LOAD_YEAR"]))
office = get_user_model().objects.get(username=os.environ["LOAD_USER_PREFIX"] + "01")
for period in plan.periods.filter(status="open"):
    reporting.close_period(period, office, period.version)
today = timezone.localdate()
period = ReportPeriod(name=os.environ["LOAD_PERIOD_NAME"], starts_on=today, ends_on=today,
                      due_on=today, tiers=["district"])
reporting.open_period(plan, office, period)
print(f"report period open: {period.name}, due {period.due_on}")
'
}
judge() { # phase seconds [more check.py arguments]: judge one phase
  local phase=$1 secs=$2
  shift 2
  "$PY" bench/load/check.py phase --name "$phase" --seconds "$secs" \
    --requests "$WORK/$phase-requests.csv" \
    --acked "$WORK/$phase.tokens" --attempted "$WORK/$phase.tokens.attempted" \
    --db-tokens "$WORK/$phase.db_tokens" --out "$WORK/$phase.json" \
    --period-acked "$WORK/$phase.tokens.period" \
    --period-attempted "$WORK/$phase.tokens.period.attempted" \
    --period-db "$WORK/$phase.period_db" --period-name "负载测试（$phase）" \
    --files-acked "$WORK/$phase.tokens.files" --files-db "$WORK/$phase.files_db" \
    --files-dir "$FILES_DIR" --stored-names "$WORK/$phase.stored_names" \
    --readbacks "$WORK/$phase.tokens.readbacks" --server "$HOST:$APP_PORT" \
    --server "$HOST:$APP_PORT_2" "$@"
}

RESULTS=()
PHASE_RC=0

log "Load phase: $LOAD_USERS users for $LOAD_SECONDS s ($LIAISON_USERS of them liaisons writing period reports with a PDF)"
open_period load
start_locust load "$LOAD_SECONDS"
finish_locust load
db_tokens load
judge load "$LOAD_SECONDS" || PHASE_RC=1
RESULTS+=("$WORK/load.json")

log "Fault phase: $FAULT_SECONDS s of load; PostgreSQL stopped at +$FAULT_AT s for $PG_DOWN_SECONDS s"
open_period fault
mapfile -t MASTERS_BEFORE < <(masters)
FAULT_ARGS=()
for n in 1 2; do
  FAULT_ARGS+=(--health "$WORK/healthz-$n.log" --master-before "${MASTERS_BEFORE[n - 1]}"
    --workers-before "$("$PY" bench/load/check.py children "${MASTERS_BEFORE[n - 1]}")")
  "$PY" bench/load/check.py poll "http://$HOST:${APP_PORTS[n - 1]}/healthz" \
    "$WORK/healthz-$n.log" --interval 0.2 &
  POLL_PIDS+=($!)
done
T_START=$(now)
start_locust fault "$FAULT_SECONDS"
sleep "$FAULT_AT"
kill -0 "$LOCUST_PID" 2>/dev/null || die "locust stopped early: $(tail -n 20 "$WORK/fault-locust.out")"
T_DOWN=$(now)
pg_stop || die "pg_ctl stop failed"
echo "PostgreSQL stopped at +$(awk "BEGIN{printf \"%.1f\", $T_DOWN - $T_START}") s"
sleep "$PG_DOWN_SECONDS"
pg_start || die "PostgreSQL did not start again: $(tail -n 5 "$PG_DIR/postgresql.log")"
T_UP=$(now)
echo "PostgreSQL accepting connections again after $(awk "BEGIN{printf \"%.1f\", $T_UP - $T_DOWN}") s; load continues"
finish_locust fault
# let the pollers see the servers answer if they have not yet, up to RECOVERY_LIMIT after the
# restart
for port in "${APP_PORTS[@]}"; do
  "$PY" bench/load/check.py wait "http://$HOST:$port/healthz" \
    --timeout "$(awk "BEGIN{t = $T_UP + $RECOVERY_LIMIT - $(now); print (t > 1 ? t : 1)}")" || true
done
sleep 0.5
for pid in "${POLL_PIDS[@]}"; do stop_pid "$pid" TERM 5; done
POLL_PIDS=()
mapfile -t MASTERS_AFTER < <(masters)
for n in 1 2; do
  WORKERS_AFTER=""
  [[ ${MASTERS_AFTER[n - 1]} != dead ]] &&
    WORKERS_AFTER=$("$PY" bench/load/check.py children "${MASTERS_AFTER[n - 1]}")
  FAULT_ARGS+=(--master-after "${MASTERS_AFTER[n - 1]}" --workers-after "$WORKERS_AFTER")
done
db_tokens fault
judge fault "$FAULT_SECONDS" --t-start "$T_START" --t-down "$T_DOWN" --t-up "$T_UP" \
  --recovery-limit "$RECOVERY_LIMIT" "${FAULT_ARGS[@]}" || PHASE_RC=1
RESULTS+=("$WORK/fault.json")

# ---------------------------------------------------------------- summary
log "Summary"
LOCUST_VERSION=$("$PY" -c 'import locust; print(locust.__version__)')
GUNICORN_VERSION=$("$PY" -c 'import gunicorn; print(gunicorn.__version__)')
DJANGO_VERSION=$("$PY" -c 'import django; print(django.get_version())')
WAIT_NOTE="no think time"
[[ $LOAD_WAIT_MAX != 0 ]] && WAIT_NOTE="think time 0–$LOAD_WAIT_MAX s"
LOADAVG_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
SUMMARY_RC=0
SUMMARY_PATH=$SUMMARY_FILE # relative to the repo, or absolute
[[ $SUMMARY_PATH == /* ]] || SUMMARY_PATH=$ROOT/$SUMMARY_PATH
"$PY" bench/load/check.py summary "${RESULTS[@]}" --out "$SUMMARY_PATH" \
  --context "$(date '+%Y-%m-%d %H:%M %Z'), $(nproc) CPU cores shared by locust, both app servers and PostgreSQL (load average $LOADAVG_BEFORE before, $LOADAVG_AFTER after); 127.0.0.1 only." \
  --context "Django $DJANGO_VERSION (DEBUG off), two app servers on one database: gunicorn $GUNICORN_VERSION on $HOST:$APP_PORT (server 1) and $HOST:$APP_PORT_2 (server 2), 2 sync workers each, each worker with its own in-memory cache (the default); PostgreSQL $PG_VERSION (throwaway cluster, CONN_MAX_AGE ${CONN_MAX_AGE:-60}, health checks on), plan_2017 (11 projects)." \
  --context "locust $LOCUST_VERSION, one process, $LOAD_USERS users (spawn $SPAWN_RATE/s), $WAIT_NOTE, half of each kind writing through each server: $((LOAD_USERS - LIAISON_USERS)) signed-in 改革办 users, page views (dashboard, list, project page) : progress reports = 9 : 1; $LIAISON_USERS 牵头单位联络员 users ($LIAISON_ACCOUNTS accounts, each a unit of its own taking part in every project) writing the open period's reports: draft, project page, a PDF through the multipart upload form, submit. After each acknowledged report or submission, a read-back of the project's row on the other server's dashboard or list." \
  || SUMMARY_RC=$?
echo "(written to $SUMMARY_FILE; logs in ${ARTIFACTS#"$ROOT"/}/)"
((PHASE_RC == 0 && SUMMARY_RC == 0))
