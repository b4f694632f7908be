#!/usr/bin/env bash
# Start (or reuse) a single-node KRaft Kafka broker for tests and write .local/kafka.env.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
PORT=${REGISTRY_KAFKA_PORT:-59092} CPORT=${REGISTRY_KAFKA_CONTROLLER_PORT:-59093}
BOOTSTRAP=127.0.0.1:$PORT
STATE="$ROOT/.local/kafka"
LIBS="$STATE/libs" PIDFILE="$STATE/kafka.pid" ENV_FILE="$ROOT/.local/kafka.env"
PY=${PYTHON:-.venv/bin/python}
mkdir -p "$STATE"

say() { echo "kafka: $*" >&2; }

write_env() { # bootstrap pidfile
  printf 'export %s=%q\n' KAFKA_BOOTSTRAP_SERVERS "$1" KAFKA_PIDFILE "$2" > "$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

# Waits (bounded) until a kafka-python admin client sees a broker; prints the broker's
# version as kafka-python infers it. Gives up early when the given pid dies.
wait_ready() { # bootstrap timeout_s [pid]
  "$PY" - "$@" <<'PY'
import logging, sys, time
from kafka import KafkaAdminClient
logging.disable(logging.CRITICAL)
servers, timeout, pid = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0
deadline = time.monotonic() + timeout

def alive(pid):  # a zombie has an empty cmdline
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"kafka.Kafka" in f.read()
    except OSError:
        return False

err = "no broker listed yet"
while True:
    try:
        admin = KafkaAdminClient(bootstrap_servers=servers, bootstrap_timeout_ms=3000,
                                 request_timeout_ms=5000, client_id="infra-up")
        try:
            if admin.describe_cluster()["brokers"]:
                version = getattr(getattr(admin, "_manager", None), "broker_version", None)
                print(".".join(map(str, version)) if version else "unknown")
                sys.exit(0)
        finally:
            admin.close()
    except Exception as exc:
        err = exc
    if pid and not alive(pid):
        sys.exit(f"kafka: broker process {pid} exited")
    if time.monotonic() > deadline:
        sys.exit(f"kafka: no broker at {servers} after {timeout:.0f}s ({err!r})")
    time.sleep(0.5)
PY
}

# 1. An external broker given by the caller (our own address falls through to step 2).
if [[ -n ${KAFKA_BOOTSTRAP_SERVERS:-} && $KAFKA_BOOTSTRAP_SERVERS != "$BOOTSTRAP" ]]; then
  if version=$(wait_ready "$KAFKA_BOOTSTRAP_SERVERS" 5 2>/dev/null); then
    write_env "$KAFKA_BOOTSTRAP_SERVERS" ""
    echo "kafka: external broker $KAFKA_BOOTSTRAP_SERVERS, protocol level of Kafka $version"
    exit 0
  fi
  say "KAFKA_BOOTSTRAP_SERVERS is set but not reachable; starting the local broker instead"
fi

# 2. The local broker.
if ! command -v mvn >/dev/null || ! ls /usr/lib/jvm/java-17-openjdk-*/bin/java >/dev/null 2>&1; then
  [[ $(id -u) == 0 ]] || { say "Maven and Java 17 are needed; install maven and openjdk-17-jre-headless"; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  pkgs=(maven openjdk-17-jre-headless)
  apt-get install -y -q "${pkgs[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null; apt-get install -y -q "${pkgs[@]}" >/dev/null; }
fi
JAVA=$(ls /usr/lib/jvm/java-17-openjdk-*/bin/java | head -n1)

# Jars: re-resolved only when the pom changes. Resolved into a temp folder so an interrupted run leaves no half cache.
pom_sum=$(sha256sum infra/kafka/pom.xml | cut -c1-64)
if [[ $(cat "$LIBS/.pom.sha256" 2>/dev/null) != "$pom_sum" ]]; then
  say "resolving broker jars with Maven"
  rm -rf "$LIBS.tmp"
  mvn -q -B -f infra/kafka/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIBS.tmp" >"$STATE/mvn.log" 2>&1 || { cat "$STATE/mvn.log" >&2; exit 1; }
  echo "$pom_sum" > "$LIBS.tmp/.pom.sha256"
  rm -rf "$LIBS"
  mv "$LIBS.tmp" "$LIBS"
fi
KAFKA_VERSION=$(basename "$(ls "$LIBS"/kafka_2.13-*.jar)" .jar); KAFKA_VERSION=${KAFKA_VERSION#kafka_2.13-}

pid=$(cat "$PIDFILE" 2>/dev/null || true)
if [[ -n $pid ]] && grep -qa kafka.Kafka "/proc/$pid/cmdline" 2>/dev/null; then
  wait_ready "$BOOTSTRAP" 30 "$pid" >/dev/null
else
  cat > "$STATE/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$STATE/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
EOF
  cat > "$STATE/log4j2.properties" <<'EOF'
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.out.ref = OUT
# keeps the "Kafka Server started" line
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
EOF
  jvm=("$JAVA" -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true
       "-Dlog4j2.configurationFile=file:$STATE/log4j2.properties" "-Dkafka.logs.dir=$STATE/logs"
       -cp "$LIBS/*")
  if [[ ! -f $STATE/data/meta.properties ]]; then
    # Cluster id: 22 chars of base64url over 16 random bytes. Static voters, so no --standalone.
    cid=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
    "${jvm[@]}" kafka.tools.StorageTool format -t "$cid" -c "$STATE/server.properties" >"$STATE/format.log" 2>&1 \
      || { cat "$STATE/format.log" >&2; exit 1; }
  fi
  nohup "${jvm[@]}" kafka.Kafka "$STATE/server.properties" </dev/null >"$STATE/broker.out" 2>&1 &
  echo $! > "$PIDFILE"
  wait_ready "$BOOTSTRAP" 90 "$(cat "$PIDFILE")" >/dev/null || { tail -n 30 "$STATE/broker.out" >&2; exit 1; }
fi

write_env "$BOOTSTRAP" "$PIDFILE"
echo "kafka: local broker Apache Kafka $KAFKA_VERSION on $BOOTSTRAP ($("$JAVA" -version 2>&1 | head -n1))"
