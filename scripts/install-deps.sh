#!/usr/bin/env bash
# Installs what yiwang needs to build, run and test on Debian 12, and nothing else.
# Idempotent: a package already present is not fetched again, so `make run` and
# `make test` can call it every time at the cost of one dpkg query.
set -euo pipefail

# Build and runtime libraries, then the tools the tests and benchmarks drive. fonts-noto-cjk
# lets the browser and the PDF notices (cairo + pango) draw Chinese text instead of empty boxes;
# poppler-utils' pdftotext reads the notices back in the tests.
PKGS=(
  build-essential pkg-config
  libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev libssl-dev libsodium-dev
  libcmocka-dev clang-14 libclang-rt-14-dev libqrencode-dev
  libopencc-dev libopencc-data
  libxlsxwriter-dev libzip-dev libexpat1-dev
  libpango1.0-dev libcairo2-dev libcurl4-openssl-dev poppler-utils
  postgresql
  nodejs npm
  chromium fonts-noto-cjk
  nginx-light wrk
)

missing=()
for p in "${PKGS[@]}"; do
  # nodejs/npm may come from elsewhere on the machine; accept any working binary.
  case "$p" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages: ${missing[*]} (run as root, or install them)" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# nginx-light starts a default site on port 80 when installed; the bench runs its own
# instance with its own config, so the packaged one is not needed.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now nginx >/dev/null 2>&1 || true; fi

# JavaScript: the web app's and the tests' packages, each from its committed lock file.
here=$(cd "$(dirname "$0")/.." && pwd)
for dir in "$here" "$here/web"; do
  [ -f "$dir/package-lock.json" ] || continue
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
