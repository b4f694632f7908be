#!/usr/bin/env bash
# The health check of infra/compose.yaml: the same command as in the apache/kafka image.
exec java -Xmx128m -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile=file:/opt/kafka/config/log4j2.properties \
  -cp '/opt/kafka/libs/*' org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
