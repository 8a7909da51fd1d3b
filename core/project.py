"""Where the project's own files live: the folders of SQL, expectation suites and report templates."""
from __future__ import annotations

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_DIR / "sql"
SUITES_DIR = PROJECT_DIR / "expectations"
TEMPLATES_DIR = PROJECT_DIR / "report_templates"
