#!/usr/bin/env bash
# End-to-end latency benchmark (issue 4): a device reports over MQTT to a real edge process → the
# value arrives on a real cloud process's GET /api/v1/watch (SSE). Both nodes run through
# bin/twin-cloud and bin/twin-edge; the driver (dev.edgetwin.bench.mqtt.EndToEndMain) registers
# the devices at the cloud, waits until they reached the edge, publishes at a fixed rate and
# matches every update to its watch event.
# Usage: benchmarks/end-to-end.sh [driver options...]   (e.g. --rate 10000 --seconds 20 --devices 1000;
# --warmup defaults to 30 s, by when the nodes' JIT compilers are mostly done on 2 cores)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jars="benchmarks/target/benchmarks.jar cloud-node/target/twin-cloud.jar edge-node/target/twin-edge.jar"
flags=twin-log/target/classes/edgetwin-jvm.flags
stale=0
for j in $jars; do
  if [ ! -f "$j" ] || [ -n "$(find pom.xml */pom.xml */src/main -newer "$j" -print -quit)" ]; then stale=1; fi
done
if [ "$stale" = 1 ] || [ ! -f "$flags" ]; then
  echo "building the cloud, the edge and the benchmarks ..." >&2
  ./mvnw -B -q -DskipTests package -pl cloud-node,edge-node,benchmarks -am >&2
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), java $(java -version 2>&1 | head -1 | cut -d'"' -f2), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
EDGETWIN_NO_BUILD=1 exec java @"$flags" -Djna.tmpdir="${TMPDIR:-/tmp}/edgetwin-jna-$(id -u)" ${EDGETWIN_JAVA_OPTS:-} \
  -cp benchmarks/target/benchmarks.jar dev.edgetwin.bench.mqtt.EndToEndMain --root "$root" "$@"
