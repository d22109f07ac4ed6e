#!/usr/bin/env bash
# Re-restore of the same backup (a copy of the kept snapshot) against a first restore, side by
# side in one run on a sandbox this script starts itself. Production: `pgbench -i -s SIZE/15
# --foreign-keys` plus three indexes (default SIZE 300 MB), one backup captured. ROUNDS rounds
# (order rotated each round) of
#   f  first restore: `development restore --drop-snapshots` (untimed), then
#      `development restore production` timed (download, restore, verify, keep a snapshot, swap)
#   n  `development restore production --no-snapshot` (a first restore that keeps no snapshot)
#   r  re-restore: `development restore production` with the snapshot kept (copy, verify, swap)
#   w  `CREATE DATABASE … TEMPLATE snapshot STRATEGY WAL_LOG` alone (psql; dropped untimed)
#   c  the same with `STRATEGY FILE_COPY` (what parity uses)
# after one checked warm-up of f and r. Medians of wall time and the ratios r/f and r/n.
# The markdown report goes to stdout and into bench/RESULTS.md (bench/record), progress to stderr.
#   bench/snapshot.sh [--rounds N] [SIZE_MB]
# Needs the jar (mvn -DskipTests package), the official CLI (tools/install-heroku-cli) and
# PostgreSQL 15 (pgbench too). Everything is removed on exit, also on Ctrl-C.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD

rounds=5
size=300
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=${2:?--rounds needs a number}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]*|"") echo "snapshot.sh: SIZE is a whole number of MB (got '$1'); see --help" >&2; exit 2 ;;
    *) size=$1 ;;
  esac
  shift
done

jar=$root/dist/target/parity.jar
pgbin=/usr/lib/postgresql/15/bin
[ -f "$jar" ] || { echo "build first: mvn -DskipTests package" >&2; exit 1; }
[ -x "$root/tools/heroku-cli/node_modules/.bin/heroku" ] || { echo "install the official CLI first: tools/install-heroku-cli" >&2; exit 1; }
[ -x "$pgbin/pgbench" ] || { echo "needs PostgreSQL 15 in $pgbin" >&2; exit 1; }

say() { printf '[snapshot.sh %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
now_ms() { local t=${EPOCHREALTIME/./}; NOW=$((t / 1000)); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "?"; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { awk -v m="$1" 'BEGIN {printf "%.2f", m / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

work=$(mktemp -d /tmp/parity-bench-snapshot.XXXXXX)
chmod 711 "$work"
sandbox=$work/sandbox
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  "$root/bin/parity" sandbox stop --dir "$sandbox" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'echo >&2; say "interrupted; cleaning up"; exit 130' INT TERM

say "work directory $work; starting the sandbox"
exports=$("$root/bin/parity" sandbox start --dir "$sandbox" 2>"$work/start.err") || { cat "$work/start.err" >&2; exit 1; }
eval "$exports"
export HOME=$work/home XDG_CACHE_HOME=$work/cache NO_COLOR=1 TZ=UTC HEROKU_SKIP_ANALYTICS=1 HEROKU_DISABLE_AUTOUPDATE=1
mkdir -p "$HOME" "$XDG_CACHE_HOME"
export PATH=$pgbin:$root/tools/heroku-cli/bin:$PATH
app=bench-prod
"$root/bin/parity" sandbox create "$app" --dir "$sandbox" --postgres >/dev/null
prod_url=$(heroku config:get DATABASE_URL --app "$app" 2>/dev/null)
hostport=${prod_url#*@}; hostport=${hostport%%/*}
export PGHOST=${hostport%%:*} PGPORT=${hostport##*:} PGUSER=postgres
unset PGDATABASE PGPASSWORD

dev_db=bench_development
snapshot=${dev_db}_parity_snapshot_production
repo=$work/repo
mkdir -p "$repo"
git -C "$repo" init -q -b main
git -C "$repo" remote add production "$HEROKU_HOST/$app.git"
printf 'development:\n  database: %s\n  host: %s\n  port: %s\n  username: %s\n' "$dev_db" "$PGHOST" "$PGPORT" "$PGUSER" > "$repo/.parity.yml"
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

scale=$(( (size + 7) / 15 )); [ "$scale" -ge 1 ] || scale=1
say "pgbench -i -s $scale --foreign-keys into $app's database, plus 3 indexes"
pgbench -i -q -s "$scale" --foreign-keys "$prod_url" > "$work/pgbench.log" 2>&1 || { tail -20 "$work/pgbench.log" >&2; exit 1; }
psql -X -q -v ON_ERROR_STOP=1 -d "$prod_url" > "$work/index.log" 2>&1 <<'SQL' || { cat "$work/index.log" >&2; exit 1; }
CREATE INDEX pgbench_accounts_abalance ON pgbench_accounts (abalance);
CREATE INDEX pgbench_accounts_bid_abalance ON pgbench_accounts (bid, abalance);
CREATE INDEX pgbench_accounts_filler ON pgbench_accounts (filler);
VACUUM ANALYZE;
SQL
expect_rows=$((scale * 100000))
heroku pg:backups:capture --app "$app" > "$work/capture.log" 2>&1 || { cat "$work/capture.log" >&2; exit 1; }
db_mib=$(( $(q "${prod_url##*/}" "SELECT pg_database_size(current_database())") / 1048576 ))

check() {
  local rows
  rows=$(q "$dev_db" "SELECT count(*) FROM pgbench_accounts")
  [ "$rows" = "$expect_rows" ] || { say "$dev_db has $rows rows, expected $expect_rows"; exit 1; }
}

parity() { # NAME ARGS...: one timed run of bin/development restore ARGS, its stderr kept
  local name=$1 t0 rc=0; shift
  now_ms; t0=$NOW
  (cd "$repo" && "$root/bin/development" restore "$@") < /dev/null > "$work/$name.out" 2> "$work/$name.err" || rc=$?
  now_ms
  [ "$rc" -eq 0 ] || { say "development restore $* exited with $rc"; tail -20 "$work/$name.err" >&2; exit 1; }
  MS=$((NOW - t0))
}

run() { # VARIANT TAG
  local v=$1 tag=$2 t0
  q postgres "CHECKPOINT" > /dev/null; sync
  case $v in
    f) (cd "$repo" && "$root/bin/development" restore --drop-snapshots) > /dev/null 2>&1
       parity f production
       grep -q "parity: kept $snapshot" "$work/f.err" || { say "the first restore kept no snapshot"; cat "$work/f.err" >&2; exit 1; }
       check ;;
    n) parity n production --no-snapshot; check ;;
    r) parity r production
       grep -q "parity: copied the snapshot" "$work/r.err" || { say "the re-restore did not copy the snapshot"; cat "$work/r.err" >&2; exit 1; }
       check ;;
    w|c) local strategy=WAL_LOG; [ "$v" = c ] && strategy=FILE_COPY
       now_ms; t0=$NOW
       q postgres "CREATE DATABASE bench_copy TEMPLATE $snapshot STRATEGY $strategy"
       now_ms; MS=$((NOW - t0))
       q postgres "DROP DATABASE bench_copy" ;;
  esac
  [ "$tag" = warm ] || echo "$MS" >> "$work/$v.ms"
}

say "warm-up (checked): first restore, re-restore"
run f warm; run r warm
snap_mib=$(( $(q postgres "SELECT pg_database_size('$snapshot')") / 1048576 ))
order=(f r n w c)
for ((i = 0; i < rounds; i++)); do
  line=""
  for ((k = 0; k < ${#order[@]}; k++)); do
    v=${order[$(( (k + i) % ${#order[@]} ))]}
    run "$v" "$i"
    line+=" $v $(secs "$MS") s"
  done
  say "round $((i + 1))/$rounds:$line"
done
fm=$(median < "$work/f.ms"); nm=$(median < "$work/n.ms"); rm_=$(median < "$work/r.ms"); wm=$(median < "$work/w.ms"); cm=$(median < "$work/c.ms")
steps=$(grep -E '^parity: (copied|verified|kept|\[)' "$work/r.err" | sed 's/^/    /')
report=$work/report.md
{
  echo
  echo "## Re-restore from the kept snapshot (\`bench/snapshot.sh --rounds $rounds $size\`, $(date -u +%Y-%m-%d))"
  echo
  echo "Machine: $(nproc) cores, shared with other work (the load average below: timings are noisy; the ratios come from interleaved runs). PostgreSQL $(q postgres 'SHOW server_version' | awk '{print $1}') (the sandbox's throwaway cluster, fsync off)."
  echo "Production: \`pgbench -i -s $scale --foreign-keys\` + 3 indexes, $db_mib MiB; the snapshot takes $snap_mib MiB. Medians of $rounds interleaved rounds, ms (all runs in round order in brackets)."
  echo
  echo "| variant | median s | runs, ms |"
  echo "|---|---:|---|"
  echo "| (f) first restore, keeping a snapshot | $(secs "$fm") | $(tr '\n' ' ' < "$work/f.ms")|"
  echo "| (n) first restore, \`--no-snapshot\` | $(secs "$nm") | $(tr '\n' ' ' < "$work/n.ms")|"
  echo "| (r) re-restore of the same backup (snapshot copied) | $(secs "$rm_") | $(tr '\n' ' ' < "$work/r.ms")|"
  echo "| (w) \`CREATE DATABASE … TEMPLATE snapshot STRATEGY WAL_LOG\` alone | $(secs "$wm") | $(tr '\n' ' ' < "$work/w.ms")|"
  echo "| (c) the same, \`STRATEGY FILE_COPY\` | $(secs "$cm") | $(tr '\n' ' ' < "$work/c.ms")|"
  echo
  echo "Re-restore / first restore: **r/f $(ratio "$rm_" "$fm")**, r/n $(ratio "$rm_" "$nm") (target ≤ 0.15). Keeping the snapshot costs a first restore f/n $(ratio "$fm" "$nm"). FILE_COPY / WAL_LOG: $(ratio "$cm" "$wm")."
  echo "A re-restore's own lines (the last round):"
  echo
  echo '```'
  echo "$steps"
  echo '```'
} > "$report"
cat "$report"
"$root/bench/record" "snapshot.sh" < "$report"
