#!/usr/bin/env bash
# Make PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) available for the tests:
# start them when installed but stopped; install them from Debian packages when missing
# and we are root. Does nothing when both already answer.
set -euo pipefail

pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }

need_install=()
if ! pg_up && ! ls /etc/postgresql/*/main >/dev/null 2>&1; then need_install+=(postgresql); fi
# The binary is needed even when a Redis already runs: outage tests and the drill start their own.
if ! command -v redis-server >/dev/null 2>&1; then need_install+=(redis-server); fi
if ((${#need_install[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need_install[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_install[@]}" >/dev/null
  else
    echo "missing ${need_install[*]}: install them, or point TEST_DATABASE_URL / TEST_REDIS_URL elsewhere" >&2
    exit 1
  fi
fi

if ! pg_up; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  # Fresh Debian clusters use peer auth on the socket only; the tests connect over TCP as postgres.
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -q "^host all all 127.0.0.1/32 trust" "$hba" 2>/dev/null && [[ $(id -u) -eq 0 ]]; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
fi
if ! redis_up; then
  echo "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no
fi

for _ in $(seq 1 30); do
  if pg_up && redis_up; then exit 0; fi
  sleep 1
done
echo "PostgreSQL or Redis did not come up" >&2
exit 1
