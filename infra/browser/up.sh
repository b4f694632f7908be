#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser of its own).
set -euo pipefail
installed() { dpkg-query -W -f='${Status} ${Version}\n' chromium 2>/dev/null | grep '^install ok installed'; }
if found=$(installed); then
  echo "chromium: Debian package ${found##* } (/usr/bin/chromium)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "chromium is missing: install Debian's package (apt-get install chromium) as root, then run again" >&2
  exit 1
fi
echo "chromium: installing Debian's package (about 130 packages the first time)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q chromium >/dev/null 2>&1 \
  || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
found=$(installed)
echo "chromium: Debian package ${found##* } (/usr/bin/chromium)"
