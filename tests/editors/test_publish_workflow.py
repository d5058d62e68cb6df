"""The GitHub Actions workflow: valid YAML, least privileges, the documented actions, tests before publishing."""

import re

import yaml
from editors_support import ROOT

WORKFLOW = ROOT / ".github/workflows/publish.yml"
# The actions docs/publishing.md documents, at the major versions it names.
DOCUMENTED_ACTIONS = {
    "actions/checkout@v4",
    "actions/configure-pages@v5",
    "actions/upload-pages-artifact@v3",
    "actions/deploy-pages@v4",
}


def load():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job):
    return load()["jobs"][job]["steps"]


def test_workflow_parses_and_runs_on_push_to_main():
    workflow = load()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]


def test_least_privileges():
    workflow = load()
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    for name, job in workflow["jobs"].items():
        assert "permissions" not in job, f"job {name} widens the permissions"


def test_uses_only_the_documented_actions_and_the_docs_name_them():
    used = {step["uses"] for job in load()["jobs"].values() for step in job["steps"] if "uses" in step}
    assert used == DOCUMENTED_ACTIONS
    docs = (ROOT / "docs/publishing.md").read_text(encoding="utf-8")
    for action in DOCUMENTED_ACTIONS:
        assert action in docs, f"docs/publishing.md does not document {action}"


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
