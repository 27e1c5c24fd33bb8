#!/usr/bin/env bash
# WeasyPrint needs Pango and HarfBuzz's subsetter (libharfbuzz-subset0); without the latter it falls back
# silently to a path about 5x slower. Install them with apt-get when we can, or say in one line what is missing.
set -uo pipefail
missing=()
have_lib() { /sbin/ldconfig -p 2>/dev/null | grep -q "$1" ; }
have_lib 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi
fi
if command -v apt-get >/dev/null && { [ "$(id -u)" = "0" ] || [ -n "$SUDO" ]; }; then
  echo "Installing system libraries for PDFs: ${missing[*]}"
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
fi
echo "WARNING: PDFs (badges, agenda, letters) need these system libraries: ${missing[*]} (e.g. 'apt-get install ${missing[*]}'). The rest of Accord runs without them." >&2
exit 0
