"""NOTICE names every data file tq ships (tq/data/) and every sample text in corpora/, with its source and licence."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _named_files() -> list[str]:
    return sorted(path.relative_to(ROOT).as_posix()
                  for folder in ("tq/data", "corpora") for path in (ROOT / folder).rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts)


def test_notice_names_every_data_file() -> None:
    notice = (ROOT / "NOTICE").read_text("utf-8")
    missing = [name for name in _named_files() if f"`{name}`" not in notice]
    assert not missing, f"NOTICE does not name {missing}: add each with its source and licence"


def test_the_licence_is_apache_2() -> None:
    licence = (ROOT / "LICENSE").read_text("utf-8")
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    assert 'license = "Apache-2.0"' in (ROOT / "pyproject.toml").read_text("utf-8")
