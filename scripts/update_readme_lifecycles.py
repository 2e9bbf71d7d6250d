"""Write the generated lifecycle tables into README.md between its markers."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

tables = subprocess.run(
    [sys.executable, "manage.py", "workflow_tables"],
    cwd=ROOT,
    env={**os.environ, "DEBUG": "1"},
    capture_output=True,
    text=True,
    check=True,
).stdout
text = README.read_text()
start, end = "<!-- lifecycles:start -->", "<!-- lifecycles:end -->"
updated = re.sub(
    re.escape(start) + ".*?" + re.escape(end),
    lambda _match: f"{start}\n{tables}{end}",
    text,
    flags=re.S,
)
README.write_text(updated)
print("README.md lifecycles updated" if updated != text else "README.md lifecycles unchanged")
