#!/bin/sh
# Install the Debian packages the build (or the tests) need, if they are missing.
#   build: Pango for WeasyPrint, HarfBuzz for fast font subsetting, the Noto fonts
#          (the theme's fallback chain: every script, symbols, emoji); ICU with its
#          headers, pkg-config, a C++ compiler and Python's headers, to build PyICU
#          (collation by language) against the system's ICU
#   test:  a Java runtime (EPUBCheck, Nu Html Checker), Node.js with npm (vnu-jar, DAISY
#          Ace), Chromium (Ace and the browser tests), Calibre (the Kindle conversion),
#          poppler-utils (pdftotext, for the right-to-left samples), curl and unzip
#          (the veraPDF installer's tests)
# Runs apt-get through sudo unless already root. Does nothing when all is present.
set -eu
need=""
missing() { ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
           fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji \
           libicu-dev pkg-config g++ python3-dev; do
  missing "$pkg" && need="$need $pkg"
done
if [ "${1:-build}" = test ]; then
  command -v java >/dev/null 2>&1 || need="$need default-jre-headless"
  command -v node >/dev/null 2>&1 || need="$need nodejs"
  command -v npm >/dev/null 2>&1 || need="$need npm"
  # FOLIO_CHROMIUM names a browser already there (CI images that have Chrome).
  [ -n "${FOLIO_CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || need="$need chromium"
  command -v ebook-convert >/dev/null 2>&1 || need="$need calibre"
  # pdftotext reads a right-to-left PDF's text back in reading order (the RTL tests).
  command -v pdftotext >/dev/null 2>&1 || need="$need poppler-utils"
  # The release workflow's veraPDF installer (scripts/install-verapdf.sh, tested here)
  # fetches with curl and unpacks with unzip.
  command -v curl >/dev/null 2>&1 || need="$need curl"
  command -v unzip >/dev/null 2>&1 || need="$need unzip"
  # Playwright's own Node.js (it drives the browser in the tests) needs libatomic.
  missing libatomic1 && need="$need libatomic1"
fi
[ -z "$need" ] && exit 0
echo "Installing Debian packages:$need"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $need
