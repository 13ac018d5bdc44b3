#!/usr/bin/env bash
# The services the test suite talks to, started if this machine has them stopped:
# PostgreSQL on 127.0.0.1:5432 (storage tests run on it too) and Redis on 127.0.0.1:6379
# (rate limits shared by several app instances). Called by `make test`.
set -euo pipefail
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  service postgresql start || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  service redis-server start || redis-server --bind 127.0.0.1 --port 6379 --daemonize yes
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL 未能启动" >&2; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis 未能启动" >&2; exit 1; }
