"""The line models ship with the package, fail loudly when they do not, and name themselves in the cleaner's id."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsprism.cleaning import CLEANER_ID, linemodel
from newsprism.cleaning.document import RULES_ID, clean_lines
from newsprism.cleaning.linemodel import LineModelError


def test_the_cleaner_id_names_the_rules_and_the_shipped_models() -> None:
    assert CLEANER_ID == f"{RULES_ID}+lines.{linemodel.files_digest()}"
    assert len(linemodel.files_digest()) == 8


def test_the_digest_changes_with_either_model_file(tmp_path: Path) -> None:
    text, html = tmp_path / "text.json", tmp_path / "html.json"
    shutil.copy(linemodel.MODEL_PATH, text)
    shutil.copy(linemodel.HTML_MODEL_PATH, html)
    assert linemodel.files_digest((text, html)) == linemodel.files_digest()
    data = json.loads(html.read_text())
    data["keep_at"] = 0.6
    html.write_text(json.dumps(data))
    assert linemodel.files_digest((text, html)) != linemodel.files_digest()


def test_a_missing_model_file_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "line_model.json"
    with pytest.raises(LineModelError, match=f"line model file missing or unreadable: {missing}"):
        linemodel.load(missing)
    with pytest.raises(LineModelError, match=str(missing)):
        linemodel.files_digest((missing, linemodel.HTML_MODEL_PATH))


def test_a_stale_or_broken_model_file_is_an_error_naming_it(tmp_path: Path) -> None:
    stale = tmp_path / "stale.json"
    data = json.loads(linemodel.MODEL_PATH.read_text())
    data["features"] = data["features"][:-1]
    stale.write_text(json.dumps(data))
    with pytest.raises(LineModelError, match=f"line model {stale} was written for other features"):
        linemodel.load(stale)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(LineModelError, match=f"line model {broken} is not valid JSON"):
        linemodel.load(broken)


def test_the_html_model_needs_the_layout() -> None:
    lines = ["The council met on Tuesday evening to approve the spending plan for the coming year."] * 3
    with pytest.raises(ValueError, match="needs the layout"):
        clean_lines(lines, extracted="\n".join(lines))
    result = clean_lines(lines, extracted="\n".join(lines), layout=[(0.0, "p")] * 3)
    # trafilatura chose all three: the shipped HTML model may keep a repeat trafilatura kept (also_keep)
    assert [(d.kept, d.reason) for d in result.decisions] == [(True, "body"), (True, "extracted"), (True, "extracted")]
