#!/usr/bin/env bash
# Install veraPDF, the PDF Association's reference validator for PDF/A and PDF/UA, into
# INSTALL_DIR and print the path of its `verapdf` command. The release workflow runs it
# on GitHub's runner to validate the PDFs of a release (veraPDF is on no package index
# the build uses: not PyPI, npm or Debian).
#
#   scripts/install-verapdf.sh INSTALL_DIR      (needs java, curl, unzip, sha256sum)
#
# The release is pinned: its installer archive is checked against a fixed SHA-256
# before anything in it runs, and a mismatch stops with status 1. To move to another
# release, change VERSION and SHA256 together, from the archive as published at
# https://software.verapdf.org/releases/ (and its signature).
# VERAPDF_URL may name another copy of the same archive (a mirror, a cache); the
# checksum still decides.
set -euo pipefail

VERSION="1.30.2"
SHA256="6cc6341cb1af644044054b81f00a6590a7918abb18f762243de115258bcad838"
SERIES="${VERSION%.*}"
ARCHIVE="verapdf-greenfield-${VERSION}-installer.zip"
URL="${VERAPDF_URL:-https://software.verapdf.org/releases/${SERIES}/${ARCHIVE}}"

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 INSTALL_DIR" >&2
  exit 2
fi
target="$(mkdir -p "$1" && cd "$1" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

curl --fail --silent --show-error --location --retry 3 --output "$work/$ARCHIVE" "$URL"
if ! echo "$SHA256  $work/$ARCHIVE" | sha256sum --check --status; then
  echo "error: $URL is not veraPDF $VERSION: its SHA-256 is" \
       "$(sha256sum "$work/$ARCHIVE" | cut -d' ' -f1), expected $SHA256" >&2
  exit 1
fi
unzip -q "$work/$ARCHIVE" -d "$work/unpacked"
installer="$(find "$work/unpacked" -name "verapdf-izpack-installer-*.jar" | head -n 1)"
if [ -z "$installer" ]; then
  echo "error: $ARCHIVE holds no installer" >&2
  exit 1
fi

# The installer's answers, for an installation without questions (IzPack): the
# application and its command-line scripts; no documentation or sample plugins. The
# script pack is called differently in different releases: both names are given.
cat > "$work/answers.xml" <<XML
<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<AutomatedInstallation langpack="eng">
  <com.izforge.izpack.panels.htmlhello.HTMLHelloPanel id="welcome"/>
  <com.izforge.izpack.panels.target.TargetPanel id="install_dir">
    <installpath>${target}</installpath>
  </com.izforge.izpack.panels.target.TargetPanel>
  <com.izforge.izpack.panels.packs.PacksPanel id="sdk_pack_select">
    <pack name="veraPDF GUI" selected="true"/>
    <pack name="veraPDF CLI" selected="true"/>
    <pack name="veraPDF Mac and *nix Scripts" selected="true"/>
    <pack name="veraPDF Validation model" selected="true"/>
    <pack name="veraPDF Documentation" selected="false"/>
    <pack name="veraPDF Sample Plugins" selected="false"/>
  </com.izforge.izpack.panels.packs.PacksPanel>
  <com.izforge.izpack.panels.install.InstallPanel id="install"/>
  <com.izforge.izpack.panels.finish.FinishPanel id="finish"/>
</AutomatedInstallation>
XML
java -jar "$installer" "$work/answers.xml" >&2

command="$target/verapdf"
if [ ! -x "$command" ]; then
  # Without the script pack: the command-line application's own entry point.
  jar="$(find "$target" -name "greenfield-apps-*.jar" | head -n 1)"
  if [ -z "$jar" ]; then
    echo "error: the installation in $target has no veraPDF application" >&2
    exit 1
  fi
  printf '#!/bin/sh\nexec java -cp "%s" org.verapdf.apps.GreenfieldCliWrapper "$@"\n' \
    "$jar" > "$command"
  chmod +x "$command"
fi
"$command" --version >&2
echo "$command"
