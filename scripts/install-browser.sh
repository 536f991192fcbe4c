#!/usr/bin/env bash
# Installs what the browser tests run on when it is missing: Debian's Chromium, and a Java
# runtime for the Nu HTML checker (end2end/tests/html.test.mjs).
set -euo pipefail
missing=()
if ! { [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; } && [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium)
fi
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ ${#missing[@]} -eq 0 ] && exit 0
printf '\033[1m==> %s\033[0m\n' "installing ${missing[*]} from Debian's packages"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
