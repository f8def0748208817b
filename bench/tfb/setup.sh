#!/usr/bin/env bash
# Idempotent setup for the TechEmpower-style benchmark (bench/tfb):
#   1. the Debian packages the Python peers and the load generator need;
#   2. the TFB database (World, Fortune) in PostgreSQL, seeded by seed.ts.
# Usage: bash bench/tfb/setup.sh   (DATABASE_URL overrides postgres://postgres@127.0.0.1:5432/hello_world)
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=(python3-django python3-flask gunicorn python3-psycopg2 wrk)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
else
  echo "Debian packages present: ${packages[*]}"
fi

npx tsx bench/tfb/seed.ts
