"""The release workflow validates the PDFs with veraPDF before it publishes them, with a
pinned release whose checksum is verified (scripts/install-verapdf.sh). veraPDF itself
runs only on GitHub's runner; here the script is run against archives that are not
veraPDF's, which it must refuse before running anything in them."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import yaml
from helpers import ROOT

INSTALLER = ROOT / "scripts" / "install-verapdf.sh"
RELEASE = ROOT / ".github" / "workflows" / "release.yml"


def _install(target: Path, url: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(INSTALLER), str(target)], capture_output=True,
                          text=True, timeout=60, env={"PATH": "/usr/bin:/bin",
                                                      "VERAPDF_URL": url})


def test_an_archive_with_another_checksum_is_refused_before_it_runs(tmp_path):
    archive = tmp_path / "verapdf-greenfield-installer.zip"
    with zipfile.ZipFile(archive, "w") as bundle:  # what an installer would hold
        bundle.writestr("verapdf-greenfield-1.30.2/verapdf-izpack-installer-1.30.2.jar",
                        b"not veraPDF")
    result = _install(tmp_path / "verapdf", archive.as_uri())
    assert result.returncode == 1, result
    assert "is not veraPDF 1.30.2: its SHA-256 is" in result.stderr
    assert not (tmp_path / "verapdf" / "verapdf").exists()
    assert not list((tmp_path / "verapdf").iterdir())  # nothing unpacked or installed


def test_an_archive_that_cannot_be_fetched_stops_the_install(tmp_path):
    result = _install(tmp_path / "verapdf", (tmp_path / "missing.zip").as_uri())
    assert result.returncode != 0 and result.stdout == ""


def test_the_install_needs_its_folder():
    result = subprocess.run(["bash", str(INSTALLER)], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 2 and "usage:" in result.stderr


def test_the_pinned_release_has_a_full_checksum():
    text = INSTALLER.read_text(encoding="utf-8")
    assert re.search(r'^VERSION="\d+\.\d+\.\d+"$', text, re.M)
    assert re.search(r'^SHA256="[0-9a-f]{64}"$', text, re.M)
    assert "sha256sum --check" in text


def test_the_release_validates_both_pdfs_before_publishing():
    steps = yaml.safe_load(RELEASE.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    names = [step.get("name", step.get("uses", "")) for step in steps]
    install = next(i for i, n in enumerate(names) if n.startswith("Install veraPDF"))
    validate = names.index("Validate the PDFs with veraPDF")
    publish = names.index("Publish the GitHub Release")
    build = names.index("Build the release")
    assert build < install < validate < publish
    assert "scripts/install-verapdf.sh" in steps[install]["run"]
    check = steps[validate]
    assert check["env"]["SCREEN_PROFILE"] == "ua1"
    assert "PRINT_PROFILE" in check["env"]  # the PDF/X profile, a variable
    assert '"$FOLDER"/*-"$VERSION".pdf' in check["run"]
    assert '"$FOLDER"/*-"$VERSION"-print.pdf' in check["run"]
    assert "${{" not in check["run"]  # expressions reach the script through env:
