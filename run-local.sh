#!/usr/bin/env bash
# Starts a local Taskwire cluster on embedded defaults: one scheduler and two workers, each its own
# JVM, logs under .taskwire-local/. Ctrl-C stops all three.
#
# Ports (override through the environment): HTTP API 8080, RSocket 7000, scheduler actuator 9090,
# workers' actuator 8081/8082.
set -euo pipefail
cd "$(dirname "$0")"

HTTP_PORT="${TASKWIRE_HTTP_PORT:-8080}"
RSOCKET_PORT="${TASKWIRE_RSOCKET_PORT:-7000}"
MANAGEMENT_PORT="${TASKWIRE_MANAGEMENT_PORT:-9090}"
WORKER_PORTS=("${TASKWIRE_WORKER1_PORT:-8081}" "${TASKWIRE_WORKER2_PORT:-8082}")
STATE=.taskwire-local
mkdir -p "$STATE"

# Fresh random tokens for this run only (the scheduler starts with none otherwise). They go to the
# processes through the environment, not the command line, so `ps` does not show them.
random_token() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
WORKER_TOKEN=$(random_token)
CLIENT_TOKEN=$(random_token)
( umask 077; printf '%s\n' "$CLIENT_TOKEN" > "$STATE/client-token" )

echo "Building (tests skipped; run them with: mvn -B verify) ..."
mvn -q -B -DskipTests package

scheduler_jar=$(ls scheduler-service/target/scheduler-service-*-exec.jar)
worker_jar=$(ls worker-service/target/worker-service-*-exec.jar)
pids=()

stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping the cluster ..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

wait_for_port() { # port, what, seconds
  for _ in $(seq 1 "$3"); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 1
  done
  echo "$2 did not open port $1 within $3 s; see $STATE/*.log" >&2
  exit 1
}

TASKWIRE_SECURITY_WORKER_TOKENS="$WORKER_TOKEN" TASKWIRE_SECURITY_CLIENT_TOKENS="$CLIENT_TOKEN" \
  java -jar "$scheduler_jar" --server.port="$HTTP_PORT" --spring.rsocket.server.port="$RSOCKET_PORT" \
  --management.server.port="$MANAGEMENT_PORT" \
  > "$STATE/scheduler.log" 2>&1 &
pids+=($!)
for i in 0 1; do
  TASKWIRE_WORKER_TOKEN="$WORKER_TOKEN" java -jar "$worker_jar" --server.port="${WORKER_PORTS[$i]}" --taskwire.worker.id="worker-$((i + 1))" \
    --taskwire.worker.scheduler.port="$RSOCKET_PORT" > "$STATE/worker-$((i + 1)).log" 2>&1 &
  pids+=($!)
done
wait_for_port "$HTTP_PORT" "The scheduler" 60
wait_for_port "${WORKER_PORTS[0]}" "worker-1" 60
wait_for_port "${WORKER_PORTS[1]}" "worker-2" 60

cat <<INFO

Taskwire is running.
  HTTP API        http://localhost:$HTTP_PORT/api/v1/tasks
  Workers         http://localhost:$HTTP_PORT/api/v1/workers
  Health          http://localhost:$MANAGEMENT_PORT/actuator/health   (metrics: /actuator/prometheus)
  RSocket         tcp://localhost:$RSOCKET_PORT
  Logs            $STATE/scheduler.log, $STATE/worker-1.log, $STATE/worker-2.log
  Client token    $STATE/client-token   (made for this run; the API needs it as a Bearer token)

Submit a task and wait for its result:
  curl -s -H "Authorization: Bearer \$(cat $STATE/client-token)" -H 'Content-Type: application/json' \\
    -d '{"type":"echo","payload":{"hello":"world"}}' 'http://localhost:$HTTP_PORT/api/v1/tasks?waitMs=5000'

Press Ctrl-C to stop.
INFO
wait -n "${pids[@]}" || true
echo "A process of the cluster exited; see $STATE/*.log" >&2
