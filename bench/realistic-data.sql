-- A Rails-like production database for the restore benchmarks, made inside PostgreSQL so it is quick
-- on two cores and the same for the same seed:
--   psql -X -v ON_ERROR_STOP=1 -v scale=1.0 -v seed=42 -d DB -f bench/realistic-data.sql
-- scale 1.0 is about 1 GB on disk (tables and indexes); row counts grow linearly with it.
-- 31 tables: many small lookup tables, medium ones (organizations, users, orders, products) and a few
-- big ones (events, an audit log with JSON payloads; line_items; messages with bodies), ~100 indexes,
-- foreign keys, sequences, and personal columns (users.email, names, phone, sign-in IPs, addresses,
-- API tokens) for scrub rules. Text is made of pseudo-words from a fixed syllable table, skewed
-- towards the common ones as real text is, so a custom-format dump compresses to about a third.
-- Helpers live in pg_temp and vanish with the session: the dump holds only the application's schema.
\set QUIET on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0; -- one process draws every random number, in one order
SET synchronous_commit = off;
SET session_replication_role = replica; -- the rows are made consistent; no foreign-key checks while loading
SELECT setseed((:seed % 1000003) / 1000003.0) \g /dev/null
SET bench.scale = :'scale'; -- psql does not substitute inside the functions' quoted bodies

-- a row count at this scale: the counts written below make about 1.7 GB, so 0.6 of them make 1 GB at scale 1.0
CREATE FUNCTION pg_temp.n(base numeric) RETURNS int LANGUAGE sql STABLE AS
  $$ SELECT greatest(1, round(0.6 * base * current_setting('bench.scale')::numeric))::int $$;

-- a pseudo-word: two or three syllables, common syllables more often (Zipf-like)
CREATE FUNCTION pg_temp.word() RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT s[1 + floor(48 * random() ^ 1.7)::int] || s[1 + floor(48 * random() ^ 1.4)::int]
         || CASE WHEN random() < 0.3 THEN s[1 + floor(48 * random())::int] ELSE '' END
  FROM (SELECT '{an,re,to,de,in,la,con,er,sta,mo,ti,ba,ve,pro,li,sa,or,ne,ma,pe,ri,co,un,se,lo,ta,di,ca,ment,
                 po,en,ga,fi,tion,ro,mi,vi,he,nu,ka,bri,zo,ple,qua,dro,fen,gul,wex}'::text[] AS s) v
$$;

-- N words with sentence punctuation (the word expression inline: one function call per value, not per word)
CREATE FUNCTION pg_temp.words(n int) RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT string_agg(s[1 + floor(48 * random() ^ 1.7)::int] || s[1 + floor(48 * random() ^ 1.4)::int]
                    || CASE WHEN random() < 0.3 THEN s[1 + floor(48 * random())::int] ELSE '' END
                    || CASE WHEN random() < 0.09 THEN '.' WHEN random() < 0.05 THEN ',' ELSE '' END, ' ')
  FROM generate_series(1, n), (SELECT '{an,re,to,de,in,la,con,er,sta,mo,ti,ba,ve,pro,li,sa,or,ne,ma,pe,ri,co,un,se,lo,ta,di,ca,ment,
                 po,en,ga,fi,tion,ro,mi,vi,he,nu,ka,bri,zo,ple,qua,dro,fen,gul,wex}'::text[] AS s) v
$$;

CREATE FUNCTION pg_temp.pick(a text[]) RETURNS text LANGUAGE sql VOLATILE AS
  $$ SELECT a[1 + floor(cardinality(a) * random())::int] $$;

CREATE FUNCTION pg_temp.ts(days_back int) RETURNS timestamp LANGUAGE sql VOLATILE AS
  $$ SELECT timestamp '2026-11-30 00:00' - random() * make_interval(days => days_back) $$;

CREATE TEMP TABLE first_names AS SELECT unnest('{James,Mary,Robert,Patricia,John,Jennifer,Michael,Linda,David,Elizabeth,William,
  Barbara,Richard,Susan,Joseph,Jessica,Thomas,Sarah,Charles,Karen,Daniel,Lisa,Matthew,Nancy,Anthony,Betty,Mark,Sandra,
  Donald,Margaret,Steven,Ashley,Andrew,Kimberly,Paul,Emily,Joshua,Donna,Kenneth,Michelle,Kevin,Carol,Brian,Amanda,
  Sofia,Lukas,Emma,Noah,Mia,Liam,Aiko,Yuki,Chen,Wei,Priya,Arjun,Fatima,Omar,Ana,Mateo,Ingrid,Lars,Olga,Ivan}'::text[]) AS v;
CREATE TEMP TABLE last_names AS SELECT unnest('{Smith,Johnson,Williams,Brown,Jones,Garcia,Miller,Davis,Rodriguez,Martinez,
  Hernandez,Lopez,Gonzalez,Wilson,Anderson,Thomas,Taylor,Moore,Jackson,Martin,Lee,Perez,Thompson,White,Harris,Sanchez,
  Clark,Ramirez,Lewis,Robinson,Walker,Young,Allen,King,Wright,Scott,Torres,Nguyen,Hill,Flores,Green,Adams,Nelson,
  Baker,Hall,Rivera,Campbell,Mitchell,Carter,Roberts,Mueller,Schmidt,Schneider,Fischer,Weber,Tanaka,Suzuki,Kim,Park,
  Singh,Patel,Kowalski,Novak,Silva,Santos,Rossi,Russo,Dubois,Moreau,Jensen,Hansen}'::text[]) AS v;
CREATE TEMP TABLE names AS
  SELECT array_agg(v ORDER BY v) AS first, (SELECT array_agg(v ORDER BY v) FROM last_names) AS last FROM first_names;

-- ---- schema ----------------------------------------------------------------------------------
CREATE TABLE schema_migrations (version varchar PRIMARY KEY);
CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar, created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);
CREATE TABLE countries (id bigserial PRIMARY KEY, code char(2) NOT NULL, name varchar NOT NULL, created_at timestamp(6) NOT NULL);
CREATE TABLE currencies (id bigserial PRIMARY KEY, code char(3) NOT NULL, name varchar NOT NULL, symbol varchar, decimals int NOT NULL DEFAULT 2);
CREATE TABLE time_zones (id bigserial PRIMARY KEY, name varchar NOT NULL, utc_offset_minutes int NOT NULL);
CREATE TABLE plans (id bigserial PRIMARY KEY, name varchar NOT NULL, price_cents int NOT NULL, billing_interval varchar NOT NULL,
  features jsonb NOT NULL DEFAULT '{}', created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);
CREATE TABLE roles (id bigserial PRIMARY KEY, name varchar NOT NULL, description text);
CREATE TABLE permissions (id bigserial PRIMARY KEY, name varchar NOT NULL, description text);
CREATE TABLE role_permissions (role_id bigint NOT NULL REFERENCES roles, permission_id bigint NOT NULL REFERENCES permissions,
  PRIMARY KEY (role_id, permission_id));
CREATE TABLE categories (id bigserial PRIMARY KEY, parent_id bigint REFERENCES categories, name varchar NOT NULL, slug varchar NOT NULL,
  description text, position int NOT NULL DEFAULT 0);
CREATE TABLE tags (id bigserial PRIMARY KEY, name varchar NOT NULL, taggings_count int NOT NULL DEFAULT 0);
CREATE TABLE feature_flags (id bigserial PRIMARY KEY, key varchar NOT NULL, enabled boolean NOT NULL DEFAULT false,
  rollout_percentage int NOT NULL DEFAULT 0, description text, updated_at timestamp(6) NOT NULL);
CREATE TABLE email_templates (id bigserial PRIMARY KEY, key varchar NOT NULL, locale varchar NOT NULL, subject varchar NOT NULL, body text NOT NULL);
CREATE TABLE warehouses (id bigserial PRIMARY KEY, name varchar NOT NULL, country_id bigint NOT NULL REFERENCES countries, address text NOT NULL);
CREATE TABLE tax_rates (id bigserial PRIMARY KEY, country_id bigint NOT NULL REFERENCES countries, name varchar NOT NULL,
  rate numeric(6,4) NOT NULL, valid_from date NOT NULL);
CREATE TABLE organizations (id bigserial PRIMARY KEY, name varchar NOT NULL, slug varchar NOT NULL, plan_id bigint NOT NULL REFERENCES plans,
  country_id bigint REFERENCES countries, billing_email varchar NOT NULL, settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);
CREATE TABLE users (id bigserial PRIMARY KEY, organization_id bigint NOT NULL REFERENCES organizations, email varchar NOT NULL,
  first_name varchar NOT NULL, last_name varchar NOT NULL, phone varchar, encrypted_password varchar NOT NULL,
  role_id bigint NOT NULL REFERENCES roles, time_zone_id bigint REFERENCES time_zones, sign_in_count int NOT NULL DEFAULT 0,
  current_sign_in_ip inet, last_sign_in_ip inet, confirmed_at timestamp(6), created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);
CREATE TABLE addresses (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, kind varchar NOT NULL, street_address varchar NOT NULL,
  city varchar NOT NULL, postal_code varchar NOT NULL, country_id bigint NOT NULL REFERENCES countries, created_at timestamp(6) NOT NULL);
CREATE TABLE api_keys (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, token varchar NOT NULL, scopes varchar[] NOT NULL,
  last_used_at timestamp(6), created_at timestamp(6) NOT NULL);
CREATE TABLE products (id bigserial PRIMARY KEY, category_id bigint NOT NULL REFERENCES categories, sku varchar NOT NULL, name varchar NOT NULL,
  description text, price_cents int NOT NULL, currency_id bigint NOT NULL REFERENCES currencies, active boolean NOT NULL DEFAULT true,
  created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);
CREATE TABLE product_tags (product_id bigint NOT NULL REFERENCES products, tag_id bigint NOT NULL REFERENCES tags, created_at timestamp(6) NOT NULL,
  PRIMARY KEY (product_id, tag_id));
CREATE TABLE orders (id bigserial PRIMARY KEY, number varchar NOT NULL, organization_id bigint NOT NULL REFERENCES organizations,
  user_id bigint NOT NULL REFERENCES users, shipping_address_id bigint REFERENCES addresses, status varchar NOT NULL,
  total_cents bigint NOT NULL, currency_id bigint NOT NULL REFERENCES currencies, notes text, placed_at timestamp(6),
  created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);
CREATE TABLE line_items (id bigserial PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders, product_id bigint NOT NULL REFERENCES products,
  quantity int NOT NULL, unit_price_cents int NOT NULL, discount_cents int NOT NULL DEFAULT 0, tax_rate_id bigint REFERENCES tax_rates,
  created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);
CREATE TABLE payments (id bigserial PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders, amount_cents bigint NOT NULL, provider varchar NOT NULL,
  provider_reference varchar NOT NULL, status varchar NOT NULL, response jsonb, created_at timestamp(6) NOT NULL);
CREATE TABLE shipments (id bigserial PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders, warehouse_id bigint NOT NULL REFERENCES warehouses,
  carrier varchar NOT NULL, tracking_number varchar NOT NULL, shipped_at timestamp(6), delivered_at timestamp(6));
CREATE TABLE invoices (id bigserial PRIMARY KEY, organization_id bigint NOT NULL REFERENCES organizations, number varchar NOT NULL,
  amount_cents bigint NOT NULL, currency_id bigint NOT NULL REFERENCES currencies, due_on date NOT NULL, paid_at timestamp(6),
  pdf_url varchar, created_at timestamp(6) NOT NULL);
CREATE TABLE conversations (id bigserial PRIMARY KEY, organization_id bigint NOT NULL REFERENCES organizations, subject varchar NOT NULL,
  closed boolean NOT NULL DEFAULT false, created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);
CREATE TABLE messages (id bigserial PRIMARY KEY, conversation_id bigint NOT NULL REFERENCES conversations, user_id bigint NOT NULL REFERENCES users,
  body text NOT NULL, read_at timestamp(6), created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);
CREATE TABLE comments (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, commentable_type varchar NOT NULL,
  commentable_id bigint NOT NULL, body text NOT NULL, created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);
CREATE TABLE notifications (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, kind varchar NOT NULL, payload jsonb NOT NULL,
  read_at timestamp(6), created_at timestamp(6) NOT NULL);
CREATE TABLE events (id bigserial PRIMARY KEY, organization_id bigint REFERENCES organizations, user_id bigint REFERENCES users,
  name varchar NOT NULL, subject_type varchar, subject_id bigint, payload jsonb NOT NULL, remote_ip inet, user_agent varchar,
  created_at timestamp(6) NOT NULL);

-- ---- the small tables --------------------------------------------------------------------------
INSERT INTO schema_migrations SELECT to_char(timestamp '2015-03-01' + g * interval '5 days 3 hours', 'YYYYMMDDHH24MISS') FROM generate_series(1, 420) g;
INSERT INTO ar_internal_metadata VALUES ('environment', 'production', now(), now()), ('schema_sha1', md5('schema'), now(), now());
INSERT INTO countries (code, name, created_at)
  SELECT chr(65 + g / 26 % 26) || chr(65 + g % 26), initcap(pg_temp.word() || ' ' || pg_temp.word()), pg_temp.ts(3000) FROM generate_series(0, 249) g;
INSERT INTO currencies (code, name, symbol, decimals)
  SELECT chr(65 + g % 26) || chr(65 + g / 26 % 26) || chr(66 + g % 7), initcap(pg_temp.word()), pg_temp.pick('{$,€,£,¥,kr,zł,R$}'), CASE WHEN g % 9 = 0 THEN 0 ELSE 2 END
  FROM generate_series(0, 39) g;
INSERT INTO time_zones (name, utc_offset_minutes)
  SELECT pg_temp.pick('{America,Europe,Asia,Africa,Pacific,Australia}') || '/' || initcap(pg_temp.word()) || g, (g % 27 - 12) * 60 FROM generate_series(1, 150) g;
INSERT INTO plans (name, price_cents, billing_interval, features, created_at, updated_at)
  SELECT 'plan-' || g, g * 1900, CASE WHEN g % 2 = 0 THEN 'year' ELSE 'month' END,
         jsonb_build_object('seats', g * 5, 'storage_gb', g * 10, 'sso', g > 6, 'support', pg_temp.pick('{email,chat,phone}')), pg_temp.ts(2000), pg_temp.ts(300)
  FROM generate_series(1, 12) g;
INSERT INTO roles (name, description) SELECT pg_temp.pick('{admin,member,viewer,billing,support,owner,guest,auditor,developer,manager}') || '-' || g, pg_temp.words(12) FROM generate_series(1, 10) g;
INSERT INTO permissions (name, description) SELECT pg_temp.word() || '.' || pg_temp.pick('{read,write,delete,manage,export}') || '.' || g, pg_temp.words(10) FROM generate_series(1, 120) g;
INSERT INTO role_permissions SELECT r, p FROM generate_series(1, 10) r, generate_series(1, 120) p WHERE random() < 0.35;
INSERT INTO categories (parent_id, name, slug, description, position)
  SELECT CASE WHEN g > 30 THEN 1 + floor(random() * 30)::int END, initcap(pg_temp.words(2)), 'category-' || g, pg_temp.words(25), g % 17 FROM generate_series(1, 300) g;
INSERT INTO tags (name, taggings_count) SELECT pg_temp.word() || '-' || g, floor(random() * 500)::int FROM generate_series(1, 2000) g;
INSERT INTO feature_flags (key, enabled, rollout_percentage, description, updated_at)
  SELECT 'flag_' || pg_temp.word() || '_' || g, random() < 0.5, floor(random() * 101)::int, pg_temp.words(15), pg_temp.ts(200) FROM generate_series(1, 80) g;
INSERT INTO email_templates (key, locale, subject, body)
  SELECT 'template_' || (g / 6), pg_temp.pick('{en,de,fr,es,ja,pt}') || '-' || g % 6, initcap(pg_temp.words(6)), pg_temp.words(180) FROM generate_series(0, 59) g;
INSERT INTO warehouses (name, country_id, address) SELECT 'Warehouse ' || initcap(pg_temp.word()), 1 + floor(random() * 250)::int, pg_temp.words(6) FROM generate_series(1, 20) g;
INSERT INTO tax_rates (country_id, name, rate, valid_from) SELECT 1 + (g % 250), 'VAT ' || g, round((random() * 0.27)::numeric, 4), date '2015-01-01' + (g % 9) * 365 FROM generate_series(1, 750) g;

-- ---- the medium and big tables -----------------------------------------------------------------
-- Values a row uses twice (a timestamp, a kind) come from a derived table kept apart (OFFSET 0), so
-- each is drawn once per row.
INSERT INTO organizations (name, slug, plan_id, country_id, billing_email, settings, created_at, updated_at)
  SELECT initcap(pg_temp.word() || ' ' || pg_temp.pick('{Inc,GmbH,Ltd,LLC,SA,BV,AB,Co}')), 'org-' || g, 1 + floor(random() ^ 2 * 12)::int,
         1 + floor(random() * 250)::int, 'billing+' || g || '@' || pg_temp.word() || '.' || pg_temp.pick('{com,io,de,co.uk,fr,net}'),
         jsonb_build_object('locale', pg_temp.pick('{en,de,fr,es,ja}'), 'digest', pg_temp.pick('{daily,weekly,never}'), 'sso', random() < 0.2,
                            'theme', pg_temp.pick('{light,dark,system}')),
         t, t + random() * interval '300 days'
  FROM (SELECT g, pg_temp.ts(3000) AS t FROM generate_series(1, pg_temp.n(8000)) g OFFSET 0) x;

INSERT INTO users (organization_id, email, first_name, last_name, phone, encrypted_password, role_id, time_zone_id, sign_in_count,
                   current_sign_in_ip, last_sign_in_ip, confirmed_at, created_at, updated_at)
  SELECT 1 + floor(random() * pg_temp.n(8000))::int,
         lower(f) || '.' || lower(l) || g || '@' || pg_temp.pick('{gmail.com,yahoo.com,outlook.com,hotmail.com,icloud.com,proton.me,gmx.de,example.org}'),
         f, l, CASE WHEN random() < 0.7 THEN '+1-' || (200 + floor(random() * 800)::int) || '-555-' || lpad(floor(random() * 10000)::int::text, 4, '0') END,
         '$2a$12$' || substr(md5(g::text || 'pw'), 1, 22) || substr(md5(g::text), 1, 31), 1 + floor(random() ^ 3 * 10)::int,
         1 + floor(random() * 150)::int, floor(random() ^ 2 * 900)::int,
         ('10.' || floor(random() * 256)::int || '.' || floor(random() * 256)::int || '.' || floor(random() * 256)::int)::inet,
         ('192.168.' || floor(random() * 256)::int || '.' || floor(random() * 256)::int)::inet,
         CASE WHEN random() < 0.9 THEN t + interval '1 hour' END, t, t + random() * interval '400 days'
  FROM (SELECT g, first[1 + floor(random() * cardinality(first))::int] AS f, last[1 + floor(random() * cardinality(last))::int] AS l,
               pg_temp.ts(2500) AS t
        FROM generate_series(1, pg_temp.n(100000)) g, names OFFSET 0) x;

INSERT INTO addresses (user_id, kind, street_address, city, postal_code, country_id, created_at)
  SELECT 1 + floor(random() * pg_temp.n(100000))::int, pg_temp.pick('{shipping,billing,home,work}'),
         (1 + floor(random() * 9999)::int) || ' ' || initcap(pg_temp.word()) || ' ' || pg_temp.pick('{Street,Avenue,Road,Lane,Way,Strasse,Rue}'),
         initcap(pg_temp.word()), lpad(floor(random() * 99999)::int::text, 5, '0'), 1 + floor(random() ^ 3 * 250)::int, pg_temp.ts(2000)
  FROM generate_series(1, pg_temp.n(120000)) g;

INSERT INTO api_keys (user_id, token, scopes, last_used_at, created_at)
  SELECT 1 + floor(random() * pg_temp.n(100000))::int, 'pk_live_' || md5(g::text || random()::text) || substr(md5(random()::text), 1, 8),
         (ARRAY['read', 'write', 'admin', 'billing'])[1:1 + floor(random() * 4)::int], pg_temp.ts(30), pg_temp.ts(900)
  FROM generate_series(1, pg_temp.n(20000)) g;

INSERT INTO products (category_id, sku, name, description, price_cents, currency_id, active, created_at, updated_at)
  SELECT 1 + floor(random() * 300)::int, 'SKU-' || lpad(g::text, 8, '0'), initcap(pg_temp.words(3)), pg_temp.words(20 + floor(random() * 120)::int),
         100 + floor(random() ^ 2 * 50000)::int, 1 + floor(random() ^ 4 * 40)::int, random() < 0.85, t, t + random() * interval '200 days'
  FROM (SELECT g, pg_temp.ts(2000) AS t FROM generate_series(1, pg_temp.n(20000)) g OFFSET 0) x;

INSERT INTO product_tags (product_id, tag_id, created_at)
  SELECT DISTINCT ON (p, t) p, t, timestamp '2025-01-01' + p * interval '1 minute'
  FROM (SELECT 1 + (g / 3) % pg_temp.n(20000) AS p, 1 + floor(random() ^ 2 * 2000)::int AS t
        FROM generate_series(0, pg_temp.n(60000) - 1) g OFFSET 0) x;

INSERT INTO orders (number, organization_id, user_id, shipping_address_id, status, total_cents, currency_id, notes, placed_at, created_at, updated_at)
  SELECT 'R' || lpad(g::text, 10, '0'), 1 + floor(random() * pg_temp.n(8000))::int, 1 + floor(random() * pg_temp.n(100000))::int,
         CASE WHEN random() < 0.8 THEN 1 + floor(random() * pg_temp.n(120000))::int END,
         pg_temp.pick('{complete,complete,complete,shipped,cancelled,pending,refunded}'), floor(random() ^ 2 * 200000)::int,
         1 + floor(random() ^ 4 * 40)::int, CASE WHEN random() < 0.15 THEN pg_temp.words(5 + floor(random() * 25)::int) END,
         t + interval '3 minutes', t, t + random() * interval '30 days'
  FROM (SELECT g, pg_temp.ts(1500) AS t FROM generate_series(1, pg_temp.n(300000)) g OFFSET 0) x;

INSERT INTO line_items (order_id, product_id, quantity, unit_price_cents, discount_cents, tax_rate_id, created_at, updated_at)
  SELECT 1 + (g / 4) % pg_temp.n(300000), 1 + floor(random() ^ 1.5 * pg_temp.n(20000))::int, 1 + floor(random() ^ 3 * 10)::int,
         100 + floor(random() ^ 2 * 50000)::int, CASE WHEN random() < 0.2 THEN floor(random() * 2000)::int ELSE 0 END,
         1 + floor(random() * 750)::int, t, t
  FROM (SELECT g, timestamp '2022-10-01' + g * interval '100 seconds' / :scale AS t FROM generate_series(0, pg_temp.n(1200000) - 1) g) x;

INSERT INTO payments (order_id, amount_cents, provider, provider_reference, status, response, created_at)
  SELECT g, floor(random() ^ 2 * 200000)::int, p, p || '_' || substr(md5(g::text), 1, 24), pg_temp.pick('{succeeded,succeeded,succeeded,failed,refunded}'),
         jsonb_build_object('id', p || '_' || substr(md5(g::text), 1, 24), 'object', 'charge', 'livemode', true,
                            'outcome', jsonb_build_object('network_status', 'approved_by_network', 'risk_level', pg_temp.pick('{normal,elevated}'),
                                                          'risk_score', floor(random() * 100)::int, 'seller_message', 'Payment complete.'),
                            'card', jsonb_build_object('brand', pg_temp.pick('{visa,mastercard,amex}'), 'last4', lpad(floor(random() * 10000)::int::text, 4, '0'),
                                                       'exp_year', 2026 + floor(random() * 6)::int)),
         pg_temp.ts(1500)
  FROM (SELECT g, pg_temp.pick('{stripe,paypal,adyen}') AS p FROM generate_series(1, pg_temp.n(300000)) g OFFSET 0) x;

INSERT INTO shipments (order_id, warehouse_id, carrier, tracking_number, shipped_at, delivered_at)
  SELECT g, 1 + floor(random() * 20)::int, c, upper(c) || lpad(floor(random() * 1e9)::bigint::text, 12, '0'), t,
         CASE WHEN random() < 0.9 THEN t + random() * interval '6 days' END
  FROM (SELECT g, pg_temp.pick('{ups,fedex,dhl,usps,dpd}') AS c, pg_temp.ts(1500) AS t FROM generate_series(1, pg_temp.n(250000)) g OFFSET 0) x;

INSERT INTO invoices (organization_id, number, amount_cents, currency_id, due_on, paid_at, pdf_url, created_at)
  SELECT 1 + g % pg_temp.n(8000), 'INV-' || lpad(g::text, 9, '0'), floor(random() * 500000)::int, 1 + floor(random() ^ 4 * 40)::int,
         (t + interval '30 days')::date, CASE WHEN random() < 0.92 THEN t + random() * interval '40 days' END,
         'https://files.example.com/invoices/' || md5(g::text) || '.pdf', t
  FROM (SELECT g, pg_temp.ts(1500) AS t FROM generate_series(1, pg_temp.n(60000)) g OFFSET 0) x;

INSERT INTO conversations (organization_id, subject, closed, created_at, updated_at)
  SELECT 1 + floor(random() * pg_temp.n(8000))::int, initcap(pg_temp.words(3 + floor(random() * 6)::int)), random() < 0.6, t, t + random() * interval '20 days'
  FROM (SELECT g, pg_temp.ts(1500) AS t FROM generate_series(1, pg_temp.n(40000)) g OFFSET 0) x;

INSERT INTO messages (conversation_id, user_id, body, read_at, created_at, updated_at)
  SELECT 1 + (g / 10) % pg_temp.n(40000), 1 + floor(random() * pg_temp.n(100000))::int, pg_temp.words(10 + floor(random() ^ 2 * 200)::int),
         CASE WHEN random() < 0.8 THEN t + random() * interval '2 days' END, t, t
  FROM (SELECT g, pg_temp.ts(1500) AS t FROM generate_series(0, pg_temp.n(400000) - 1) g OFFSET 0) x;

INSERT INTO comments (user_id, commentable_type, commentable_id, body, created_at, updated_at)
  SELECT 1 + floor(random() * pg_temp.n(100000))::int, ct, 1 + floor(random() * 20000)::int, pg_temp.words(5 + floor(random() ^ 2 * 80)::int), t, t
  FROM (SELECT g, pg_temp.pick('{Product,Order,Invoice,Conversation}') AS ct, pg_temp.ts(1500) AS t
        FROM generate_series(1, pg_temp.n(150000)) g OFFSET 0) x;

INSERT INTO notifications (user_id, kind, payload, read_at, created_at)
  SELECT 1 + floor(random() * pg_temp.n(100000))::int, k,
         jsonb_build_object('kind', k, 'title', initcap(pg_temp.words(4)), 'url', '/' || k || '/' || floor(random() * 300000)::int,
                            'actor_id', 1 + floor(random() * pg_temp.n(100000))::int),
         CASE WHEN random() < 0.7 THEN t + random() * interval '3 days' END, t
  FROM (SELECT g, pg_temp.pick('{order_shipped,payment_failed,comment_added,invoice_due,mention,export_ready}') AS k, pg_temp.ts(400) AS t
        FROM generate_series(1, pg_temp.n(400000)) g OFFSET 0) x;

-- the audit log: the biggest table, a JSON payload per row
INSERT INTO events (organization_id, user_id, name, subject_type, subject_id, payload, remote_ip, user_agent, created_at)
  SELECT 1 + floor(random() * pg_temp.n(8000))::int, CASE WHEN random() < 0.9 THEN 1 + floor(random() * pg_temp.n(100000))::int END,
         st || '.' || pg_temp.pick('{created,updated,viewed,deleted,exported}'), st, 1 + floor(random() * pg_temp.n(300000))::int,
         jsonb_build_object('request_id', md5(g::text), 'path', '/' || lower(st) || 's/' || floor(random() * 300000)::int,
                            'method', pg_temp.pick('{GET,GET,GET,POST,PATCH,DELETE}'), 'status', pg_temp.pick('{200,200,200,201,302,404,422}')::int,
                            'duration_ms', round((random() ^ 3 * 2000)::numeric, 1),
                            'changes', CASE WHEN random() < 0.5 THEN jsonb_build_object('status', jsonb_build_array('pending', 'complete'),
                                                                                        'note', pg_temp.words(4 + floor(random() * 12)::int)) END),
         ('10.' || floor(random() * 256)::int || '.' || floor(random() * 256)::int || '.' || floor(random() * 256)::int)::inet,
         pg_temp.pick('{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
                        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36",
                        "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
                        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
                        okhttp/4.12.0,python-requests/2.31.0,"Faraday v2.7.11"}'),
         timestamp '2023-01-01' + g * interval '25 seconds' / :scale
  FROM (SELECT g, pg_temp.pick('{Order,User,Invoice,Product,Payment,Conversation}') AS st FROM generate_series(1, pg_temp.n(1000000)) g OFFSET 0) x;

-- ---- indexes: built once the rows are in, as a restore builds them -------------------------------
CREATE UNIQUE INDEX index_countries_on_code ON countries (code);
CREATE UNIQUE INDEX index_currencies_on_code ON currencies (code);
CREATE UNIQUE INDEX index_time_zones_on_name ON time_zones (name);
CREATE UNIQUE INDEX index_plans_on_name ON plans (name);
CREATE UNIQUE INDEX index_roles_on_name ON roles (name);
CREATE UNIQUE INDEX index_permissions_on_name ON permissions (name);
CREATE INDEX index_role_permissions_on_permission_id ON role_permissions (permission_id);
CREATE UNIQUE INDEX index_categories_on_slug ON categories (slug);
CREATE INDEX index_categories_on_parent_id ON categories (parent_id);
CREATE UNIQUE INDEX index_tags_on_name ON tags (name);
CREATE UNIQUE INDEX index_feature_flags_on_key ON feature_flags (key);
CREATE UNIQUE INDEX index_email_templates_on_key_and_locale ON email_templates (key, locale);
CREATE INDEX index_warehouses_on_country_id ON warehouses (country_id);
CREATE INDEX index_tax_rates_on_country_id_and_valid_from ON tax_rates (country_id, valid_from);
CREATE UNIQUE INDEX index_organizations_on_slug ON organizations (slug);
CREATE INDEX index_organizations_on_plan_id ON organizations (plan_id);
CREATE INDEX index_organizations_on_country_id ON organizations (country_id);
CREATE UNIQUE INDEX index_users_on_email ON users (email);
CREATE INDEX index_users_on_organization_id ON users (organization_id);
CREATE INDEX index_users_on_role_id ON users (role_id);
CREATE INDEX index_users_on_time_zone_id ON users (time_zone_id);
CREATE INDEX index_users_on_last_name_and_first_name ON users (last_name, first_name);
CREATE INDEX index_users_on_created_at ON users (created_at);
CREATE INDEX index_addresses_on_user_id ON addresses (user_id);
CREATE INDEX index_addresses_on_country_id ON addresses (country_id);
CREATE INDEX index_addresses_on_postal_code ON addresses (postal_code);
CREATE UNIQUE INDEX index_api_keys_on_token ON api_keys (token);
CREATE INDEX index_api_keys_on_user_id ON api_keys (user_id);
CREATE UNIQUE INDEX index_products_on_sku ON products (sku);
CREATE INDEX index_products_on_category_id ON products (category_id);
CREATE INDEX index_products_on_currency_id ON products (currency_id);
CREATE INDEX index_products_on_name ON products (name);
CREATE INDEX index_product_tags_on_tag_id ON product_tags (tag_id);
CREATE UNIQUE INDEX index_orders_on_number ON orders (number);
CREATE INDEX index_orders_on_organization_id ON orders (organization_id);
CREATE INDEX index_orders_on_user_id ON orders (user_id);
CREATE INDEX index_orders_on_shipping_address_id ON orders (shipping_address_id);
CREATE INDEX index_orders_on_status_and_placed_at ON orders (status, placed_at);
CREATE INDEX index_orders_on_currency_id ON orders (currency_id);
CREATE INDEX index_line_items_on_order_id ON line_items (order_id);
CREATE INDEX index_line_items_on_product_id ON line_items (product_id);
CREATE INDEX index_line_items_on_tax_rate_id ON line_items (tax_rate_id);
CREATE INDEX index_line_items_on_created_at ON line_items (created_at);
CREATE INDEX index_payments_on_order_id ON payments (order_id);
CREATE UNIQUE INDEX index_payments_on_provider_and_provider_reference ON payments (provider, provider_reference);
CREATE INDEX index_payments_on_status ON payments (status);
CREATE INDEX index_shipments_on_order_id ON shipments (order_id);
CREATE INDEX index_shipments_on_warehouse_id ON shipments (warehouse_id);
CREATE INDEX index_shipments_on_tracking_number ON shipments (tracking_number);
CREATE UNIQUE INDEX index_invoices_on_number ON invoices (number);
CREATE INDEX index_invoices_on_organization_id ON invoices (organization_id);
CREATE INDEX index_invoices_on_due_on ON invoices (due_on) WHERE paid_at IS NULL;
CREATE INDEX index_conversations_on_organization_id ON conversations (organization_id);
CREATE INDEX index_conversations_on_updated_at ON conversations (updated_at);
CREATE INDEX index_messages_on_conversation_id_and_created_at ON messages (conversation_id, created_at);
CREATE INDEX index_messages_on_user_id ON messages (user_id);
CREATE INDEX index_messages_on_unread ON messages (user_id) WHERE read_at IS NULL;
CREATE INDEX index_comments_on_commentable ON comments (commentable_type, commentable_id);
CREATE INDEX index_comments_on_user_id ON comments (user_id);
CREATE INDEX index_notifications_on_user_id_and_read_at ON notifications (user_id, read_at);
CREATE INDEX index_notifications_on_created_at ON notifications (created_at);
CREATE INDEX index_events_on_organization_id_and_created_at ON events (organization_id, created_at);
CREATE INDEX index_events_on_user_id ON events (user_id);
CREATE INDEX index_events_on_subject ON events (subject_type, subject_id);
CREATE INDEX index_events_on_name ON events (name);
CREATE INDEX index_events_on_payload ON events USING gin (payload jsonb_path_ops);

-- the sequences where Rails would have them
DO $$
DECLARE r record; m bigint;
BEGIN
  FOR r IN SELECT t.relname, s.oid::regclass::text AS seq FROM pg_class s
           JOIN pg_depend d ON d.objid = s.oid AND d.deptype = 'a' JOIN pg_class t ON t.oid = d.refobjid
           WHERE s.relkind = 'S' AND s.relnamespace = 'public'::regnamespace LOOP
    EXECUTE format('SELECT max(id) FROM %I', r.relname) INTO m;
    PERFORM setval(r.seq, coalesce(m, 1));
  END LOOP;
END $$;
SET session_replication_role = origin;
UPDATE tags SET taggings_count = x.n FROM (SELECT tag_id, count(*) AS n FROM product_tags GROUP BY tag_id) x WHERE x.tag_id = tags.id;
VACUUM ANALYZE;
