#!/usr/bin/env bash
# KAFKA_FOO_BAR=value becomes foo.bar=value (KAFKA_HEAP_OPTS and KAFKA_OPTS are JVM options); the
# storage is formatted with CLUSTER_ID when the log directory has no meta.properties yet.
set -euo pipefail
: "${CLUSTER_ID:?CLUSTER_ID is required}" "${KAFKA_LOG_DIRS:=/var/lib/kafka/data}"
properties=/tmp/server.properties
env | while IFS='=' read -r name value; do
  case "$name" in
    KAFKA_HEAP_OPTS | KAFKA_OPTS) ;;
    KAFKA_*) printf '%s=%s\n' "$(tr '[:upper:]_' '[:lower:].' <<<"${name#KAFKA_}")" "$value" ;;
  esac
done >"$properties"

# shellcheck disable=SC2206
jvm=(java ${KAFKA_HEAP_OPTS:--Xmx512m} ${KAFKA_OPTS:-} -XX:+UseG1GC -Djava.awt.headless=true
  -Dlog4j2.configurationFile=file:/opt/kafka/config/log4j2.properties -cp '/opt/kafka/libs/*')
if [[ ! -e "$KAFKA_LOG_DIRS/meta.properties" ]]; then
  "${jvm[@]}" kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$properties"
fi
exec "${jvm[@]}" kafka.Kafka "$properties"
