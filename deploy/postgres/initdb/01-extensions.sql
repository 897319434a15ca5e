-- Runs once, when the db container initialises an empty data volume, as the superuser.
-- The registry's first migration creates these too; doing it here means the application's
-- database user never needs the right to create extensions.
CREATE EXTENSION IF NOT EXISTS pg_trgm;       -- typo-tolerant search on names
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch; -- levenshtein() for duplicate detection
CREATE EXTENSION IF NOT EXISTS unaccent;      -- accent-insensitive search
