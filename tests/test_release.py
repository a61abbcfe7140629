"""`build.py release`: the files, their checksums and manifest, byte-identical twice;
the version checked against the tag; the workflows that publish it; and the
outside-link checker (against a local server only)."""

from __future__ import annotations

import hashlib
import http.server
import json
import subprocess
import threading
import time

import pytest
import yaml
from helpers import ROOT, SAMPLE, write_book

from folio.errors import BuildError
from folio.lint.external_links import check_url, check_urls
from folio.release import check_tag, release, release_notes

WORKFLOWS = ROOT / ".github" / "workflows"


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """The sample book released twice, from scratch, with the same SOURCE_DATE_EPOCH."""
    folders = []
    for run in ("one", "two"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
            patch.delenv("GITHUB_REF_TYPE", raising=False)
            folders.append(release(SAMPLE, tmp_path_factory.mktemp(run) / "output"))
    return folders


def test_release_writes_every_artefact(releases):
    folder = releases[0]
    assert folder.name == "1.2.3"
    names = sorted(p.name for p in folder.iterdir())
    stem = "a-sample-book-1.2.3"
    assert names == sorted([f"{stem}.pdf", f"{stem}-print.pdf", f"{stem}-cover.pdf",
                            f"{stem}.epub", f"{stem}-html.zip", f"{stem}-handouts.zip",
                            "RELEASE-NOTES.md", "SHA256SUMS", "manifest.json"])


def test_checksums_verify_with_sha256sum(releases):
    result = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"],
                            cwd=releases[0], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": OK") == 8


def test_manifest_describes_the_files(releases):
    folder = releases[0]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["version"] == "1.2.3"
    assert manifest["book"]["title"] == "A Sample Book"
    assert manifest["build_date"] == "2023-11-14T22:13:20Z"
    assert len(manifest["source_commit"]) in (40, 7) or manifest["source_commit"] == "unknown"
    listed = {f["name"]: f for f in manifest["files"]}
    for path in folder.iterdir():
        if path.name == "manifest.json" or path.name == "SHA256SUMS":
            continue
        entry = listed[path.name]
        assert entry["size"] == path.stat().st_size
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert listed["a-sample-book-1.2.3.epub"]["media_type"] == "application/epub+zip"


def test_two_releases_are_byte_identical(releases):
    first, second = releases
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_release_notes_come_from_the_changelog(releases):
    notes = (releases[0] / "RELEASE-NOTES.md").read_text()
    assert notes.startswith("## 1.2.3")
    assert "## 1.2.2" not in notes


def test_a_version_without_changelog_section_is_refused(tmp_path):
    book = write_book(tmp_path / "book")
    (book / "CHANGELOG.md").write_text("# Changelog\n\n## 0.0.9 – 2026-01-01\n\nOld.\n")
    with pytest.raises(BuildError, match="no section for version 0.1.0"):
        release_notes(book, "0.1.0")


def test_a_tag_that_does_not_match_the_version_is_refused(monkeypatch):
    from folio.read.config import load_config

    config = load_config(SAMPLE)
    monkeypatch.setenv("GITHUB_REF_TYPE", "tag")
    monkeypatch.setenv("GITHUB_REF_NAME", "v9.9.9")
    with pytest.raises(BuildError) as raised:
        check_tag(config)
    assert "v9.9.9" in raised.value.format() and "book.yaml:" in raised.value.format()
    monkeypatch.setenv("GITHUB_REF_NAME", "v1.2.3")
    check_tag(config)


def test_the_first_book_has_release_notes_for_its_version():
    from folio.read.config import load_config

    config = load_config(ROOT / "manuscript")
    assert release_notes(ROOT / "manuscript", config.version).startswith(f"## {config.version}")


# --- workflows -------------------------------------------------------------------------

def _workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _steps(job: dict) -> str:
    return "\n".join(str(step.get("uses", "")) + " " + str(step.get("run", ""))
                     for step in job["steps"])


def test_ci_workflow_runs_the_readme_test_command():
    ci = _workflow("ci.yml")
    assert "push" in ci["on"] and "pull_request" in ci["on"]
    assert ci["permissions"] == {"contents": "read"}
    steps = _steps(ci["jobs"]["test"])
    assert "make test" in steps and "actions/setup-python@" in steps
    assert ci["jobs"]["test"]["steps"][1]["with"]["cache"] == "pip"


def test_release_workflow_tests_builds_verifies_and_publishes():
    workflow = _workflow("release.yml")
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert "make test" in _steps(jobs["test"])
    build = jobs["build"]
    assert build["needs"] == "test" and build["permissions"] == {"contents": "write"}
    steps = _steps(build)
    for part in ("build.py release", "sha256sum --check", "gh release create",
                 "actions/upload-pages-artifact@"):
        assert part in steps, part
    pages = jobs["pages"]
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert "actions/deploy-pages@" in _steps(pages)


def test_links_workflow_is_weekly_and_on_demand():
    workflow = _workflow("links.yml")
    assert "schedule" in workflow["on"] and "workflow_dispatch" in workflow["on"]
    assert "build.py check --external" in _steps(workflow["jobs"]["links"])


# Every action is pinned to a commit, with its version: tests/test_workflows.py.


# --- outside links, against a local server ---------------------------------------------

class _Site(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):  # noqa: N802
        self._answer(body=False)

    def do_GET(self):  # noqa: N802
        self._answer(body=True)

    def _answer(self, body: bool):
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/no-head":
            self.send_response(200)
        elif self.path == "/slow":
            time.sleep(3)
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_link_checker_reports_ok_moved_dead_and_slow(site):
    results = {r.url.rsplit("/", 1)[1]: r for r in check_urls(
        [f"{site}/ok", f"{site}/moved", f"{site}/gone", f"{site}/no-head", f"{site}/slow"],
        timeout=1)}
    assert results["ok"].status == "ok"
    assert results["moved"].status == "moved" and results["moved"].final_url == f"{site}/ok"
    assert results["gone"].status == "dead" and results["gone"].code == 404
    assert results["no-head"].status == "ok", "GET is tried when HEAD is refused"
    assert results["slow"].status == "error"


def test_check_external_exits_1_on_a_dead_link(tmp_path, site):
    from click.testing import CliRunner

    from folio.cli import main

    book = write_book(tmp_path / "book", chapter=f"# One {{#one}}\n\nSee [this]({site}/ok) and "
                                                 f"[that]({site}/gone).\n")
    result = CliRunner().invoke(main, ["check", "--external", "--book", str(book)])
    assert result.exit_code == 1
    assert f"dead   {site}/gone" in result.stdout and f"ok     {site}/ok" in result.stdout
    assert check_url(f"{site}/ok").status == "ok"
