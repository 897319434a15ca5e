#!/bin/sh
# Container start: wait for PostgreSQL, bring the schema and roles up to date, make sure
# an Administrator exists, then run the given command (gunicorn by default).
# Every step is idempotent, so a restart repeats them harmlessly.
set -eu
cd "$(dirname "$0")/.."

# The nightly import writes its rejects files beside the partners' exports. If Docker
# created the host folder for the bind mount it belongs to root, and the first import
# would crash at 01:30: refuse now, saying what to run.
imports_dir="${REGISTRY_IMPORTS_DIR:-/app/imports}"
if [ -d "$imports_dir" ] && ! [ -w "$imports_dir" ]; then
  echo "entrypoint: $imports_dir is not writable by uid $(id -u); on the host run \`sudo chown 10001:10001 imports\` in the folder holding docker-compose.yml, then start again." >&2
  exit 1
fi

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
