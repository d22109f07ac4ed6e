#!/usr/bin/env bash
# `development restore production` against the original gem's sequence and the floor, side by side
# in one run on a sandbox this script starts itself. For each SIZE (MB of production database,
# default 250 and 1000): an app bench-prod with Postgres loaded by `pgbench -i -s SIZE/15
# --foreign-keys` plus three indexes on pgbench_accounts, a backup captured
# (`heroku pg:backups:capture`), and ROUNDS rounds (order rotated each round) of
#   a  parity: `bin/development restore production --no-snapshot` in a Rails-like repository (the real
#      launcher; a first restore every round: re-restores from the kept snapshot are bench/snapshot.sh's)
#   b  gem:    `heroku pg:backups:url`, `curl -o FILE URL`, `dropdb`, `createdb`,
#              `pg_restore --no-acl --no-owner -j1 -d DB FILE`, `rm FILE` (what the gem runs)
#   c  floor:  `curl -o FILE URL` + `pg_restore --no-acl --no-owner -j2` into a fresh empty database
#              (created beforehand, untimed; the URL already known)
#   u  `heroku pg:backups:url` alone, for reference (b pays for it; a uses the data API; c does not)
# after one untimed, checked warm-up of each. Medians of wall time, ratios a/b and a/c, and the
# peak memory of (a): the parity JVM's own (VmHWM sampled from /proc) and, where /usr/bin/time
# exists, the whole process tree's (its %M, which includes the heroku CLI and pg_restore).
# The markdown report goes to stdout and into bench/RESULTS.md (bench/record), progress to stderr.
#   bench/restore.sh [--rounds N] [SIZE_MB...]
#     --rounds N   rounds per size (default 5; 250 and 1000 MB: about 8 minutes on 2 idle cores)
# Needs the jar (mvn -DskipTests package), the official CLI (tools/install-heroku-cli), PostgreSQL
# 15's server and client binaries (pgbench too) and curl. The local development databases live on
# the sandbox's own throwaway cluster. Everything is removed on exit, also on Ctrl-C.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD

rounds_opt=""
sizes=()
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds_opt=${2:?--rounds needs a number}; shift ;;
    --rounds=*) rounds_opt=${1#--rounds=} ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]*|"") echo "restore.sh: SIZE is a whole number of MB (got '$1'); see --help" >&2; exit 2 ;;
    *) sizes+=("$1") ;;
  esac
  shift
done
[ ${#sizes[@]} -gt 0 ] || sizes=(250 1000)
if [ -n "$rounds_opt" ]; then
  case $rounds_opt in *[!0-9]*|0) echo "restore.sh: --rounds needs a positive number" >&2; exit 2 ;; esac
fi

jar=$root/dist/target/parity.jar
heroku=$root/tools/heroku-cli/node_modules/.bin/heroku # run as tools/heroku-cli/bin/heroku (picks the Node)
pgbin=/usr/lib/postgresql/15/bin
[ -f "$jar" ] || { echo "build first: mvn -DskipTests package" >&2; exit 1; }
[ -x "$heroku" ] || { echo "install the official CLI first: tools/install-heroku-cli" >&2; exit 1; }
[ -x "$pgbin/pgbench" ] && [ -x "$pgbin/pg_restore" ] || { echo "needs PostgreSQL 15 in $pgbin (apt install postgresql-15)" >&2; exit 1; }
command -v curl >/dev/null || { echo "needs curl" >&2; exit 1; }

say() { printf '[restore.sh %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
now_ms() { local t=${EPOCHREALTIME/./}; NOW=$((t / 1000)); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "?"; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { awk -v m="$1" 'BEGIN {printf "%.2f", m / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
mib() { case $1 in ""|"?"|n/a) echo "n/a" ;; *) awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}' ;; esac; }

# ---- the sandbox, and cleanup on any exit ------------------------------------------------------
work=$(mktemp -d /tmp/parity-bench-restore.XXXXXX)
chmod 711 "$work" # the cluster's server runs as nobody when we are root: it must pass through
sandbox=$work/sandbox
bg_pids=()
descendants() { local c; for c in $(pgrep -P "$1" 2>/dev/null); do echo "$c"; descendants "$c"; done; }
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # parity's own children (the heroku CLI, pg_restore) do not go with it: the whole tree, parents first
  local tree=() p
  for p in "${bg_pids[@]}"; do tree+=("$p" $(descendants "$p")); done
  for p in "${tree[@]}"; do kill "$p" 2>/dev/null || true; done
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
# The cluster's own binaries first (Debian's /usr/bin ones are a perl wrapper), then the pinned CLI.
export PATH=$pgbin:$root/tools/heroku-cli/bin:$PATH
app=bench-prod
"$root/bin/parity" sandbox create "$app" --dir "$sandbox" --postgres >/dev/null
prod_url=$(heroku config:get DATABASE_URL --app "$app" 2>/dev/null)
case $prod_url in postgres://*) ;; *) echo "no DATABASE_URL for $app: '$prod_url'" >&2; exit 1 ;; esac
hostport=${prod_url#*@}; hostport=${hostport%%/*}
export PGHOST=${hostport%%:*} PGPORT=${hostport##*:} PGUSER=postgres
unset PGDATABASE PGPASSWORD
prod_db=${prod_url##*/}
# Autovacuum stays on, as on a user's machine: parity's check for other connections to the local
# database counts client backends only, so its workers busy with the last restore are no obstacle.

# The user's repository: `production` remote at the sandbox app, Rails' database.yml naming the
# local database (on the sandbox's cluster: host, port and user said explicitly, as a user would).
dev_db=bench_development
gem_db=bench_gem_development
floor_db=bench_floor
repo=$work/repo
mkdir -p "$repo/config"
git -C "$repo" init -q -b main
git -C "$repo" remote add production "$HEROKU_HOST/$app.git"
printf "source 'https://rubygems.org'\ngem 'rails'\n" > "$repo/Gemfile"
printf 'development:\n  adapter: postgresql\n  database: %s\n  host: %s\n  port: %s\n  username: %s\n' \
  "$dev_db" "$PGHOST" "$PGPORT" "$PGUSER" > "$repo/config/database.yml"
say "this build's plan (bin/development restore production --dry-run):"
(cd "$repo" && "$root/bin/development" restore production --dry-run) 2>&1 | sed 's/^/    /' >&2 || true

q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then have_time=yes; else have_time=no; fi

# stamp T0: each line prefixed with milliseconds since T0 (parity's step lines: where the time goes)
stamp() {
  local t0=$1 line t
  while IFS= read -r line; do
    t=${EPOCHREALTIME/./}
    printf '%7d ms  %s\n' $(( t / 1000 - t0 )) "$line"
  done
}

# ---- the variants: each appends wall ms to $work/NAME.ms ----------------------------------------
fail() { # NAME: what failed, and the tail of its stderr
  say "FAILED: $1"
  [ -f "$work/$1.err" ] && tail -25 "$work/$1.err" >&2
  exit 1
}

run_parity() { # parity's run; also its JVM's peak (VmHWM) and the tree's (/usr/bin/time %M)
  local tag=$1 tpid jpid="" hwm=0 k v rc t0
  rm -rf "$XDG_CACHE_HOME/parity" "$HOME/.cache/parity" # no kept dump from an earlier round
  rm -f "$work/a.fifo" "$work/a.tree"; mkfifo "$work/a.fifo"
  now_ms; t0=$NOW
  stamp "$t0" < "$work/a.fifo" > "$work/a.err" &
  local spid=$!
  bg_pids+=("$spid")
  if [ $have_time = yes ]; then
    (cd "$repo" && exec /usr/bin/time -f %M -o "$work/a.tree" "$root/bin/development" restore production --no-snapshot) \
      < /dev/null > "$work/a.out" 2> "$work/a.fifo" &
    tpid=$!
    bg_pids+=("$tpid")
    while [ -z "$jpid" ] && kill -0 "$tpid" 2>/dev/null; do
      read -r jpid _ 2>/dev/null < "/proc/$tpid/task/$tpid/children" || true
      [ -n "$jpid" ] || sleep 0.002
    done
  else
    (cd "$repo" && exec "$root/bin/development" restore production --no-snapshot) < /dev/null > "$work/a.out" 2> "$work/a.fifo" &
    tpid=$!
    bg_pids+=("$tpid")
    jpid=$tpid
  fi
  bg_pids+=("$jpid")
  # the launcher (sh) execs java in the same process: its VmHWM ends as the JVM's own peak
  while [ -n "$jpid" ] && kill -0 "$jpid" 2>/dev/null; do
    while read -r k v _; do
      if [ "$k" = VmHWM: ]; then [ "$v" -gt "$hwm" ] && hwm=$v; break; fi
    done 2>/dev/null < "/proc/$jpid/status" || true
    sleep 0.02
  done
  rc=0; wait "$tpid" || rc=$?
  now_ms
  wait "$spid" || true
  bg_pids=()
  [ "$rc" -eq 0 ] || { say "bin/development restore production exited with status $rc"; fail a; }
  [ "$tag" = warm ] && return 0
  echo $((NOW - t0)) >> "$work/a.ms"
  echo "$hwm" >> "$work/a.kib"
  if [ $have_time = yes ]; then tail -1 "$work/a.tree" >> "$work/a.tree.kib"; fi
  cp "$work/a.err" "$work/a.err.$tag"
}

lap() { # STEP: the caller's time since its last lap (its locals t and tag), kept unless warming up
  now_ms
  [ "$tag" = warm ] || echo $((NOW - t)) >> "$work/$1.lap"
  t=$NOW
}

run_gem() { # what the gem runs (Kernel.system each): the URL, download, drop, create, restore, rm
  local tag=$1 t0 t url file=$work/gem/latest.backup
  mkdir -p "$work/gem"
  exec 4> "$work/b.err"
  now_ms; t0=$NOW; t=$NOW
  url=$(heroku pg:backups:url --app "$app" 2>&4) || fail b; lap b.url
  curl -sS -f -o "$file" "$url" 2>&4 || fail b; lap b.curl
  dropdb --if-exists "$gem_db" 2>&4 || fail b; lap b.dropdb
  createdb "$gem_db" 2>&4 || fail b; lap b.createdb
  pg_restore --no-acl --no-owner -j1 -d "$gem_db" "$file" 2>&4 || fail b; lap b.pg_restore
  rm -f "$file"
  now_ms
  exec 4>&-
  [ "$tag" = warm ] || echo $((NOW - t0)) >> "$work/b.ms"
}

run_floor() { # download + pg_restore -j2 into a fresh database: nothing else
  local tag=$1 t0 t file=$work/floor/latest.dump
  mkdir -p "$work/floor"
  dropdb --if-exists "$floor_db" 2>/dev/null && createdb "$floor_db" || fail c
  exec 4> "$work/c.err"
  now_ms; t0=$NOW; t=$NOW
  curl -sS -f -o "$file" "$backup_url" 2>&4 || fail c; lap c.curl
  pg_restore --no-acl --no-owner -j2 -d "$floor_db" "$file" 2>&4 || fail c; lap c.pg_restore
  now_ms
  exec 4>&-
  [ "$tag" = warm ] || echo $((NOW - t0)) >> "$work/c.ms"
  rm -f "$file"
}

# parity's steps from its stamped stderr ("parity: [k/N] TITLE" lines): TITLE<tab>ms, and the start
parity_steps() { # FILE TOTAL_MS
  awk -v total="$2" '{
    t = $1; line = $0; sub(/^ *[0-9]+ ms  /, "", line)
    if (line ~ /^parity: \[[0-9]+\/[0-9]+\] /) {
      sub(/^parity: \[[0-9]+\/[0-9]+\] /, "", line)
      if (n) print d[n] "\t" (t - s[n]); else print "start (JVM, options, project)\t" t
      n++; s[n] = t; d[n] = line
    }
  } END { if (n) print d[n] " (to exit)\t" (total - s[n]) }' "$1"
}

# "name median, name median, ..." over FILE's TITLE<tab>ms lines, titles in order of first appearance
step_medians() {
  local title out="" m
  while IFS= read -r title; do
    m=$(awk -F'\t' -v k="$title" '$1 == k {print $2}' "$1" | median)
    out+="${out:+, }$title $m"
  done < <(awk -F'\t' '!seen[$1]++ {print $1}' "$1")
  echo "$out"
}

run_url() {
  local t0
  now_ms; t0=$NOW
  heroku pg:backups:url --app "$app" > "$work/u.out" 2> "$work/u.err" || fail u
  now_ms
  [ "$1" = warm ] || echo $((NOW - t0)) >> "$work/u.ms"
}

check() { # DB: production's rows and indexes arrived
  local rows idx
  rows=$(q "$1" "SELECT count(*) FROM pgbench_accounts" 2>&1) || { say "cannot read $1: $rows"; exit 1; }
  idx=$(q "$1" "SELECT count(*) FROM pg_indexes WHERE tablename = 'pgbench_accounts'")
  if [ "$rows" != "$expect_rows" ] || [ "$idx" != "$expect_idx" ]; then
    say "$1 has $rows rows and $idx indexes on pgbench_accounts, expected $expect_rows and $expect_idx"; exit 1
  fi
}

leftovers() { # what parity left behind: databases besides ours, files in its cache, temp dirs
  local dbs cache
  dbs=$(q postgres "SELECT string_agg(datname, ' ' ORDER BY datname) FROM pg_database WHERE datname NOT IN
        ('postgres', 'template0', 'template1', '$prod_db', '$dev_db', '$gem_db', '$floor_db')")
  [ -z "$dbs" ] || echo "databases: $dbs"
  cache=$(du -sk "$XDG_CACHE_HOME/parity" "$HOME/.cache/parity" 2>/dev/null | awk '{s += $1} END {if (s > 0) print s}') || true
  [ -z "$cache" ] || echo "cache: ${cache} KiB in \$XDG_CACHE_HOME/parity"
}

# ---- one size ------------------------------------------------------------------------------------
report=$work/report.md
rows_md=()
notes_md=()
machine="$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), $(uname -m), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
say "machine: $machine; disk free on /tmp: $(df -h --output=avail /tmp | tail -1 | tr -d ' ')"

for size in "${sizes[@]}"; do
  scale=$(( (size + 7) / 15 )); [ "$scale" -ge 1 ] || scale=1
  rounds=${rounds_opt:-5}
  rm -f "$work"/*.ms "$work"/*.kib "$work"/*.lap "$work"/a.err.* "$work/a.steps"
  say "== $size MB: pgbench -i -s $scale --foreign-keys into $app's database, plus 3 indexes"
  now_ms; t_load=$NOW
  pgbench -i -q -s "$scale" --foreign-keys "$prod_url" > "$work/pgbench.log" 2>&1 || { tail -20 "$work/pgbench.log" >&2; exit 1; }
  psql -X -q -v ON_ERROR_STOP=1 -d "$prod_url" > "$work/index.log" 2>&1 <<'SQL' || { cat "$work/index.log" >&2; exit 1; }
CREATE INDEX pgbench_accounts_abalance ON pgbench_accounts (abalance);
CREATE INDEX pgbench_accounts_bid_abalance ON pgbench_accounts (bid, abalance);
CREATE INDEX pgbench_accounts_filler ON pgbench_accounts (filler);
VACUUM ANALYZE;
SQL
  expect_rows=$((scale * 100000))
  expect_idx=4
  db_bytes=$(q "$prod_db" "SELECT pg_database_size(current_database())")
  now_ms; say "loaded in $(secs $((NOW - t_load))) s: $(mib $((db_bytes / 1024))) MiB; capturing a backup"
  heroku pg:backups:capture --app "$app" > "$work/capture.log" 2>&1 || { cat "$work/capture.log" >&2; exit 1; }
  backup_url=$(heroku pg:backups:url --app "$app" 2>/dev/null | awk '/^https?:/ {u = $1} END {print u}')
  case $backup_url in http*) ;; *) echo "no backup URL: '$backup_url'" >&2; exit 1 ;; esac
  dump_bytes=$(curl -sS -f -o /dev/null -w '%{size_download}' "$backup_url")
  now_ms; say "backup of $(mib $((dump_bytes / 1024))) MiB captured ($(secs $((NOW - t_load))) s since the load began)"

  say "warm-up (untimed, checked): parity, gem, floor"
  run_parity warm; check "$dev_db"
  first_leftovers=$(leftovers)
  run_gem warm; check "$gem_db"
  run_floor warm; check "$floor_db"; dropdb "$floor_db"
  run_url warm

  load_start=$(cut -d' ' -f1 /proc/loadavg)
  order=(a b c u)
  for ((r = 0; r < rounds; r++)); do
    line=""
    for ((k = 0; k < 4; k++)); do
      v=${order[$(( (k + r) % 4 ))]}
      # the previous variant's writes are not this one's bill: into the files, then onto the disk
      q postgres "CHECKPOINT" >/dev/null; sync
      case $v in
        a) run_parity "$r"; check "$dev_db"; line+=" parity $(secs "$(tail -1 "$work/a.ms")") s" ;;
        b) run_gem "$r"; check "$gem_db"; line+=" gem $(secs "$(tail -1 "$work/b.ms")") s" ;;
        c) run_floor "$r"; check "$floor_db"; dropdb "$floor_db"; line+=" floor $(secs "$(tail -1 "$work/c.ms")") s" ;;
        u) run_url "$r"; line+=" url $(secs "$(tail -1 "$work/u.ms")") s" ;;
      esac
    done
    say "round $((r + 1))/$rounds:$line"
  done
  last_leftovers=$(leftovers)

  am=$(median < "$work/a.ms"); bm=$(median < "$work/b.ms"); cm=$(median < "$work/c.ms"); um=$(median < "$work/u.ms")
  ak=$(median < "$work/a.kib")
  if [ $have_time = yes ]; then tk=$(median < "$work/a.tree.kib"); else tk=n/a; fi
  rows_md+=("| $size | $(mib $((db_bytes / 1024))) | $(mib $((dump_bytes / 1024))) | $rounds | $(secs "$am") | $(secs "$bm") | $(secs "$cm") | **$(ratio "$am" "$bm")** | **$(ratio "$am" "$cm")** | $(mib "$ak") | $(mib "$tk") | $(secs "$um") |")

  # where parity's time went: its stderr lines, stamped, from the round closest to the median
  best=0; bestd=-1; i=0; ami=${am%.*}
  while read -r ms; do
    d=$(( ms > ami ? ms - ami : ami - ms ))
    if [ "$bestd" -lt 0 ] || [ "$d" -lt "$bestd" ]; then best=$i; bestd=$d; fi
    i=$((i + 1))
  done < "$work/a.ms"
  for ((i = 0; i < rounds; i++)); do parity_steps "$work/a.err.$i" "$(sed -n "$((i + 1))p" "$work/a.ms")" >> "$work/a.steps"; done
  lapm() { median < "$work/$1.lap"; }
  notes_md+=("" "Medians of the steps at $size MB, ms. parity (from its stderr): $(step_medians "$work/a.steps")." \
    "gem: heroku pg:backups:url $(lapm b.url), curl $(lapm b.curl), dropdb $(lapm b.dropdb), createdb $(lapm b.createdb), pg_restore -j1 $(lapm b.pg_restore)." \
    "floor: curl $(lapm c.curl), pg_restore -j2 $(lapm c.pg_restore)." \
    "Fastest runs, s: parity $(secs "$(sort -n "$work/a.ms" | head -1)"), gem $(secs "$(sort -n "$work/b.ms" | head -1)"), floor $(secs "$(sort -n "$work/c.ms" | head -1)"); all runs: parity $(tr '\n' ' ' < "$work/a.ms"), gem $(tr '\n' ' ' < "$work/b.ms"), floor $(tr '\n' ' ' < "$work/c.ms")(ms, in round order).")
  notes_md+=("" "parity's stderr at $size MB (round $((best + 1)), $(secs "$(sed -n "$((best + 1))p" "$work/a.ms")") s; ms since start):" "" '```')
  while IFS= read -r l; do notes_md+=("$l"); done < "$work/a.err.$best"
  notes_md+=('```')
  [ -z "$first_leftovers$last_leftovers" ] || notes_md+=("" "After parity's runs at $size MB, besides $dev_db: ${last_leftovers:-$first_leftovers}" "")
  notes_md+=("Load average (1 min) on the machine at the end of the $size MB rounds: $(cut -d' ' -f1 /proc/loadavg) (at their start: $load_start).")
  say "$size MB: parity $(secs "$am") s, gem $(secs "$bm") s, floor $(secs "$cm") s; parity JVM peak $(mib "$ak") MiB"
  dropdb --if-exists "$gem_db"; dropdb --if-exists "$dev_db" # room for the next size
done

java_v=$(java -version 2>&1 | head -1)
{
  echo
  echo "## \`development restore production\` (\`bench/restore.sh ${rounds_opt:+--rounds $rounds_opt }${sizes[*]}\`, $(date -u +%Y-%m-%d))"
  echo
  echo "Machine: $machine. parity: $java_v, launcher flags. PostgreSQL $(q postgres 'SHOW server_version' | awk '{print $1}') (the sandbox's throwaway cluster: fsync off, shared_buffers 16MB, autovacuum $(q postgres 'SHOW autovacuum'); the local databases live on it too)."
  echo "Production: \`pgbench -i -s SIZE/15 --foreign-keys\` + indexes on pgbench_accounts (abalance), (bid, abalance), (filler); backup by \`heroku pg:backups:capture\` (pg_dump -Fc), served by the sandbox over loopback HTTP."
  echo "Medians of whole-process wall time, variants interleaved (order rotated each round), after one checked warm-up of each; every run's database is checked (rows, indexes)."
  echo
  echo "| size MB | DB MiB | dump MiB | rounds | (a) parity s | (b) gem s | (c) floor s | a/b | a/c | parity JVM peak MiB | tree peak MiB | url lookup s |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows_md[@]}"
  echo
  echo "(a) \`bin/development restore production\` (private HOME and XDG_CACHE_HOME, emptied of parity's cache before each round). (b) the gem's sequence: \`heroku pg:backups:url\`, \`curl -o\`, \`dropdb\`, \`createdb\`, \`pg_restore --no-acl --no-owner -j1\`, \`rm\`. (c) the floor: \`curl -o\` + \`pg_restore --no-acl --no-owner -j2\` into a fresh empty database, URL known. url lookup: \`heroku pg:backups:url\` alone, which (b) includes; (a) finds the URL through the data API. JVM peak: VmHWM of the launcher's process (java, after exec), sampled every 20 ms; tree peak: \`/usr/bin/time -f %M\`, the largest process of the tree (the heroku CLI's node, pg_restore, or the JVM)."
  printf '%s\n' "${notes_md[@]}"
} > "$report"
cat "$report"
"$root/bench/record" "restore.sh" < "$report"
