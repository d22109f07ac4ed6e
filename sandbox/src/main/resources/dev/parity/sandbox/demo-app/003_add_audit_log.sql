-- One transaction: when a statement fails, nothing of this migration stays.
BEGIN;
CREATE TABLE audit_log (id serial PRIMARY KEY, user_id integer NOT NULL REFERENCES users, action text NOT NULL);
-- a mistake: users.name is NOT NULL
INSERT INTO users (name) VALUES (NULL);
COMMIT;
