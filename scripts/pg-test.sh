#!/usr/bin/env bash
# A private PostgreSQL server for the store tests (ctest fixture "pg", docs/DEVELOPMENT.md).
#
#   scripts/pg-test.sh start STATE_DIR   initdb into a fresh temp dir, start postgres on
#                                        127.0.0.1 with a random free port, write its URL to
#                                        STATE_DIR/url (and the temp dir to STATE_DIR/dir)
#   scripts/pg-test.sh stop STATE_DIR    stop that server, delete its temp dir and both files
#
# The server listens on 127.0.0.1 only, its unix socket lives in the temp dir, and the one role
# (teepnet) has trust auth: nothing outside this machine can reach it, and it holds test data
# only. postgres refuses to run as root, so as root every server command runs as the postgres
# user and the temp dir belongs to it.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
ROLE=teepnet

usage() {
  echo "usage: $0 start|stop STATE_DIR" >&2
  exit 2
}

[[ $# -eq 2 ]] || usage
action=$1
state=$2

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop_server() {
  local dir=$1
  [[ -d $dir/data ]] || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  # If pg_ctl could not stop it, do not leave a postmaster behind.
  if [[ -f $dir/data/postmaster.pid ]]; then
    local pid
    pid=$(head -n 1 "$dir/data/postmaster.pid" || true)
    if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
      kill -QUIT "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
}

start() {
  [[ -x $PG_BIN/initdb ]] || {
    echo "pg-test: $PG_BIN/initdb not found (run make deps: postgresql)" >&2
    exit 1
  }
  mkdir -p "$state"
  if [[ -f $state/dir ]]; then  # a previous run that was not stopped
    stop_server "$(cat "$state/dir")"
    rm -rf "$(cat "$state/dir")"
  fi
  rm -f "$state/url" "$state/dir"

  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/teepnet-pg.XXXXXX")
  chmod 0700 "$dir"
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$dir"; fi
  echo "$dir" >"$state/dir"
  as_pg mkdir "$dir/sock"
  as_pg "$PG_BIN/initdb" -D "$dir/data" -U "$ROLE" --auth=trust -E UTF8 --no-sync \
    --no-instructions >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }

  # A random port; when it is taken postgres fails to bind and the next one is tried.
  local port started=0
  for _ in $(seq 20); do
    port=$((20000 + RANDOM % 40000))
    if as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off \
          -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
      start >/dev/null 2>&1; then
      started=1
      break
    fi
  done
  if [[ $started -ne 1 ]]; then
    echo "pg-test: postgres did not start; its log:" >&2
    cat "$dir/server.log" >&2 || true
    exit 1
  fi
  echo "postgres://$ROLE@127.0.0.1:$port/postgres" >"$state/url"
  echo "pg-test: $(cat "$state/url") (data in $dir)"
}

stop() {
  if [[ ! -f $state/dir ]]; then
    echo "pg-test: nothing to stop in $state"
    return 0
  fi
  local dir
  dir=$(cat "$state/dir")
  stop_server "$dir"
  rm -rf "$dir"
  rm -f "$state/url" "$state/dir"
  echo "pg-test: stopped"
}

case $action in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
