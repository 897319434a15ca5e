#!/bin/sh
# Container start: wait for PostgreSQL, bring the schema and roles up to date, make sure
# an Administrator exists, then run the given command (gunicorn by default).
# Every step is idempotent, so a restart repeats them harmlessly.
set -eu
cd "$(dirname "$0")/.."

wait_seconds="${DATABASE_WAIT_SECONDS:-60}"
waited=0
error_file="$(mktemp)"
trap 'rm -f "$error_file"' EXIT
# registry.dbcheck prints one clear sentence when the server does not answer.
until python -m registry.dbcheck 2>"$error_file"; do
  if [ "$waited" -ge "$wait_seconds" ]; then
    cat "$error_file" >&2
    echo "entrypoint: the database did not answer within ${wait_seconds}s; giving up." >&2
    exit 1
  fi
  sleep 2
  waited=$((waited + 2))
done

# With several web containers, let one run the setup (REGISTRY_SETUP_ON_START=true) and
# start the others with it false, so two migrations never race.
if [ "${REGISTRY_SETUP_ON_START:-true}" = "true" ]; then
  python manage.py migrate --no-input
  python manage.py setup_roles
  python manage.py setup_reports
  python manage.py create_first_administrator
fi

rm -f "$error_file"
trap - EXIT
exec "$@"
