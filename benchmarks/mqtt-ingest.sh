#!/usr/bin/env bash
# MQTT ingest benchmark (issue 4): KubeEdge twin updates at QoS 1 through the edge (journal +
# projection + result publish) vs the same load through Debian's mosquitto with no twin logic.
# Usage: benchmarks/mqtt-ingest.sh [load-driver options...]   (e.g. --clients 16 --window 200 --seconds 20)
# The load generator runs on the same machine and its CPU counts in cpu/update: --generator raw
# (default: RawLoadClient, a minimal MQTT client over java.nio on one thread, batching frames
# per write; --raw-batch-us 500 by default, 0 to not park between turns) or --generator vertx
# (Vert.x MQTT clients, several times more CPU per update; --loops event loops).
# Installs mosquitto with apt-get when it is missing (the test suite does not need it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=benchmarks/target/benchmarks.jar
flags=twin-log/target/classes/edgetwin-jvm.flags
if [ ! -f "$jar" ] || [ ! -f "$flags" ] || [ -n "$(find pom.xml */pom.xml */src/main -newer "$jar" -print -quit)" ]; then
  echo "building $jar ..." >&2
  ./mvnw -B -q -DskipTests package -pl benchmarks -am >&2
fi
if ! command -v mosquitto >/dev/null; then
  echo "installing mosquitto (apt-get) ..." >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto; } >&2
fi

work="$(mktemp -d)"
mosquitto_pid=""
cleanup() {
  [ -n "$mosquitto_pid" ] && kill "$mosquitto_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
run() {
  java @"$flags" -Djna.tmpdir="$work/jna" ${EDGETWIN_JAVA_OPTS:-} -cp "$jar" dev.edgetwin.bench.mqtt.MqttIngestMain "$@" \
    2> "$work/driver.err" | grep -v 'joined node\|established successfully'
}

echo "== edge (embedded broker, in the driver's JVM)"
edge_line="$(run --target edge --data-dir "$work/edge" "$@" | tee /dev/stderr | grep '^RESULT')"
echo "load average after the edge run: $(cut -d' ' -f1-3 /proc/loadavg)"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
max_inflight_messages 0
max_queued_messages 100000
log_dest none
CONF
mosquitto -c "$work/mosquitto.conf" &
mosquitto_pid=$!
sleep 1
echo "== mosquitto $(mosquitto -h 2>/dev/null | head -1 | awk '{print $3}') (no twin logic)"
base_line="$(run --target "tcp://127.0.0.1:$port" --broker-pid "$mosquitto_pid" "$@" | tee /dev/stderr | grep '^RESULT')"
echo "load average after the mosquitto run: $(cut -d' ' -f1-3 /proc/loadavg)"

edge_tp="$(sed -E 's/.*throughput=([0-9,]+).*/\1/' <<<"$edge_line" | tr -d ,)"
base_tp="$(sed -E 's/.*throughput=([0-9,]+).*/\1/' <<<"$base_line" | tr -d ,)"
echo "$edge_line"
echo "$base_line"
echo "RATIO edge/mosquitto throughput = $(python3 -c "print(round($edge_tp/$base_tp, 3))")"
