#!/usr/bin/env bash
# System packages the tests need: ICU headers (PyICU), a Java runtime (PySpark), Debian's chromium (Playwright e2e tests drive
# /usr/bin/chromium headless) and PostgreSQL (the case store's postgres contract tests).
# Idempotent; run as root (CI containers) or with sudo available.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then need+=(postgresql); fi
# PyICU (name transliteration, via rigour) builds against ICU; PySpark needs a Java runtime.
[ -e /usr/include/unicode/utypes.h ] || need+=(libicu-dev pkg-config)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)

if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-noto-cjk
fi
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo missing)"
echo "postgres: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | head -1 || echo missing)"
