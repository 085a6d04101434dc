#!/usr/bin/env bash
# Install Debian's Chromium if it is not there: the web interface's tests drive it with
# Playwright (executable_path=/usr/bin/chromium; Playwright downloads no browser). They
# fail, never skip, without it.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "Debian's chromium is not installed and could not be installed here" >&2
  exit 1
fi
