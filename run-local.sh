#!/usr/bin/env bash
# Starts a local Taskwire cluster on embedded defaults: one scheduler, two workers and the sample
# application (taskwire-sample: a worker and a client of its own, on the Spring Boot starter), each
# its own JVM; logs and the scheduler's task store (an H2 database) under .taskwire-local/. Ctrl-C
# stops all four; so does SIGTERM, the way to stop it from a script (a background job of a
# non-interactive shell ignores SIGINT).
#
# Ports (override through the environment): HTTP API 8080, RSocket 7000, scheduler actuator 9090,
# workers' actuator 8081/8082, the sample's HTTP 8083.
set -euo pipefail
cd "$(dirname "$0")"

HTTP_PORT="${TASKWIRE_HTTP_PORT:-8080}"
RSOCKET_PORT="${TASKWIRE_RSOCKET_PORT:-7000}"
MANAGEMENT_PORT="${TASKWIRE_MANAGEMENT_PORT:-9090}"
WORKER_PORTS=("${TASKWIRE_WORKER1_PORT:-8081}" "${TASKWIRE_WORKER2_PORT:-8082}")
SAMPLE_PORT="${TASKWIRE_SAMPLE_PORT:-8083}"
STATE=.taskwire-local
mkdir -p "$STATE"

# Fresh random tokens for this run only (the scheduler starts with none otherwise). They go to the
# processes through the environment, not the command line, so `ps` does not show them.
random_token() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
WORKER_TOKEN=$(random_token)
CLIENT_TOKEN=$(random_token)
( umask 077; printf '%s\n' "$CLIENT_TOKEN" > "$STATE/client-token" )

# The build, quiet but with a line per module and its time; the whole log goes to build.log.
build() {
  echo "Building (tests skipped; run them with: mvn -B verify; log: $STATE/build.log) ..."
  local started=$SECONDS status
  set +e
  mvn -B -Dstyle.color=never -DskipTests package 2>&1 | tee "$STATE/build.log" | {
    module="" since=$SECONDS
    while IFS= read -r line; do
      if [[ $line =~ ^\[INFO\]\ Building\ (.+)\ [^\ ]+\ +\[([0-9]+/[0-9]+)\]$ ]]; then
        [ -n "$module" ] && printf '  %-40s %4d s\n' "$module" $((SECONDS - since))
        module="${BASH_REMATCH[2]} ${BASH_REMATCH[1]}" since=$SECONDS
      fi
    done
    [ -n "$module" ] && printf '  %-40s %4d s\n' "$module" $((SECONDS - since))
  }
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    grep -E '^\[ERROR\]' "$STATE/build.log" | head -20 >&2
    echo "The build failed; the whole log is $STATE/build.log" >&2
    exit "$status"
  fi
  echo "Built in $((SECONDS - started)) s."
}
build

scheduler_jar=$(ls scheduler-service/target/scheduler-service-*-exec.jar)
worker_jar=$(ls worker-service/target/worker-service-*-exec.jar)
sample_jar=$(ls taskwire-sample/target/taskwire-sample-*-exec.jar)
names=(scheduler worker-1 worker-2 sample)
pids=()
stopping=""

stop_all() {
  stopping=yes
  trap - INT TERM EXIT
  echo
  echo "Stopping the cluster ..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
# Ctrl-C, or SIGTERM (`kill <pid of this script>`; a script started in the background by a
# non-interactive shell ignores SIGINT, so stop it with SIGTERM)
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

# the name of a cluster process that is no longer running, if any
exited() {
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then echo "${names[$i]}"; return 0; fi
  done
  return 1
}

wait_for_port() { # port, what, seconds
  for _ in $(seq 1 "$3"); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    if gone=$(exited); then echo "$gone exited while starting; see $STATE/$gone.log" >&2; exit 1; fi
    sleep 1
  done
  echo "$2 did not open port $1 within $3 s; see $STATE/*.log" >&2
  exit 1
}

# GET on the scheduler's HTTP API with the client token (bash alone: a fresh machine may lack curl)
api_get() { # path
  local body
  exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nAuthorization: Bearer %s\r\n\r\n' "$1" "$CLIENT_TOKEN" >&3
  body=$(cat <&3)
  exec 3<&-
  printf '%s' "$body"
}

# until the scheduler lists every worker as registered (ONLINE, or BUSY once it runs tasks)
wait_for_workers() { # seconds, worker ids...
  local seconds=$1 missing=()
  shift
  for _ in $(seq 1 "$seconds"); do
    local workers
    workers=$(api_get /api/v1/workers 2>/dev/null || true)
    missing=()
    for id in "$@"; do
      [[ $workers =~ \"workerId\":\"$id\",\"host\":\"[^\"]*\",\"status\":\"(ONLINE|BUSY)\" ]] || missing+=("$id")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if gone=$(exited); then echo "$gone exited while starting; see $STATE/$gone.log" >&2; exit 1; fi
    sleep 1
  done
  echo "The scheduler does not list ${missing[*]} as online after $seconds s; see $STATE/${missing[0]}.log" >&2
  exit 1
}

TASKWIRE_SECURITY_WORKER_TOKENS="$WORKER_TOKEN" TASKWIRE_SECURITY_CLIENT_TOKENS="$CLIENT_TOKEN" \
  java -jar "$scheduler_jar" --server.port="$HTTP_PORT" --spring.rsocket.server.port="$RSOCKET_PORT" \
  --management.server.port="$MANAGEMENT_PORT" --taskwire.scheduler.store.h2-directory="./$STATE/store" \
  > "$STATE/scheduler.log" 2>&1 &
pids+=($!)
for i in 0 1; do
  TASKWIRE_WORKER_TOKEN="$WORKER_TOKEN" java -jar "$worker_jar" --server.port="${WORKER_PORTS[$i]}" --taskwire.worker.id="worker-$((i + 1))" \
    --taskwire.worker.scheduler.port="$RSOCKET_PORT" > "$STATE/worker-$((i + 1)).log" 2>&1 &
  pids+=($!)
done
TASKWIRE_WORKER_TOKEN="$WORKER_TOKEN" TASKWIRE_CLIENT_TOKEN="$CLIENT_TOKEN" java -jar "$sample_jar" \
  --server.port="$SAMPLE_PORT" --taskwire.worker.scheduler.port="$RSOCKET_PORT" \
  --taskwire.client.addresses="localhost:$RSOCKET_PORT" > "$STATE/sample.log" 2>&1 &
pids+=($!)
echo "Starting the scheduler, two workers and the sample application ..."
wait_for_port "$HTTP_PORT" "The scheduler" 60
wait_for_workers 90 worker-1 worker-2 sample-1

# the sample runs one task of its own handler through the scheduler once it is registered
sample_ran=""
for _ in $(seq 1 30); do
  sample_ran=$(grep -m1 -o "The start-up word-count task.*" "$STATE/sample.log" || true)
  [ -n "$sample_ran" ] && break
  sleep 1
done

cat <<INFO

Taskwire is running: the scheduler lists worker-1, worker-2 and sample-1 as online.
  HTTP API        http://localhost:$HTTP_PORT/api/v1/tasks
  Workers         http://localhost:$HTTP_PORT/api/v1/workers
  Health          http://localhost:$MANAGEMENT_PORT/actuator/health   (metrics: /actuator/prometheus)
  RSocket         tcp://localhost:$RSOCKET_PORT
  Sample          http://localhost:$SAMPLE_PORT/word-count   (taskwire-sample: its own handler and client)
  Logs            $STATE/scheduler.log, $STATE/worker-1.log, $STATE/worker-2.log, $STATE/sample.log
  Client token    $STATE/client-token   (made for this run; the API needs it as a Bearer token)

Submit a task and wait for its result:
  curl -s -H "Authorization: Bearer \$(cat $STATE/client-token)" -H 'Content-Type: application/json' \\
    -d '{"type":"echo","payload":{"hello":"world"}}' 'http://localhost:$HTTP_PORT/api/v1/tasks?waitMs=5000'

Run the sample's own word-count handler through the scheduler, with its own client:
  curl -s -H 'Content-Type: application/json' -d '{"text":"to be or not to be"}' http://localhost:$SAMPLE_PORT/word-count

The sample at start-up: ${sample_ran:-(no line yet; see $STATE/sample.log)}

Press Ctrl-C to stop (from a script: kill -TERM $$).
INFO
wait -n "${pids[@]}" || true
if [ -z "$stopping" ]; then
  gone=$(exited || echo "a process")
  echo "$gone exited by itself; stopping the rest. See $STATE/$gone.log" >&2
  exit 1
fi
