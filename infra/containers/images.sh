#!/usr/bin/env bash
# Builds the images of the podman stack, each tagged with a hash of its inputs; an image whose tag
# already exists is reused. Writes .local/containers/images.env with the tags. One build at a time.
#   base       debootstrap bookworm + Python (base-image.sh)
#   platform   infra/Dockerfile with PYTHON_IMAGE=base (the Dockerfile's own default stays public)
#   postgres   Debian's PostgreSQL on the base (images/postgres)
#   kafka      Java 17 and the broker jars that infra/kafka/pom.xml resolves (images/kafka)
#   collector  a local OTLP/HTTP collector stand-in (images/otel-collector)
set -euo pipefail
# shellcheck source=infra/containers/common.sh
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"

build_once() { # NAME TAG COMMAND...: run COMMAND only when TAG is missing
  local name="$1" tag="$2"; shift 2
  if image_exists "$tag"; then
    echo "$name: reusing $tag"
    return
  fi
  local started=$SECONDS
  echo "$name: building $tag"
  "$@"
  echo "$name: built in $((SECONDS - started))s"
  remove_older "$tag"
}

remove_older() { # TAG: drop the other tags of its repository, so old builds do not pile up
  local repository="${1%:*}" old
  for old in $(podman images --format '{{.Repository}}:{{.Tag}}' "$repository"); do
    [[ "$old" == "$1" ]] || podman rmi "$old" >/dev/null 2>&1 || true
  done
}

podman_build() { # TAG CONTEXT [ARGS...]: quiet build, log kept in $STATE
  local tag="$1" context="$2"; shift 2
  local log="$STATE/build-${tag##*/}.log"
  log="${log//:/-}"
  podman build --layers --jobs 1 -t "$tag" "$@" "$context" >"$log" 2>&1 || { tail -n 40 "$log" >&2; return 1; }
}

base_tag="localhost/carbon-registry/base:$(inputs_hash infra/containers/base-image.sh -- "$(apt_mirror)" "$(extra_ca_hash)")"
build_once base "$base_tag" bash infra/containers/base-image.sh "$base_tag"

platform_tag="localhost/carbon-registry/platform:$(inputs_hash infra/Dockerfile .dockerignore pyproject.toml README.md \
  gateway services tenants -- "$base_tag")"
build_once platform "$platform_tag" \
  podman_build "$platform_tag" . -f infra/Dockerfile --build-arg "PYTHON_IMAGE=$base_tag"
# compose.yaml names the registry image carbon-registry:local.
podman tag "$platform_tag" localhost/carbon-registry:local

postgres_tag="localhost/carbon-registry/postgres:$(inputs_hash infra/containers/images/postgres -- "$base_tag")"
build_once postgres "$postgres_tag" \
  podman_build "$postgres_tag" infra/containers/images/postgres --build-arg "BASE_IMAGE=$base_tag"

# The broker jars come from the pom infra/kafka uses, plus kafka-tools for the health check command.
kafka_libs() {
  local context="$STATE/kafka-context"
  rm -rf "$context" && mkdir -p "$context"
  cp -r infra/containers/images/kafka/. "$context/"
  mvn -q -B -f infra/kafka/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$context/libs" >"$STATE/mvn.log" 2>&1 \
    && mvn -q -B -f infra/kafka/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.apache.kafka:kafka-tools:$(kafka_version)" -DoutputDirectory="$context/libs" >>"$STATE/mvn.log" 2>&1 \
    || { cat "$STATE/mvn.log" >&2; return 1; }
  podman_build "$kafka_tag" "$context" --build-arg "BASE_IMAGE=$base_tag"
}
kafka_version() { sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' infra/kafka/pom.xml; }
kafka_tag="localhost/carbon-registry/kafka:$(inputs_hash infra/kafka/pom.xml infra/containers/images/kafka -- "$base_tag")"
build_once kafka "$kafka_tag" kafka_libs

collector_tag="localhost/carbon-registry/otel-collector:$(inputs_hash infra/containers/images/otel-collector -- "$base_tag")"
build_once collector "$collector_tag" \
  podman_build "$collector_tag" infra/containers/images/otel-collector --build-arg "BASE_IMAGE=$base_tag"

cat >"$STATE/images.env" <<EOF
REGISTRY_CT_BASE_IMAGE=$base_tag
REGISTRY_CT_PLATFORM_IMAGE=$platform_tag
REGISTRY_CT_POSTGRES_IMAGE=$postgres_tag
REGISTRY_CT_KAFKA_IMAGE=$kafka_tag
REGISTRY_CT_COLLECTOR_IMAGE=$collector_tag
EOF
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^localhost/carbon-registry' || true
