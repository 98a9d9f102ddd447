"""T14: bandit finds no medium/high issue that is not justified in place
(`# nosec` with a reason), and every dependency is pinned in uv.lock."""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bandit_reports_no_medium_or_high_issue():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "-r",
            str(ROOT / "src"),
            "-ll",
            "-f",
            "json",
            "-q",
            "-x",
            "*/tests/*,*/migrations/*",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stdout)
    issues = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in report["results"]
    ]
    print(f"T14 static analysis: bandit medium/high {len(issues)}")
    assert issues == []


def test_every_dependency_is_pinned_in_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked = {p["name"].lower() for p in lock["package"]}
    wanted = [
        d.split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip().lower()
        for d in project["project"]["dependencies"]
    ]
    missing = [w for w in wanted if w.replace("_", "-") not in locked]
    print(f"T14 lock: dependencies {len(wanted)}, unpinned {len(missing)}")
    assert missing == []
