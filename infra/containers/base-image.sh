#!/usr/bin/env bash
# Makes the local base image TAG without a container registry: a Debian bookworm minbase root
# filesystem from the mirror apt already uses, Python 3 with venv and pip, `python` on PATH, and the
# host's extra certificate authorities (a TLS-inspecting proxy) so pip and apt work in builds.
#   infra/containers/base-image.sh TAG
set -euo pipefail
# shellcheck source=infra/containers/common.sh
source "$(dirname "$0")/common.sh"
tag="$1"

rootfs="$STATE/base-rootfs"
rm -rf "$rootfs"
mkdir -p "$rootfs"
trap 'rm -rf "$rootfs"' EXIT

mirror="$(apt_mirror)"
echo "debootstrap bookworm from $mirror"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$STATE/debootstrap.log" 2>&1 \
  || { tail -n 30 "$STATE/debootstrap.log" >&2; exit 1; }

if compgen -G "/usr/local/share/ca-certificates/*" >/dev/null; then
  echo "copying the host's extra CA certificates"
  cp -r /usr/local/share/ca-certificates/. "$rootfs/usr/local/share/ca-certificates/"
fi
chroot "$rootfs" /usr/bin/env DEBIAN_FRONTEND=noninteractive bash -euc '
  apt-get install -y -qq --no-install-recommends \
    python3 python3-venv python3-pip python-is-python3 ca-certificates >/dev/null
  update-ca-certificates >/dev/null
  apt-get clean
  rm -rf /var/lib/apt/lists/*
' >>"$STATE/debootstrap.log" 2>&1 || { tail -n 30 "$STATE/debootstrap.log" >&2; exit 1; }

tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$tag" >/dev/null
echo "imported $tag"
