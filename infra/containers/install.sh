#!/usr/bin/env bash
# Installs podman and what it needs from Debian where missing, and writes the containers.conf that
# every podman call of infra/containers uses (CONTAINERS_CONF). Exit code 3: podman cannot be
# installed here (no apt-get, or not root), so the caller skips the container step.
set -euo pipefail
# shellcheck source=infra/containers/common.sh
source "$(dirname "$0")/common.sh"

PACKAGES=(podman buildah runc uidmap debootstrap catatonit podman-compose golang-github-containernetworking-plugin-dnsname)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null || [[ "$(id -u)" != 0 ]]; then
    echo "podman cannot be installed here (needs apt-get and root); missing: ${missing[*]}" >&2
    exit 3
  fi
  echo "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$STATE/apt.log"
fi

# crun cannot start containers here (setrlimit and hybrid cgroups); runc with cgroupfs can. A
# --ulimit flag replaces default_ulimits, so the defaults must already fit under the host's limits.
hard_nofile=$(ulimit -Hn)
hard_nproc=$(ulimit -Hu)
cap() { if [[ "$1" == unlimited || "$1" -gt "$2" ]]; then echo "$2"; else echo "$1"; fi; }
nofile=$(cap "$hard_nofile" 20000)
nproc=$(cap "$hard_nproc" 32768)
cat >"$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
podman --version
