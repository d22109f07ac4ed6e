#!/usr/bin/env bash
# `development restore production` restoring while the download goes on (the default) against the
# same build's sequential path (download whole, then pg_restore --jobs), and the floor, side by
# side in one run on a sandbox this script starts itself. Production: a multi-table schema of some
# hundreds of MB generated here in SQL (tables of very different sizes, text of mixed
# compressibility, indexes and foreign keys), captured as a sandbox backup. ROUNDS rounds, order
# rotated each round, of
#   o  overlapped: `bin/development restore production`
#   s  sequential: `bin/development restore production -- --no-comments` (an option passed on to
#      pg_restore makes parity download the whole file first, as it did before; the dump has no
#      comments, so the restore is the same)
#   c  floor: `curl -o FILE URL` + `pg_restore --no-acl --no-owner -j2` into a fresh empty database
# after one untimed, checked warm-up of each. Medians of wall time and ratios o/s and o/c.
# --rates R1,R2,…: the rounds are run at each rate in turn, the sandbox serving backups at that
# rate (POST /sandbox/download-rate; `unlimited`: loopback speed), one table row per rate; a
# sandbox without that control measures at loopback speed only.
# The markdown report goes to stdout and into bench/RESULTS.md (bench/record), progress to stderr.
#   bench/overlap.sh [--rounds N] [--rows-scale K] [--rates unlimited,50MB/s,5MB/s]
# Needs the jar (mvn -DskipTests package), the official CLI (tools/install-heroku-cli), PostgreSQL
# 15 and curl. Everything is removed on exit, also on Ctrl-C.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD
rounds=3
scale=10
rates=unlimited
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=${2:?}; shift ;;
    --rows-scale) scale=${2:?}; shift ;;
    --rates) rates=${2:?}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "overlap.sh: unknown argument '$1'; see --help" >&2; exit 2 ;;
  esac
  shift
done

jar=$root/dist/target/parity.jar
pgbin=/usr/lib/postgresql/15/bin
[ -f "$jar" ] || { echo "build first: mvn -DskipTests package" >&2; exit 1; }
[ -x "$root/tools/heroku-cli/node_modules/.bin/heroku" ] || { echo "install the official CLI first: tools/install-heroku-cli" >&2; exit 1; }
command -v curl >/dev/null || { echo "needs curl" >&2; exit 1; }

say() { printf '[overlap.sh %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
now_ms() { local t=${EPOCHREALTIME/./}; NOW=$((t / 1000)); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "?"; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { awk -v m="$1" 'BEGIN {printf "%.2f", m / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

work=$(mktemp -d /tmp/parity-bench-overlap.XXXXXX)
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
trap 'say "interrupted; cleaning up"; exit 130' INT TERM

say "work directory $work; starting the sandbox"
exports=$("$root/bin/parity" sandbox start --dir "$sandbox" 2>"$work/start.err") || { cat "$work/start.err" >&2; exit 1; }
eval "$exports"
export HOME=$work/home XDG_CACHE_HOME=$work/cache NO_COLOR=1 TZ=UTC HEROKU_SKIP_ANALYTICS=1 HEROKU_DISABLE_AUTOUPDATE=1
mkdir -p "$HOME" "$XDG_CACHE_HOME"
export PATH=$pgbin:$root/tools/heroku-cli/bin:$PATH
curl_ca=() # the sandbox serves backups over TLS with its own CA
[ -n "${NODE_EXTRA_CA_CERTS:-}" ] && curl_ca=(--cacert "$NODE_EXTRA_CA_CERTS")
app=bench-prod
"$root/bin/parity" sandbox create "$app" --dir "$sandbox" --postgres >/dev/null
prod_url=$(heroku config:get DATABASE_URL --app "$app" 2>/dev/null)
hostport=${prod_url#*@}; hostport=${hostport%%/*}
export PGHOST=${hostport%%:*} PGPORT=${hostport##*:} PGUSER=postgres
unset PGDATABASE PGPASSWORD
prod_db=${prod_url##*/}
dev_db=bench_development
floor_db=bench_floor
repo=$work/repo
mkdir -p "$repo"
git -C "$repo" init -q -b main
git -C "$repo" remote add production "$HEROKU_HOST/$app.git"
printf 'development:\n  database: %s\n' "$dev_db" > "$repo/.parity.yml"
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

# ---- production: tables of very different sizes, words and hex, indexes, foreign keys -----------
say "generating production (scale $scale)"
now_ms; t_load=$NOW
psql -X -q -v ON_ERROR_STOP=1 -d "$prod_url" -v s="$scale" > "$work/load.log" 2>&1 <<'SQL' || { cat "$work/load.log" >&2; exit 1; }
CREATE FUNCTION words(n int, seed int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT string_agg((ARRAY['order','shipped','customer','invoice','payment','refund','pending','the','and','of','to','in',
    'delivery','address','street','account','product','review','great','thanks','please','update','status','total'])
    [1 + ((seed::bigint * 7919 + i * 104729) % 24)::int], ' ') FROM generate_series(1, n) i $$;
CREATE TABLE accounts (id bigserial PRIMARY KEY, name text NOT NULL, plan text NOT NULL, created_at timestamptz NOT NULL);
INSERT INTO accounts (name, plan, created_at) SELECT 'account ' || g, (ARRAY['free','pro','team'])[1 + g % 3], now() - g * interval '1 hour'
  FROM generate_series(1, 2000 * :s) g;
CREATE TABLE users (id bigserial PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts, email text NOT NULL UNIQUE,
  name text NOT NULL, bio text, created_at timestamptz NOT NULL);
INSERT INTO users (account_id, email, name, bio, created_at) SELECT 1 + g % (2000 * :s), 'user' || g || '@example.com',
  'User ' || md5(g::text), words(8 + g % 12, g) || ' ' || md5(g::text || 'bio'), now() - g * interval '1 minute' FROM generate_series(1, 20000 * :s) g;
CREATE INDEX users_account ON users (account_id);
CREATE INDEX users_created ON users (created_at);
CREATE TABLE products (id bigserial PRIMARY KEY, sku text NOT NULL UNIQUE, title text NOT NULL, description text, price numeric(10,2));
INSERT INTO products (sku, title, description, price) SELECT 'SKU-' || g, words(4, g), words(40, g * 3) || ' ' || md5(g::text),
  (g % 500) + 0.99 FROM generate_series(1, 5000 * :s) g;
CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, status text NOT NULL,
  total numeric(12,2) NOT NULL, note text, placed_at timestamptz NOT NULL);
INSERT INTO orders (user_id, status, total, note, placed_at) SELECT 1 + g % (20000 * :s), (ARRAY['pending','paid','shipped','refunded'])[1 + g % 4],
  (g % 1000) * 1.5, CASE WHEN g % 3 = 0 THEN words(6, g) || ' ' || md5(g::text) END, now() - g * interval '10 seconds' FROM generate_series(1, 60000 * :s) g;
CREATE INDEX orders_user ON orders (user_id);
CREATE INDEX orders_status_placed ON orders (status, placed_at);
CREATE TABLE line_items (id bigserial PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders, product_id bigint NOT NULL REFERENCES products,
  quantity int NOT NULL, unit_price numeric(10,2) NOT NULL);
INSERT INTO line_items (order_id, product_id, quantity, unit_price) SELECT 1 + g % (60000 * :s), 1 + (g * 31) % (5000 * :s), 1 + g % 5, (g % 300) + 0.5
  FROM generate_series(1, 150000 * :s) g;
CREATE INDEX line_items_order ON line_items (order_id);
CREATE INDEX line_items_product ON line_items (product_id);
CREATE TABLE events (id bigserial PRIMARY KEY, user_id bigint REFERENCES users, name text NOT NULL, payload text NOT NULL, at timestamptz NOT NULL);
INSERT INTO events (user_id, name, payload, at) SELECT 1 + g % (20000 * :s), (ARRAY['page_view','click','signup','purchase','search'])[1 + g % 5],
  '{"session":"' || md5(g::text) || '","path":"/' || words(3, g) || '","ref":"' || md5((g / 7)::text) || '","ua":"' || md5((g * 3)::text) || '"}',
  now() - g * interval '1 second' FROM generate_series(1, 120000 * :s) g;
CREATE INDEX events_user_at ON events (user_id, at);
CREATE INDEX events_name ON events (name);
CREATE TABLE audits (id bigserial PRIMARY KEY, auditable_id bigint NOT NULL, changes text NOT NULL, created_at timestamptz NOT NULL);
INSERT INTO audits (auditable_id, changes, created_at) SELECT g % 9973, words(20, g) || ' ' || md5(g::text) || md5((g + 1)::text),
  now() - g * interval '3 seconds' FROM generate_series(1, 40000 * :s) g;
CREATE INDEX audits_auditable ON audits (auditable_id);
CREATE TABLE settings (key text PRIMARY KEY, value text);
INSERT INTO settings SELECT 'key' || g, words(3, g) FROM generate_series(1, 50) g;
CREATE TABLE schema_migrations (version text PRIMARY KEY);
INSERT INTO schema_migrations SELECT to_char(20200101000000 + g * 1000, 'FM99999999999999') FROM generate_series(1, 300) g;
VACUUM ANALYZE;
SQL
db_bytes=$(q "$prod_db" "SELECT pg_database_size(current_database())")
tables=$(q "$prod_db" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
indexes=$(q "$prod_db" "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'")
checksum_sql="SELECT md5(string_agg(c, ',' ORDER BY c)) FROM (SELECT 'users' || count(*) || md5(string_agg(u::text, '' ORDER BY id)) c FROM users u
  UNION ALL SELECT 'orders' || count(*) || md5(string_agg(o::text, '' ORDER BY id)) FROM orders o
  UNION ALL SELECT 'line_items' || count(*) || sum(quantity) FROM line_items
  UNION ALL SELECT 'events' || count(*) || md5(string_agg(payload, '' ORDER BY id)) FROM events) x"
expect=$(q "$prod_db" "$checksum_sql")
now_ms; say "loaded in $(secs $((NOW - t_load))) s: $((db_bytes / 1048576)) MiB, $tables tables, $indexes indexes; capturing a backup"
heroku pg:backups:capture --app "$app" > "$work/capture.log" 2>&1 || { cat "$work/capture.log" >&2; exit 1; }
backup_url=$(heroku pg:backups:url --app "$app" 2>/dev/null | awk '/^https?:/ {u = $1} END {print u}')
dump_bytes=$(curl "${curl_ca[@]}" -sS -f -o /dev/null -w '%{size_download}' "$backup_url")
say "backup: $((dump_bytes / 1048576)) MiB"

check() { # DB: production's rows, indexes
  local got idx
  got=$(q "$1" "$checksum_sql")
  idx=$(q "$1" "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'")
  [ "$got" = "$expect" ] && [ "$idx" = "$indexes" ] || { say "$1: checksum $got, $idx indexes; expected $expect, $indexes"; exit 1; }
}

stamp() { # T0: each line prefixed with ms since T0
  local line t
  while IFS= read -r line; do t=${EPOCHREALTIME/./}; printf '%7d ms  %s\n' $(( t / 1000 - $1 )) "$line"; done
}

run_parity() { # TAG NAME [ARGS...]: wall ms into NAME.ms
  local tag=$1 name=$2 t0 rc=0; shift 2
  rm -rf "$XDG_CACHE_HOME/parity"
  now_ms; t0=$NOW
  (cd "$repo" && "$root/bin/development" restore production "$@") < /dev/null > "$work/$name.out" 2> >(stamp "$t0" > "$work/$name.err") || rc=$?
  now_ms
  sleep 0.1 # the stamper's last lines
  [ "$rc" -eq 0 ] || { say "$name exited with $rc"; tail -20 "$work/$name.err" >&2; exit 1; }
  [ "$tag" = warm ] || { echo $((NOW - t0)) >> "$work/$name.ms"; cp "$work/$name.err" "$work/$name.err.$tag"; }
}

run_floor() {
  local tag=$1 t0 file=$work/floor.dump
  dropdb --if-exists "$floor_db" && createdb "$floor_db"
  now_ms; t0=$NOW
  curl "${curl_ca[@]}" -sS -f -o "$file" "$backup_url"
  pg_restore --no-acl --no-owner -j2 -d "$floor_db" "$file" 2> "$work/c.err" || { cat "$work/c.err" >&2; exit 1; }
  now_ms
  rm -f "$file"
  [ "$tag" = warm ] || echo $((NOW - t0)) >> "$work/c.ms"
}

notes=()
set_rate() { # RATE: the sandbox serves every backup download at most this fast
  curl "${curl_ca[@]}" -sS -f -X POST -H "Authorization: Bearer $HEROKU_API_KEY" -H 'Content-Type: application/json' \
    -d "{\"rate\": \"$1\"}" "$HEROKU_HOST/sandbox/download-rate" > /dev/null 2>&1
}
rate_list=()
IFS=, read -r -a rate_list <<< "$rates"
if ! set_rate unlimited; then
  say "this sandbox cannot limit its download rate: measuring at loopback speed only"; rate_list=(unlimited)
fi
say "warm-up (untimed, checked)"
run_parity warm o; check "$dev_db"
run_parity warm s -- --no-comments; check "$dev_db"
run_floor warm; check "$floor_db"
rows_md=()
order=(o s c)
for rate in "${rate_list[@]}"; do
  set_rate "$rate" || { say "the sandbox refused the rate '$rate'"; exit 1; }
  rm -f "$work"/o.ms "$work"/s.ms "$work"/c.ms "$work"/o.err.* "$work"/s.err.*
  for ((r = 0; r < rounds; r++)); do
    line=""
    for ((k = 0; k < 3; k++)); do
      v=${order[$(( (k + r) % 3 ))]}
      q postgres "CHECKPOINT" >/dev/null; sync
      case $v in
        o) run_parity "$r" o; check "$dev_db"; line+=" overlapped $(secs "$(tail -1 "$work/o.ms")") s" ;;
        s) run_parity "$r" s -- --no-comments; check "$dev_db"; line+=" sequential $(secs "$(tail -1 "$work/s.ms")") s" ;;
        c) run_floor "$r"; check "$floor_db"; line+=" floor $(secs "$(tail -1 "$work/c.ms")") s" ;;
      esac
    done
    say "$rate, round $((r + 1))/$rounds:$line"
  done
  om=$(median < "$work/o.ms"); sm=$(median < "$work/s.ms"); cm=$(median < "$work/c.ms")
  early=$(grep -ho 'restored the data of [0-9]* of [0-9]* tables' "$work"/o.err.* | sed 's/restored the data of //; s/ tables//' | tr '\n' ',' | sed 's/,$//')
  rows_md+=("| $rate | $rounds | $(secs "$om") | $(secs "$sm") | $(secs "$cm") | **$(ratio "$om" "$sm")** | **$(ratio "$om" "$cm")** | $early |")
  notes+=("" "At $rate, all runs, ms: overlapped $(tr '\n' ' ' < "$work/o.ms"); sequential $(tr '\n' ' ' < "$work/s.ms"); floor $(tr '\n' ' ' < "$work/c.ms")." \
    "" "An overlapped round's stderr at $rate (ms since start):" "" '```' "$(cat "$work/o.err.0")" '```' \
    "" "A sequential round's stderr at $rate:" "" '```' "$(cat "$work/s.err.0")" '```')
done
machine="$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), $(uname -m), $(nproc) cores"
report=$work/report.md
{
  echo
  echo "## Restoring while downloading (\`bench/overlap.sh --rounds $rounds --rows-scale $scale --rates $rates\`, $(date -u +%Y-%m-%d))"
  echo
  echo "Machine: $machine; the machine is shared with other builds, so single figures are noisy: the variants are interleaved (order rotated each round), medians."
  echo "Production: $tables tables, $indexes indexes, foreign keys, generated in SQL: $((db_bytes / 1048576)) MiB on disk, dump $((dump_bytes / 1048576)) MiB, served by the sandbox over loopback HTTPS at the rate in each row. Every run is checked (row checksums, index count)."
  echo "overlapped: \`bin/development restore production\`; sequential: the same build made to download the whole dump first (\`-- --no-comments\`: an option passed on to pg_restore takes that path); floor: \`curl\` + \`pg_restore -j2\`, URL known."
  echo
  echo "| rate | rounds | overlapped s | sequential s | floor s | overlapped / sequential | overlapped / floor | tables restored while downloading |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows_md[@]}"
  printf '%s\n' "${notes[@]}"
} > "$report"
cat "$report"
"$root/bench/record" "overlap.sh" < "$report"
