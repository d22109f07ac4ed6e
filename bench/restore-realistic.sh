#!/usr/bin/env bash
# `development restore production` on realistic data, against the original gem's sequence and two
# floors, side by side in one run on a sandbox this script starts itself.
# Production: bench/realistic-data.sql (31 Rails-like tables of very different sizes, 80+ indexes,
# foreign keys, text that compresses as real text does, personal columns), SIZE MB on disk
# (default 1000), made from a seed, captured as a backup (`heroku pg:backups:capture`). Then, at each
# download RATE the sandbox serves backups at (default 50MB/s and unlimited), ROUNDS rounds, order
# rotated each round, after one untimed, checked warm-up of each:
#   a  parity: `bin/development restore production` (`--fresh` when this build has it, so every run is
#      a first restore) in a Rails-like repository, through the real launcher
#   b  gem:    `heroku pg:backups:url`, `curl -o FILE URL`, `dropdb --if-exists`, `createdb`, `psql` (the
#              heroku_ext schema), `pg_restore --verbose --no-acl --no-owner --jobs=1`, `rm FILE`, `psql`
#              (ar_internal_metadata to development): what the gem runs
#   c  floor A: `curl -o` + `pg_restore --no-acl --no-owner -j2` into a fresh empty database (URL known)
#      floor B: from the same runs, max(curl's time, pg_restore -j2's time): an ideal overlap of the two
#   n  parity with --no-snapshot (when this build has it): what the snapshot copy, made for the next
#      restore of the same backup, costs this one
#   r  parity without --fresh: a re-restore of the same backup, from the snapshot (a) keeps
#   s  (at the last rate only) parity again in a repository whose .parity.yml scrubs every personal
#      column: its scrub step's time as a share of its whole restore
# Before every timed run the databases earlier runs restored are vacuumed and analyzed (untimed) and
# a checkpoint and sync write everything out: else autovacuum, a minute after a restore, works on one
# variant's tables during the next variant's run.
# Medians, ratios a/b, a/floor A, a/floor B; the machine's busy core-seconds during each run (and
# parity's own processes' share), which bound a run's time from below on this many cores; the peak
# memory of parity's JVM (VmHWM, sampled) and of the process tree (/usr/bin/time %M); and the same JVM
# peak on a second, smaller database (--memory-size, default 250 MB) to show whether memory grows
# with the dump.
# The markdown report goes to stdout and into bench/RESULTS.md (bench/record), progress to stderr.
#   bench/restore-realistic.sh [--rounds N] [--rates R1,R2] [--seed N] [--memory-size MB] [SIZE_MB]
#   bench/restore-realistic.sh --smoke      (40 MB, 10 MB for memory, 1 round: proves the script)
#     --rounds N        rounds per rate (default 3; 1 GB at two rates is about 40 minutes on 2 idle cores)
#     --rates R1,R2     download rates, e.g. 50MB/s,unlimited (the default)
#     --seed N          the data generator's seed (default 42): same seed and size, same database
#     --memory-size MB  the smaller database for the memory comparison (0: skip; default 250)
# Needs the jar (mvn -DskipTests package), the official CLI (tools/install-heroku-cli), PostgreSQL
# 15's server and client binaries, curl and /usr/bin/time (optional). Everything is removed on exit.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD

rounds=3
rates=50MB/s,unlimited
seed=42
size=1000
mem_size=250
size_set=no mem_set=no
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=${2:?--rounds needs a number}; shift ;;
    --rates) rates=${2:?--rates needs a list}; shift ;;
    --seed) seed=${2:?--seed needs a number}; shift ;;
    --memory-size) mem_size=${2:?--memory-size needs a number}; mem_set=yes; shift ;;
    --smoke) [ $size_set = yes ] || size=40; [ $mem_set = yes ] || mem_size=10; rounds=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]*|"") echo "restore-realistic.sh: SIZE is a whole number of MB (got '$1'); see --help" >&2; exit 2 ;;
    *) size=$1; size_set=yes ;;
  esac
  shift
done
for n in "$rounds" "$seed" "$mem_size"; do
  case $n in *[!0-9]*|"") echo "restore-realistic.sh: --rounds, --seed and --memory-size take whole numbers" >&2; exit 2 ;; esac
done
[ "$rounds" -ge 1 ] || { echo "restore-realistic.sh: --rounds must be at least 1" >&2; exit 2; }
IFS=, read -r -a rate_list <<< "$rates"

jar=$root/dist/target/parity.jar
heroku=$root/tools/heroku-cli/node_modules/.bin/heroku
pgbin=/usr/lib/postgresql/15/bin
[ -f "$jar" ] || { echo "build first: mvn -DskipTests package" >&2; exit 1; }
[ -x "$heroku" ] || { echo "install the official CLI first: tools/install-heroku-cli" >&2; exit 1; }
[ -x "$pgbin/pg_restore" ] || { echo "needs PostgreSQL 15 in $pgbin (apt install postgresql-15)" >&2; exit 1; }
command -v curl >/dev/null || { echo "needs curl" >&2; exit 1; }

say() { printf '[restore-realistic.sh %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
now_ms() { local t=${EPOCHREALTIME/./}; NOW=$((t / 1000)); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "?"; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { case $1 in ""|"?") echo "?" ;; *) awk -v m="$1" 'BEGIN {printf "%.2f", m / 1000}' ;; esac; }
ratio() { case "$1$2" in *"?"*) echo "?" ;; *) awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}' ;; esac; }
pct() { case "$1$2" in *"?"*) echo "?" ;; *) awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f%%", 100 * a / b}' ;; esac; }
mib() { case $1 in ""|"?"|n/a) echo "n/a" ;; *) awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}' ;; esac; }
slug() { echo "$1" | tr -c 'A-Za-z0-9\n' '_'; }
# the machine's busy CPU time so far, in hundredths of a core-second (every process: the database
# server's backends, the sandbox serving the download, parity's JVM and its children)
busy_now() { local _c u n s i w q sq st; read -r _c u n s i w q sq st _ < /proc/stat; BUSY=$((u + n + s + q + sq + st)); }
cores() { awk -v c="$1" 'BEGIN {printf "%.1f", c / 100}'; }

# ---- the sandbox, and cleanup on any exit ------------------------------------------------------
work=$(mktemp -d /tmp/parity-bench-realistic.XXXXXX)
chmod 711 "$work" # the cluster's server runs as nobody when we are root: it must pass through
sandbox=$work/sandbox
mkfifo "$work/tick.fifo"
tick() { read -r -t "$1" _ <> "$work/tick.fifo" || true; } # sleep SECONDS without starting a process
bg_pids=()
descendants() { local c; for c in $(pgrep -P "$1" 2>/dev/null); do echo "$c"; descendants "$c"; done; }
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
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
export PATH=$pgbin:$root/tools/heroku-cli/bin:$PATH
# the sandbox's admin API takes the token in a header: from a private file, never on a command line
( umask 077; printf 'Authorization: Bearer %s\n' "$HEROKU_API_KEY" > "$work/auth.header" )
set_rate() { # RATE: what the sandbox serves backup downloads at; prints what it reports
  curl -sS -f -H @"$work/auth.header" -H 'Content-Type: application/json' -d "{\"rate\": \"$1\"}" \
    "$HEROKU_HOST/sandbox/download-rate" | sed -n 's/.*"rate":"\([^"]*\)".*/\1/p'
}
app=bench-prod
"$root/bin/parity" sandbox create "$app" --dir "$sandbox" --postgres >/dev/null
prod_url=$(heroku config:get DATABASE_URL --app "$app" 2>/dev/null)
case $prod_url in postgres://*) ;; *) echo "no DATABASE_URL for $app: '$prod_url'" >&2; exit 1 ;; esac
hostport=${prod_url#*@}; hostport=${hostport%%/*}
export PGHOST=${hostport%%:*} PGPORT=${hostport##*:} PGUSER=postgres
unset PGDATABASE PGPASSWORD
prod_db=${prod_url##*/}
ca=${NODE_EXTRA_CA_CERTS:?the sandbox names its CA in NODE_EXTRA_CA_CERTS} # curl trusts it as a user's curl trusts S3

q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

# The users' repositories: `production` remote at the sandbox app, Rails' database.yml naming the
# local database on the sandbox's cluster. repo-scrub also has a .parity.yml scrubbing every
# personal column of the generated schema.
dev_db=bench_development
scrub_db=bench_scrub_development
gem_db=bench_gem_development
floor_db=bench_floor
make_repo() { # DIR DATABASE
  mkdir -p "$1/config"
  git -C "$1" init -q -b main
  git -C "$1" remote add production "$HEROKU_HOST/$app.git"
  printf "source 'https://rubygems.org'\ngem 'rails'\n" > "$1/Gemfile"
  printf 'development:\n  adapter: postgresql\n  database: %s\n  host: %s\n  port: %s\n  username: %s\n' \
    "$2" "$PGHOST" "$PGPORT" "$PGUSER" > "$1/config/database.yml"
}
repo=$work/repo
repo_scrub=$work/repo-scrub
make_repo "$repo" "$dev_db"
make_repo "$repo_scrub" "$scrub_db"
cat > "$repo_scrub/.parity.yml" <<'YAML'
scrub:
  users:
    email: email
    first_name: name
    last_name: name
    phone: {constant: "555-0100"}
    encrypted_password: {constant: "scrubbed"}
    current_sign_in_ip: nullify
    last_sign_in_ip: nullify
  organizations:
    billing_email: email
  addresses:
    street_address: {constant: "1 Main Street"}
  orders:
    shipping_address_id: keep
  api_keys:
    token: hash
  warehouses:
    address: keep
  events:
    remote_ip: nullify
YAML

fresh=()
if (cd "$repo" && "$root/bin/development" restore --help 2>&1) | grep -q -- '--fresh'; then fresh=(--fresh); fi
no_snapshot=no
if (cd "$repo" && "$root/bin/development" restore --help 2>&1) | grep -q -- '--no-snapshot'; then no_snapshot=yes; fi
say "this build's plan (bin/development restore production ${fresh[*]} --dry-run):"
(cd "$repo" && "$root/bin/development" restore production "${fresh[@]}" --dry-run) 2>&1 | sed 's/^/    /' >&2 || true

if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then have_time=yes; else have_time=no; fi

stamp() { # T0: each line prefixed with milliseconds since T0
  local t0=$1 line t
  while IFS= read -r line; do
    t=${EPOCHREALTIME/./}
    printf '%7d ms  %s\n' $(( t / 1000 - t0 )) "$line"
  done
}

fail() { # NAME: what failed, and the tail of its stderr
  say "FAILED: $1"
  [ -f "$work/$1.err" ] && tail -25 "$work/$1.err" >&2
  exit 1
}

# ---- the variants: each appends wall ms to $work/$R.NAME.ms (R: the rate's tag) ----------------
run_parity() { # NAME REPO TAG [ARG...]: parity's run (ARGs added; --fresh unless NAME is r); also its JVM's peak (VmHWM) and the tree's (/usr/bin/time %M)
  local name=$1 dir=$2 tag=$3 tpid jpid="" hwm=0 k v rc t0 first=("${fresh[@]}")
  shift 3
  [ "$name" != r ] || first=()
  rm -rf "$XDG_CACHE_HOME/parity/dumps" "$HOME/.cache/parity/dumps" # no kept dump from an earlier round
  rm -f "$work/$name.fifo" "$work/$name.tree"; mkfifo "$work/$name.fifo"
  now_ms; t0=$NOW; busy_now; local b0=$BUSY
  stamp "$t0" < "$work/$name.fifo" > "$work/$name.err" &
  local spid=$!
  bg_pids+=("$spid")
  if [ $have_time = yes ]; then
    (cd "$dir" && exec /usr/bin/time -f '%M %U %S' -o "$work/$name.tree" "$root/bin/development" restore production "${first[@]}" "$@") \
      < /dev/null > "$work/$name.out" 2> "$work/$name.fifo" &
    tpid=$!
    bg_pids+=("$tpid")
    while [ -z "$jpid" ] && kill -0 "$tpid" 2>/dev/null; do
      read -r jpid _ 2>/dev/null < "/proc/$tpid/task/$tpid/children" || true
      [ -n "$jpid" ] || tick 0.002
    done
  else
    (cd "$dir" && exec "$root/bin/development" restore production "${first[@]}" "$@") < /dev/null > "$work/$name.out" 2> "$work/$name.fifo" &
    tpid=$!
    bg_pids+=("$tpid")
    jpid=$tpid
  fi
  bg_pids+=("$jpid")
  # the launcher (sh) execs java in the same process: its VmHWM ends as the JVM's own peak.
  # Builtins only: a `sleep` every 20 ms would cost about a tenth of a core, billed to parity's run.
  while [ -n "$jpid" ] && kill -0 "$jpid" 2>/dev/null; do
    while read -r k v _; do
      if [ "$k" = VmHWM: ]; then [ "$v" -gt "$hwm" ] && hwm=$v; break; fi
    done 2>/dev/null < "/proc/$jpid/status" || true
    tick 0.02
  done
  rc=0; wait "$tpid" || rc=$?
  now_ms; busy_now
  wait "$spid" || true
  bg_pids=()
  [ "$rc" -eq 0 ] || { say "bin/development restore production exited with status $rc"; fail "$name"; }
  [ "$tag" = warm ] && return 0
  echo $((NOW - t0)) >> "$work/$R.$name.ms"
  echo $((BUSY - b0)) >> "$work/$R.$name.cpu"
  echo "$hwm" >> "$work/$R.$name.kib"
  if [ $have_time = yes ]; then # its peak; its CPU (the JVM and the programs it ran: pg_restore, psql), in hundredths
    tail -1 "$work/$name.tree" | awk '{print $1}' >> "$work/$R.$name.tree.kib"
    tail -1 "$work/$name.tree" | awk '{printf "%.0f\n", 100 * ($2 + $3)}' >> "$work/$R.$name.own.cpu"
  fi
  cp "$work/$name.err" "$work/$R.$name.err.$tag"
}

lap() { # STEP: the caller's time since its last lap (its locals t and tag), kept unless warming up
  now_ms
  [ "$tag" = warm ] || echo $((NOW - t)) >> "$work/$R.$1.lap"
  t=$NOW
}

run_gem() { # what the gem runs (Kernel.system each), in its order
  local tag=$1 t0 t url file=$work/gem/latest.backup
  mkdir -p "$work/gem"
  exec 4> "$work/b.err"
  now_ms; t0=$NOW; t=$NOW; busy_now; local b0=$BUSY
  url=$(heroku pg:backups:url --app "$app" 2>&4) || fail b; lap b.url
  curl -sS -f --cacert "$ca" -o "$file" "$url" 2>&4 || fail b; lap b.curl
  dropdb --if-exists "$gem_db" 2>&4 && createdb "$gem_db" 2>&4 || fail b
  psql -X -q -d "$gem_db" -c 'CREATE SCHEMA IF NOT EXISTS heroku_ext' >/dev/null 2>&4 || fail b; lap b.recreate
  pg_restore "$file" --verbose --no-acl --no-owner --dbname "$gem_db" --jobs=1 2>/dev/null || fail b; lap b.pg_restore
  rm -f "$file"
  psql -X -q -d "$gem_db" -c "UPDATE public.ar_internal_metadata SET value = 'development' WHERE key = 'environment'" >/dev/null 2>&4 || fail b
  now_ms; busy_now
  exec 4>&-
  [ "$tag" = warm ] || { echo $((NOW - t0)) >> "$work/$R.b.ms"; echo $((BUSY - b0)) >> "$work/$R.b.cpu"; }
}

run_floor() { # download + pg_restore -j2 into a fresh database: nothing else; the URL asked for beforehand
  local tag=$1 t0 t url file=$work/floor/latest.dump c p
  mkdir -p "$work/floor"
  url=$(heroku pg:backups:url --app "$app" 2>/dev/null | awk '/^https?:/ {u = $1} END {print u}') # URLs expire: a fresh one
  dropdb --if-exists "$floor_db" 2>/dev/null && createdb "$floor_db" || fail c
  exec 4> "$work/c.err"
  now_ms; t0=$NOW; t=$NOW; busy_now; local b0=$BUSY b1
  curl -sS -f --cacert "$ca" -o "$file" "$url" 2>&4 || fail c; now_ms; c=$((NOW - t)); t=$NOW; busy_now; b1=$BUSY
  pg_restore --no-acl --no-owner -j2 -d "$floor_db" "$file" 2>&4 || fail c; now_ms; p=$((NOW - t)); busy_now
  exec 4>&-
  if [ "$tag" != warm ]; then
    echo $((NOW - t0)) >> "$work/$R.c.ms"
    echo "$c" >> "$work/$R.c.curl.lap"; echo "$p" >> "$work/$R.c.pg_restore.lap"
    echo $((BUSY - b0)) >> "$work/$R.c.cpu"; echo $((b1 - b0)) >> "$work/$R.c.curl.cpu"; echo $((BUSY - b1)) >> "$work/$R.c.pg_restore.cpu"
    echo $(( c > p ? c : p )) >> "$work/$R.d.ms" # floor B: the two overlapped perfectly
  fi
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

step_medians() { # "name median, ..." over FILE's TITLE<tab>ms lines, titles in order of first appearance
  local title out="" m
  while IFS= read -r title; do
    m=$(awk -F'\t' -v k="$title" '$1 == k {print $2}' "$1" | median)
    out+="${out:+, }$title $m"
  done < <(awk -F'\t' '!seen[$1]++ {print $1}' "$1")
  echo "$out"
}

check() { # DB: production's tables, rows of the big ones, and indexes arrived
  local got
  got=$(q "$1" "SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'public') || ' ' || (SELECT count(*) FROM events) || ' '
               || (SELECT count(*) FROM line_items) || ' ' || (SELECT count(*) FROM pg_indexes WHERE schemaname = 'public') || ' '
               || (SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace)" 2>&1) \
    || { say "cannot read $1: $got"; exit 1; }
  [ "$got" = "$expect" ] || { say "$1 has (tables, events, line_items, indexes, foreign keys) $got, expected $expect"; exit 1; }
}

check_scrubbed() { # DB: no original email, no sign-in IP left
  local left
  left=$(q "$1" "SELECT count(*) FROM users WHERE email NOT LIKE '%example.invalid' OR current_sign_in_ip IS NOT NULL")
  [ "$left" = 0 ] || { say "$1 still has $left users with their own email or IP after scrubbing"; exit 1; }
}

generate() { # MB: production's database, made from the seed, and a backup of it
  local mb=$1 scale t
  scale=$(awk -v m="$mb" 'BEGIN {printf "%.4f", m / 1000}')
  say "== $mb MB: bench/realistic-data.sql (scale $scale, seed $seed) into $app's database"
  now_ms; t=$NOW
  q "$prod_db" "SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null
  psql -X -q -v ON_ERROR_STOP=1 -v scale="$scale" -v seed="$seed" -d "$prod_url" -f "$root/bench/realistic-data.sql" \
    > "$work/generate.log" 2>&1 || { tail -20 "$work/generate.log" >&2; exit 1; }
  db_bytes=$(q "$prod_db" "SELECT pg_database_size(current_database())")
  expect=$(q "$prod_db" "SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'public') || ' ' || (SELECT count(*) FROM events) || ' '
               || (SELECT count(*) FROM line_items) || ' ' || (SELECT count(*) FROM pg_indexes WHERE schemaname = 'public') || ' '
               || (SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace)")
  now_ms; gen_ms=$((NOW - t))
  say "generated in $(secs $gen_ms) s: $(mib $((db_bytes / 1024))) MiB; (tables, events, line_items, indexes, foreign keys) = $expect; capturing a backup"
  heroku pg:backups:capture --app "$app" > "$work/capture.log" 2>&1 || { cat "$work/capture.log" >&2; exit 1; }
  local url
  url=$(heroku pg:backups:url --app "$app" 2>/dev/null | awk '/^https?:/ {u = $1} END {print u}')
  case $url in http*) ;; *) echo "no backup URL: '$url'" >&2; exit 1 ;; esac
  curl -sS -f --cacert "$ca" -o "$work/probe.dump" "$url"
  dump_bytes=$(stat -c %s "$work/probe.dump")
  plain_bytes=$(pg_restore -f - "$work/probe.dump" | wc -c) # the same dump uncompressed (plain SQL)
  rm -f "$work/probe.dump"
  say "backup: $(mib $((dump_bytes / 1024))) MiB, $(pct "$dump_bytes" "$plain_bytes") of its $(mib $((plain_bytes / 1024))) MiB as plain SQL"
}

settle() { # before each timed run: no earlier run's work may land in it
  # The restored databases vacuumed and analyzed now, untimed: else autovacuum does it (a minute or so
  # later, by its naptime) during whichever run comes next. Then their writes into the files, and onto the disk.
  local db
  for db in "$dev_db" "$scrub_db" "$gem_db"; do
    [ "$(q postgres "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 0 ] || q "$db" "VACUUM (ANALYZE)" >/dev/null
  done
  q postgres "CHECKPOINT" >/dev/null; sync
}

leftovers() { # what parity left behind: databases besides ours, files in its cache
  local dbs cache
  dbs=$(q postgres "SELECT string_agg(datname, ' ' ORDER BY datname) FROM pg_database WHERE datname NOT IN
        ('postgres', 'template0', 'template1', '$prod_db', '$dev_db', '$scrub_db', '$gem_db', '$floor_db')")
  [ -z "$dbs" ] || echo "databases: $dbs"
  cache=$(du -sk "$XDG_CACHE_HOME/parity" "$HOME/.cache/parity" 2>/dev/null | awk '{s += $1} END {if (s > 0) print s}') || true
  [ -z "$cache" ] || echo "cache: ${cache} KiB in \$XDG_CACHE_HOME/parity"
}

machine="$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), $(uname -m), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
say "machine: $machine; disk free on /tmp: $(df -h --output=avail /tmp | tail -1 | tr -d ' ')"
report=$work/report.md
rows_md=()
notes_md=()

# ---- the smaller database first: parity's memory on it (unlimited rate) -------------------------
mem_small=n/a mem_small_tree=n/a
if [ "$mem_size" -gt 0 ]; then
  generate "$mem_size"
  small_db_mib=$(mib $((db_bytes / 1024))); small_dump_mib=$(mib $((dump_bytes / 1024)))
  reported=$(set_rate unlimited)
  R=mem
  run_parity a "$repo" warm; check "$dev_db"
  for ((r = 0; r < 2; r++)); do settle; run_parity a "$repo" "$r"; check "$dev_db"; done
  mem_small=$(median < "$work/mem.a.kib")
  [ $have_time = no ] || mem_small_tree=$(median < "$work/mem.a.tree.kib")
  say "$mem_size MB: parity $(secs "$(median < "$work/mem.a.ms")") s; JVM peak $(mib "$mem_small") MiB"
  dropdb --if-exists "$dev_db"
fi

# ---- the measured database, at each rate ----------------------------------------------------------
generate "$size"
first_leftovers=""
last_rate=${rate_list[${#rate_list[@]}-1]}
mem_rows=()
for rate in "${rate_list[@]}"; do
  R=$(slug "$rate")
  reported=$(set_rate "$rate")
  [ -n "$reported" ] || { say "the sandbox did not take the rate '$rate'"; exit 1; }
  say "== $size MB at $reported: warm-up (untimed, checked): parity, gem, floor${fresh:+ (parity with --fresh)}"
  variants=(a b c)
  [ $no_snapshot = no ] || variants+=(n r)
  [ "$rate" = "$last_rate" ] && variants+=(s)
  run_parity a "$repo" warm; check "$dev_db"
  [ -n "$first_leftovers" ] || first_leftovers=$(leftovers)
  run_gem warm; check "$gem_db"
  run_floor warm; check "$floor_db"; dropdb "$floor_db"
  if [ "$rate" = "$last_rate" ]; then run_parity s "$repo_scrub" warm; check "$scrub_db"; check_scrubbed "$scrub_db"; fi
  load_start=$(cut -d' ' -f1 /proc/loadavg)
  nv=${#variants[@]}
  for ((r = 0; r < rounds; r++)); do
    line=""
    for ((k = 0; k < nv; k++)); do
      v=${variants[$(( (k + r) % nv ))]}
      settle # the previous variant's writes and vacuums are not this one's bill
      case $v in
        a) run_parity a "$repo" "$r"; check "$dev_db"; line+=" parity $(secs "$(tail -1 "$work/$R.a.ms")") s" ;;
        b) run_gem "$r"; check "$gem_db"; line+=" gem $(secs "$(tail -1 "$work/$R.b.ms")") s" ;;
        c) run_floor "$r"; check "$floor_db"; dropdb "$floor_db"; line+=" floorA $(secs "$(tail -1 "$work/$R.c.ms")") s" ;;
        n) run_parity n "$repo" "$r" --no-snapshot; check "$dev_db"; line+=" parity--no-snapshot $(secs "$(tail -1 "$work/$R.n.ms")") s" ;;
        r) run_parity r "$repo" "$r"; check "$dev_db"; grep -q "copied the snapshot" "$work/r.err" || { say "the re-restore did not copy the snapshot"; fail r; }
           line+=" parity-re-restore $(secs "$(tail -1 "$work/$R.r.ms")") s" ;;
        s) run_parity s "$repo_scrub" "$r"; check "$scrub_db"; check_scrubbed "$scrub_db"; line+=" parity+scrub $(secs "$(tail -1 "$work/$R.s.ms")") s" ;;
      esac
    done
    say "round $((r + 1))/$rounds at $reported:$line"
  done
  am=$(median < "$work/$R.a.ms"); bm=$(median < "$work/$R.b.ms"); cm=$(median < "$work/$R.c.ms"); dm=$(median < "$work/$R.d.ms")
  ak=$(median < "$work/$R.a.kib")
  nm=""
  if [ $no_snapshot = yes ]; then
    nm=$(median < "$work/$R.n.ms"); rm_=$(median < "$work/$R.r.ms")
    notes_md+=("" "**Re-restore at $reported** (the same backup again, without \`--fresh\`: a copy of the snapshot, verified and swapped, same rounds): $(secs "$rm_") s = **$(ratio "$rm_" "$am")× a first restore** (target ≤ 0.15).")
    notes_md+=("" "**Without the snapshot at $reported** (\`--no-snapshot\`, same rounds, interleaved): parity $(secs "$nm") s, $(ratio "$nm" "$bm")× the gem, $(ratio "$nm" "$cm")× floor A, $(ratio "$nm" "$dm")× floor B; the snapshot copy costs a first restore $(secs $(( ${am%.*} - ${nm%.*} ))) s of its $(secs "$am") s.")
  fi
  if [ $have_time = yes ]; then tk=$(median < "$work/$R.a.tree.kib"); else tk=n/a; fi
  rows_md+=("| $reported | $rounds | $(secs "$am") | $(secs "$bm") | $(secs "$cm") | $(secs "$dm") | **$(ratio "$am" "$bm")** | **$(ratio "$am" "$cm")** | **$(ratio "$am" "$dm")** | $(mib "$ak") | $(mib "$tk") |")
  mem_rows+=("$ak")

  # where parity's time went: its stderr, stamped, from the round closest to the median
  best=0; bestd=-1; i=0; ami=${am%.*}
  while read -r ms; do
    d=$(( ms > ami ? ms - ami : ami - ms ))
    if [ "$bestd" -lt 0 ] || [ "$d" -lt "$bestd" ]; then best=$i; bestd=$d; fi
    i=$((i + 1))
  done < "$work/$R.a.ms"
  for ((i = 0; i < rounds; i++)); do parity_steps "$work/$R.a.err.$i" "$(sed -n "$((i + 1))p" "$work/$R.a.ms")" >> "$work/$R.a.steps"; done
  lapm() { median < "$work/$R.$1.lap"; }
  cpum() { median < "$work/$R.$1.cpu"; }
  ncores=$(nproc)
  notes_md+=("" "**CPU at $reported**: busy core-seconds of the whole machine during each run (every process: the database server, the sandbox serving the download, the programs run), medians; on $ncores cores a run that needs C core-seconds takes at least C/$ncores s." \
    "parity $(cores "$(cpum a)") (≥ $(cores $(( $(cpum a | cut -d. -f1) / ncores ))) s; its own processes, the JVM and the pg_restore and psql it ran, $([ $have_time = yes ] && cores "$(cpum a.own)" || echo n/a))${nm:+, parity --no-snapshot $(cores "$(cpum n)") (≥ $(cores $(( $(cpum n | cut -d. -f1) / ncores ))) s)}, gem $(cores "$(cpum b)"), floor A $(cores "$(cpum c)"): curl $(cores "$(cpum c.curl)"), pg_restore -j2 $(cores "$(cpum c.pg_restore)") (≥ $(cores $(( $(cpum c.pg_restore | cut -d. -f1) / ncores ))) s).")
  notes_md+=("" "**At $reported**, medians of the steps, ms. parity (from its stderr): $(step_medians "$work/$R.a.steps")." \
    "gem: heroku pg:backups:url $(lapm b.url), curl $(lapm b.curl), dropdb + createdb + heroku_ext $(lapm b.recreate), pg_restore -j1 $(lapm b.pg_restore)." \
    "floor A: curl $(lapm c.curl), pg_restore -j2 $(lapm c.pg_restore)." \
    "All runs (ms, round order): parity $(tr '\n' ' ' < "$work/$R.a.ms")${nm:+| parity --no-snapshot $(tr '\n' ' ' < "$work/$R.n.ms")| parity re-restore $(tr '\n' ' ' < "$work/$R.r.ms")}| gem $(tr '\n' ' ' < "$work/$R.b.ms")| floor A $(tr '\n' ' ' < "$work/$R.c.ms")| floor B $(tr '\n' ' ' < "$work/$R.d.ms")")
  if [ "$rate" = "$last_rate" ]; then
    for ((i = 0; i < rounds; i++)); do parity_steps "$work/$R.s.err.$i" "$(sed -n "$((i + 1))p" "$work/$R.s.ms")" >> "$work/$R.s.steps"; done
    sm=$(median < "$work/$R.s.ms")
    scrub_ms=$(awk -F'\t' '$1 ~ /^scrub / {print $2}' "$work/$R.s.steps" | median)
    rows_touched=$(grep -h -i "rows\|scrubbed" "$work/$R.s.err.0" | grep -v '^ *[0-9]* ms  parity: \[' | sed 's/^ *[0-9]* ms  //' | head -12)
    scrub_md=("" "### Scrub share ($size MB, at $reported)" "" \
      "Same restore with a \`scrub:\` section covering every personal column (users: email, first/last name, phone, password, sign-in IPs; organizations.billing_email; addresses.street_address; api_keys.token (hash); events.remote_ip; two \`keep\`s), $rounds interleaved rounds: parity+scrub median $(secs "$sm") s vs parity $(secs "$am") s (+$(secs $(( ${sm%.*} - ${am%.*} ))) s, $(ratio "$sm" "$am")×); its scrub step median $(secs "$scrub_ms") s = **$(pct "$scrub_ms" "$sm") of the scrubbed restore**." \
      "Steps of the scrubbed restore, medians, ms: $(step_medians "$work/$R.s.steps")." "" "What the scrub step printed (round 1):" "" '```')
    while IFS= read -r l; do scrub_md+=("$l"); done <<< "$rows_touched"
    scrub_md+=('```')
  fi
  notes_md+=("" "parity's stderr at $reported (round $((best + 1)), $(secs "$(sed -n "$((best + 1))p" "$work/$R.a.ms")") s; ms since start):" "" '```')
  while IFS= read -r l; do notes_md+=("$l"); done < "$work/$R.a.err.$best"
  notes_md+=('```' "" "Load average (1 min) at the end of the rounds at $reported: $(cut -d' ' -f1 /proc/loadavg) (at their start: $load_start).")
  say "$size MB at $reported: parity $(secs "$am") s, gem $(secs "$bm") s, floor A $(secs "$cm") s, floor B $(secs "$dm") s; JVM peak $(mib "$ak") MiB"
done
last_leftovers=$(leftovers)

java_v=$(java -version 2>&1 | head -1)
tables=$(echo "$expect" | cut -d' ' -f1); n_idx=$(echo "$expect" | cut -d' ' -f4); n_fk=$(echo "$expect" | cut -d' ' -f5)
{
  echo
  echo "## \`development restore production\`, realistic data (\`bench/restore-realistic.sh --rounds $rounds --rates $rates --seed $seed --memory-size $mem_size $size\`, $(date -u +%Y-%m-%d))"
  echo
  echo "Machine: $machine. parity: $java_v, launcher flags${fresh:+, \`--fresh\`}. PostgreSQL $(q postgres 'SHOW server_version' | awk '{print $1}') (the sandbox's throwaway cluster: fsync off, shared_buffers $(q postgres 'SHOW shared_buffers'); the local databases live on it too)."
  echo "Production: \`bench/realistic-data.sql\`, seed $seed: $tables tables, $n_idx indexes, $n_fk foreign keys, $(mib $((db_bytes / 1024))) MiB on disk; backup (pg_dump -Fc by \`heroku pg:backups:capture\`) $(mib $((dump_bytes / 1024))) MiB = $(pct "$dump_bytes" "$plain_bytes") of the same dump as plain SQL ($(mib $((plain_bytes / 1024))) MiB); made in $(secs "$gen_ms") s. Served by the sandbox over loopback HTTPS at the rate shown (a token bucket shared by all downloads)."
  echo "Medians of whole-process wall time, variants interleaved (order rotated each round), after one checked warm-up of each; every run's database is checked (tables, rows of the two biggest, indexes, foreign keys)."
  echo
  echo "| rate | rounds | (a) parity s | (b) gem s | floor A s | floor B s | a/b | a/A | a/B | parity JVM peak MiB | tree peak MiB |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows_md[@]}"
  echo
  echo "(a) \`bin/development restore production${fresh:+ --fresh}\` (private HOME and XDG_CACHE_HOME, no kept dump). (b) the gem's sequence: \`heroku pg:backups:url\`, \`curl -o\`, \`dropdb --if-exists\` + \`createdb\`, \`psql\` CREATE SCHEMA heroku_ext, \`pg_restore --verbose --no-acl --no-owner --jobs=1\`, \`rm\`, \`psql\` UPDATE ar_internal_metadata. Floor A: \`curl -o\` + \`pg_restore --no-acl --no-owner -j2\` into a fresh empty database, URL known. Floor B: max(curl, pg_restore -j2) of the same runs, what a tool overlapping download and restore perfectly would take. Targets (1 GB): at 50 MB/s a/b ≤ 0.6 and a/B ≤ 1.15; unlimited a/b ≤ 0.8 and a/A ≤ 1.1."
  echo
  if [ "$mem_size" -gt 0 ]; then
    echo "Peak memory of parity's JVM (VmHWM of the launcher's process after exec, sampled every 20 ms), medians: $(mib "$mem_small") MiB at $mem_size MB ($small_db_mib MiB on disk, dump $small_dump_mib MiB; unlimited rate, 2 rounds; tree $(mib "$mem_small_tree") MiB) vs $(mib "${mem_rows[-1]}") MiB at $size MB (rate $last_rate). Target ≤ 150 MiB and flat."
  fi
  printf '%s\n' "${scrub_md[@]}"
  printf '%s\n' "${notes_md[@]}"
  echo
  [ -z "$first_leftovers$last_leftovers" ] || echo "Left after parity's runs, besides the benchmark's own databases: ${last_leftovers:-$first_leftovers}"
} > "$report"
cat "$report"
"$root/bench/record" "restore-realistic.sh" < "$report"
