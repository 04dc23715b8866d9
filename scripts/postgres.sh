# A throwaway PostgreSQL cluster for the test command. Sourced after
# bootstrap.sh; `start_throwaway_postgres` installs Debian's PostgreSQL when
# missing, starts a cluster of its own on a free loopback port in a temp
# directory, exports TEST_POSTGRES_URL, and stops and deletes the cluster
# when the calling script exits. Nothing else on the machine is touched.

# initdb and postgres refuse to run as root (CI runs as root): run them as
# the unprivileged `postgres` user the Debian package creates.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_throwaway_postgres() {
  apt_ensure postgresql python3
  local bin port
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  PG_TEST_DIR="$(mktemp -d /tmp/xq-shop-postgres.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown postgres: "$PG_TEST_DIR"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_postgres "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null
  # fsync off: this cluster lives for one test run; durability is tested on
  # SQLite, whose setting the shop's single-machine default relies on.
  # (PG_TEST_FSYNC=on for a benchmark that pays for durable commits.)
  as_postgres "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -s start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c max_connections=300 -c fsync=${PG_TEST_FSYNC:-off}"
  trap stop_throwaway_postgres EXIT
  export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') test cluster at $TEST_POSTGRES_URL"
}

stop_throwaway_postgres() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  as_postgres "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -s stop || true
  rm -rf "$PG_TEST_DIR"
}
