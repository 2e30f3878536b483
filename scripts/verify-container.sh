#!/usr/bin/env bash
# Builds the Dockerfile and checks the container by hand: it starts in HTTP mode against a fake
# Slack, /healthz answers and the HEALTHCHECK passes, it runs as a non-root user with its SQLite
# store on /data, SIGTERM (podman stop) ends it cleanly and quickly, two replicas share one
# PostgreSQL database, and the CLI runs from the image. Not part of CI (it needs root, podman and
# minutes); run it after changing the Dockerfile, the build or the start-up.
#
# Needs: root, podman (Debian: apt-get install -y podman buildah debootstrap), Node.js 20 on this
# machine, and PostgreSQL on 127.0.0.1:5432 with trust auth for the replica check (SKIP_REPLICAS=1
# leaves it out). Where no image registry can be reached, the Node 20 base is made here: a
# minimal Debian bookworm root (debootstrap, from Debian's mirror) with this machine's node and npm
# copied in, imported as BASE_IMAGE. Containers use the host network, so the fake Slack and
# PostgreSQL on 127.0.0.1 are reachable from inside. Podman runs HEALTHCHECKs on systemd timers;
# without systemd it logs "unable to get systemd connection" and the checks here run by hand
# (podman healthcheck run), which is what the timer would do.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_IMAGE=${BASE_IMAGE:-localhost/node:20-slim}
IMAGE=${IMAGE:-localhost/lineage-bot:verify}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
NAME=lineage-bot-verify
VERIFY_DB=lineage_bot_verify

# Where root lacks CAP_SYS_RESOURCE (as in the sandbox this was first run in), podman's default
# container limits (nofile 1048576, nproc 4194304) cannot be set: ask for no more than this shell
# has, and no more than the 32768 processes podman limits itself to. crun also refuses hybrid
# cgroups (v1 with controllers on the v2 hierarchy); runc accepts them, so it is used when present.
# Both choices are harmless on an ordinary machine; OCI_RUNTIME overrides the runtime.
cap() { if [ "$1" = unlimited ] || [ "$1" -gt "$2" ]; then echo "$2"; else echo "$1"; fi; }
nofile=$(cap "$(ulimit -Hn)" 1048576)
nproc=$(cap "$(ulimit -Hu)" 32768)
runtime=${OCI_RUNTIME:-$(command -v runc >/dev/null && echo runc || echo crun)}
PODMAN=(podman --runtime "$runtime")
LIMITS=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")

work=$(mktemp -d)
containers=()
fake_slack_pid=""
cleanup() {
  for c in "${containers[@]}"; do podman rm -f -v "$c" >/dev/null 2>&1 || true; done
  podman volume rm -f "$NAME-data" >/dev/null 2>&1 || true
  if [ -n "$fake_slack_pid" ]; then kill "$fake_slack_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
pass() { printf 'ok: %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
# check WHAT COMMAND…: passes or stops the script (a bare `cmd && pass` would not stop it under set -e).
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
not() { ! "$@"; }

free_port() { node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"; }

# Whether a container's log has a line matching a pattern. The log is read whole first: piped
# into `grep -q`, podman logs can die of SIGPIPE when grep stops reading, and pipefail then
# counts a match as none.
has_log() { local text; text=$(podman logs "$1" 2>&1); grep -q -- "$2" <<<"$text"; }

# Waits until a container's log says it listens, or fails with the log.
wait_listening() {
  local c=$1
  for _ in $(seq 1 120); do
    if has_log "$c" 'Listening for Slack'; then return 0; fi
    if [ "$(podman inspect --format '{{.State.Running}}' "$c")" != "true" ]; then podman logs "$c" >&2; fail "$c exited before listening"; fi
    sleep 0.5
  done
  podman logs "$c" >&2
  fail "$c did not start listening within 60 s"
}

healthz() { node -e "fetch('http://127.0.0.1:$1/healthz').then(async (r) => { console.log(r.status, await r.text()); process.exit(r.ok ? 0 : 1); }, (e) => { console.error(e.message); process.exit(1); })"; }

run_bot() { # name port store-url
  "${PODMAN[@]}" run "${LIMITS[@]}" -d --name "$1" --network host \
    -e SLACK_BOT_TOKEN=xoxb-verify-container -e SLACK_SIGNING_SECRET=verify-container-secret \
    -e SLACK_API_URL="http://127.0.0.1:$slack_port/api/" -e PORT="$2" -e STORE_URL="$3" \
    "${@:4}" "$IMAGE" >/dev/null
  containers+=("$1")
}

stop_cleanly() { # name
  local started ended code
  started=$(date +%s.%N)
  podman stop -t 30 "$1" >/dev/null
  ended=$(date +%s.%N)
  code=$(podman inspect --format '{{.State.ExitCode}}' "$1")
  printf '%s: podman stop took %s s, exit code %s\n' "$1" "$(awk "BEGIN { printf \"%.1f\", $ended - $started }")" "$code"
  [ "$code" = 0 ] || { podman logs "$1" >&2; fail "$1 exited $code on SIGTERM"; }
  has_log "$1" 'Shutting down' || fail "$1 did not log its shutdown"
  awk "BEGIN { exit !($ended - $started < 10) }" || fail "$1 took 10 s or more to stop"
}

step "Base image $BASE_IMAGE"
if podman image exists "$BASE_IMAGE"; then
  echo "present; remove it (podman rmi $BASE_IMAGE) to make it again"
else
  root="$work/root"
  debootstrap --variant=minbase bookworm "$root" "$DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; fail debootstrap; }
  node_bin=$(readlink -f "$(command -v node)")
  prefix=$(dirname "$(dirname "$node_bin")")
  # Laid out as in the official node images: /usr/local/{bin,lib/node_modules,include/node}.
  install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules" "$root/usr/local/include"
  cp -a "$prefix/lib/node_modules/npm" "$root/usr/local/lib/node_modules/"
  cp -a "$prefix/include/node" "$root/usr/local/include/"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  # What this machine's npm needs to install and build offline from nodejs.org and GitHub: the
  # headers for node-gyp (there are no prebuilt better-sqlite3 downloads here) and, when the
  # registry is reached through a TLS-intercepting proxy, its CA (npm's cafile on this machine).
  mkdir -p "$root/usr/local/etc"
  echo 'nodedir=/usr/local' >"$root/usr/local/etc/npmrc"
  host_ca=${HOST_CA:-$(npm config get cafile 2>/dev/null || true)}
  if [ -n "$host_ca" ] && [ "$host_ca" != null ] && [ -f "$host_ca" ]; then
    install -D -m 0644 "$host_ca" "$root/usr/local/share/npm-ca.crt"
    echo 'cafile=/usr/local/share/npm-ca.crt' >>"$root/usr/local/etc/npmrc"
  fi
  chroot "$root" groupadd --gid 1000 node
  chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
  tar -C "$root" -c . | podman import --change 'CMD ["node"]' - "$BASE_IMAGE" >/dev/null
  echo "imported from debootstrap bookworm (minbase) with node $(chroot "$root" /usr/local/bin/node --version)"
fi
echo "runtime $runtime, limits ${LIMITS[*]}"
"${PODMAN[@]}" run "${LIMITS[@]}" --rm "$BASE_IMAGE" sh -c 'echo "node $(node --version), npm $(npm --version), $(. /etc/os-release; echo "$PRETTY_NAME"), user $(id -nu 1000)"'

step "Build $IMAGE (docker format, so HEALTHCHECK is kept)"
started=$(date +%s)
# npm's cache from this machine makes `npm ci` in the build stage quick; it changes nothing else.
"${PODMAN[@]}" build "${LIMITS[@]}" --format docker --network host -v "$(npm config get cache):/root/.npm" --build-arg BASE="$BASE_IMAGE" -t "$IMAGE" . >"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; fail 'podman build'; }
echo "built in $(( $(date +%s) - started )) s; $(podman image inspect --format '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
podman image inspect --format 'user={{.Config.User}} entrypoint={{.Config.Entrypoint}} volumes={{.Config.Volumes}}' "$IMAGE"
podman image inspect --format 'healthcheck={{.Config.Healthcheck.Test}}' "$IMAGE"
podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE" | grep -E '^(STORE_URL|PORT|NODE_ENV)='
check 'no dev dependency and no TypeScript sources in the image' "${PODMAN[@]}" run "${LIMITS[@]}" --rm --no-healthcheck --entrypoint sh "$IMAGE" \
  -c 'test ! -e /app/node_modules/tsx && test ! -e /app/node_modules/typescript && test ! -e /app/src'

step 'Fake Slack on 127.0.0.1 (answers every Web API method with ok)'
node -e "
  const server = require('http').createServer((req, res) => {
    console.log(req.method, req.url);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, url: 'https://verify.slack.test/', team: 'Verify', user: 'lineage', team_id: 'TVERIFY', user_id: 'UBOT', bot_id: 'BBOT' }));
  });
  server.listen(0, '127.0.0.1', () => require('fs').writeFileSync('$work/slack-port', String(server.address().port)));
" >"$work/slack.log" 2>&1 &
fake_slack_pid=$!
for _ in $(seq 1 50); do [ -s "$work/slack-port" ] && break; sleep 0.1; done
slack_port=$(cat "$work/slack-port")
echo "listening on port $slack_port"

step 'HTTP mode with the SQLite store on the /data volume'
port=$(free_port)
run_bot "$NAME" "$port" 'sqlite:/data/lineage-bot.db' -v "$NAME-data:/data"
wait_listening "$NAME"
podman logs "$NAME" 2>&1 | sed 's/^/  log: /'
check 'checked the token with auth.test at start-up' grep -q 'auth.test' "$work/slack.log"
check "/healthz answers on port $port" healthz "$port"
check 'HEALTHCHECK passes' podman healthcheck run "$NAME"
echo "health status: $(podman inspect --format '{{.State.Healthcheck.Status}}' "$NAME")"
check "runs as $(podman exec "$NAME" id)" test "$(podman exec "$NAME" id -u)" = 1000
check 'node is PID 1' test "$(podman exec "$NAME" cat /proc/1/comm)" = node
podman exec "$NAME" ls -ln /data
check 'the store file is on /data, owned by the runtime user' test "$(podman exec "$NAME" stat -c %u /data/lineage-bot.db)" = 1000
check 'no secret in the log' not has_log "$NAME" 'xoxb-verify-container\|verify-container-secret'

# The check must be able to fail: with the bot not started, nothing answers /healthz.
"${PODMAN[@]}" run "${LIMITS[@]}" -d --name "$NAME-idle" --network host -e PORT="$(free_port)" --entrypoint sleep "$IMAGE" 60 >/dev/null
containers+=("$NAME-idle")
if podman healthcheck run "$NAME-idle" >/dev/null 2>&1; then fail 'HEALTHCHECK passed with nothing listening'; fi
pass 'HEALTHCHECK fails when nothing answers /healthz'
podman rm -f -v -t 0 "$NAME-idle" >/dev/null

step 'SIGTERM: podman stop'
stop_cleanly "$NAME"
podman logs "$NAME" 2>&1 | tail -3 | sed 's/^/  log: /'

if [ "${SKIP_REPLICAS:-}" != 1 ]; then
  step "Two replicas on one PostgreSQL database ($PG_URL/$VERIFY_DB)"
  psql "$PG_URL/postgres" -q -c "DROP DATABASE IF EXISTS $VERIFY_DB" -c "CREATE DATABASE $VERIFY_DB"
  port_a=$(free_port)
  port_b=$(free_port)
  run_bot "$NAME-a" "$port_a" "$PG_URL/$VERIFY_DB"
  run_bot "$NAME-b" "$port_b" "$PG_URL/$VERIFY_DB"
  wait_listening "$NAME-a"
  wait_listening "$NAME-b"
  check 'replica a answers /healthz' healthz "$port_a"
  check 'replica b answers /healthz' healthz "$port_b"
  check 'the HEALTHCHECK of replica a passes' podman healthcheck run "$NAME-a"
  check 'the HEALTHCHECK of replica b passes' podman healthcheck run "$NAME-b"
  echo "migrations applied: $(psql "$PG_URL/$VERIFY_DB" -At -c 'SELECT count(*) FROM schema_migrations') (once, shared by both)"
  stop_cleanly "$NAME-a"
  stop_cleanly "$NAME-b"
  psql "$PG_URL/postgres" -q -c "DROP DATABASE $VERIFY_DB"
fi

step 'The CLI from the image'
usage=$("${PODMAN[@]}" run "${LIMITS[@]}" --rm --no-healthcheck "$IMAGE" record --help)
head -2 <<<"$usage"
check 'record --help runs from the image' grep -q '^Usage: lineage-bot record' <<<"$usage"
usage=$("${PODMAN[@]}" run "${LIMITS[@]}" --rm --no-healthcheck --entrypoint lineage-bot "$IMAGE" --help)
check 'lineage-bot is on the PATH' grep -q '^Usage:' <<<"$usage"
answer=$(printf '/lineage fg customers\n' | "${PODMAN[@]}" run "${LIMITS[@]}" --rm --no-healthcheck -i -e STORE_URL=sqlite::memory: "$IMAGE")
grep -A2 '^Consumers of feature group customers' <<<"$answer"
check 'the console answers from the image' grep -q 'churn-predictor → churn-predictor-prod' <<<"$answer"
# A picture reads fonts, Graphviz's WebAssembly and resvg's native module at run time.
picture=$("${PODMAN[@]}" run "${LIMITS[@]}" --rm --no-healthcheck --entrypoint sh "$IMAGE" -c \
  'cd /tmp && lineage-bot graph customers --out customers.png && head -c 8 customers.png | od -An -c')
printf '%s\n' "$picture"
check 'lineage-bot graph draws a PNG in the image' grep -q 'P   N   G' <<<"$picture"

printf '\nAll container checks passed.\n'
