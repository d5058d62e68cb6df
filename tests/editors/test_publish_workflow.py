"""The GitHub Actions workflow: valid YAML, least privileges per job, actions pinned to commits,
tests before publishing, and `zizmor` (static analysis for GitHub Actions) finds nothing."""

import re
import subprocess
import sys
from pathlib import Path

import yaml
from editors_support import ROOT

WORKFLOW = ROOT / ".github/workflows/publish.yml"
# The actions docs/publishing.md documents: name -> (full commit SHA, the release that commit is).
DOCUMENTED_ACTIONS = {
    "actions/checkout": ("11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
    "actions/configure-pages": ("983d7736d9b0ae728b81ab479565c72886d7745b", "v5.0.0"),
    "actions/upload-pages-artifact": ("56afc609e74202658d3ffba0e8f6dda462b719fa", "v3.0.1"),
    "actions/deploy-pages": ("d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e", "v4.0.5"),
}
# What each job may do: the tests and the build only read; only the deployment writes Pages.
JOB_PERMISSIONS = {
    "test": {"contents": "read"},
    "build": {"contents": "read", "pages": "read"},
    "deploy": {"pages": "write", "id-token": "write"},
}
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[^@\s]+)@(?P<ref>\S+)(?:\s+#\s*(?P<comment>\S+))?\s*$")


def load():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job):
    return load()["jobs"][job]["steps"]


def test_workflow_parses_and_runs_on_push_to_main():
    workflow = load()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]


def test_least_privileges_per_job():
    workflow = load()
    assert workflow["permissions"] == {}, "the workflow grants nothing by default; each job asks for its own"
    assert {name: job.get("permissions") for name, job in workflow["jobs"].items()} == JOB_PERMISSIONS


def test_checkout_never_keeps_the_token():
    for name, job in load()["jobs"].items():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, f"job {name}"


def test_actions_are_pinned_to_commits_with_their_release_in_a_comment():
    lines = [line for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines
    for line in lines:
        match = USES_LINE.match(line)
        assert match, f"unexpected `uses:` line: {line!r}"
        sha, release = DOCUMENTED_ACTIONS[match["action"]]
        assert (match["ref"], match["comment"]) == (sha, release), line


def test_uses_only_the_documented_actions_and_the_docs_name_them():
    used = {step["uses"].split("@")[0] for job in load()["jobs"].values() for step in job["steps"] if "uses" in step}
    assert used == set(DOCUMENTED_ACTIONS)
    docs = (ROOT / "docs/publishing.md").read_text(encoding="utf-8")
    for action, (sha, release) in DOCUMENTED_ACTIONS.items():
        assert f"{action}@{sha}" in docs and release in docs, f"docs/publishing.md does not document {action}"


def test_tests_run_before_the_site_is_built_and_deployed():
    jobs = load()["jobs"]
    assert any(step.get("run") == "make test" for step in steps("test"))
    assert jobs["build"]["needs"] == "test" and jobs["deploy"]["needs"] == "build"
    build = steps("build")
    publish = next(step for step in build if "make publish" in step.get("run", ""))
    assert publish["env"]["SITEURL"] == "${{ steps.pages.outputs.base_url }}"
    folder = re.search(r"PUBLISH_OUTPUT=(\S+)", publish["run"]).group(1)
    upload = next(step for step in build if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == folder
    assert jobs["deploy"]["environment"]["name"] == "github-pages"


def test_zizmor_finds_nothing():
    """zizmor at its default settings, offline (no GitHub API): no finding of any severity."""
    zizmor = Path(sys.executable).with_name("zizmor")
    result = subprocess.run([str(zizmor), "--offline", "--no-progress", str(WORKFLOW.relative_to(ROOT))],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No findings to report" in output, output
