"""trafilatura's choice as the HTML line model's prior, and the leave-one-dataset-out protocol."""

from __future__ import annotations

import argparse
import gzip
import json
import math
from pathlib import Path

import pytest

from newsprism.cleaning import datasets, linemodel, linemodel_training
from newsprism.cleaning.document import clean_lines
from newsprism.cleaning.html import visible_text
from newsprism.cleaning.linemodel import LineModelError
from newsprism.evaluation import cleaning as ev
from newsprism.evaluation import cleaning_folds

FIXTURES = Path(__file__).parent / "fixtures"
LINES = [
    "The council met on Tuesday evening to approve the spending plan for the coming year.",
    "Members argued for two hours about the cost of repairing the old harbour wall.",
    "The mayor said the vote showed that the town could still agree on what matters most.",
    "Residents who came to watch the meeting said they were relieved that it was finally over.",
]


def _constant_model(
    p_body: float, drop_at: float, keep_at: float, prior: str = "extracted", also_keep: tuple[str, ...] = ()
) -> linemodel.LineModel:
    """An HTML line model whose P(body) is `p_body` for every line (zero weights, a bias)."""
    n = len(linemodel.HTML_NAMES)
    bias = math.log(p_body / (1 - p_body))
    return linemodel.from_dict(
        {
            "features": list(linemodel.HTML_NAMES),
            "mean": [0.0] * n,
            "scale": [1.0] * n,
            "layers": [[[[0.0]] * n, [bias]]],
            "drop_at": drop_at,
            "keep_at": keep_at,
            "prior": prior,
            "also_keep": list(also_keep),
        }
    )


def _decisions(model: linemodel.LineModel) -> list[tuple[bool, str]]:
    result = clean_lines(LINES, extracted="\n".join(LINES[:2]), layout=[(0.0, "p")] * 4, model=model)
    return [(d.kept, d.reason) for d in result.decisions]


def test_trafilaturas_lines_stay_unless_the_model_is_sure_they_are_not_body() -> None:
    # P(body) 0.5: above drop_at, so trafilatura's two lines stay; below keep_at, so the others are not restored
    assert _decisions(_constant_model(0.5, drop_at=0.2, keep_at=0.9)) == [
        (True, "body"),
        (True, "body"),
        (False, "not_extracted"),
        (False, "not_extracted"),
    ]
    # sure enough: trafilatura's lines go, with the model's reason
    assert _decisions(_constant_model(0.1, drop_at=0.2, keep_at=0.9)) == [
        (False, "model_boilerplate"),
        (False, "model_boilerplate"),
        (False, "not_extracted"),
        (False, "not_extracted"),
    ]
    # and sure the other way: the lines trafilatura dropped come back
    assert _decisions(_constant_model(0.95, drop_at=0.2, keep_at=0.9)) == [(True, "body")] * 4


def test_a_repeated_line_trafilatura_kept_stays_when_the_model_may_keep_repeats() -> None:
    lines = [LINES[0], LINES[1], LINES[0]]
    layout = [(0.0, "p")] * 3
    for also_keep, last in (((), (False, "duplicate")), (("duplicate",), (True, "extracted"))):
        model = _constant_model(0.5, drop_at=0.2, keep_at=0.9, also_keep=also_keep)
        result = clean_lines(lines, extracted="\n".join(lines), layout=layout, model=model)
        assert [(d.kept, d.reason) for d in result.decisions] == [(True, "body"), (True, "body"), last]


def test_the_rules_prior_revises_the_rules_decisions_instead() -> None:
    assert (
        _decisions(_constant_model(0.5, drop_at=0.6, keep_at=0.9, prior="rules")) == [(False, "model_boilerplate")] * 4
    )


def test_an_unknown_prior_is_an_error_naming_the_model() -> None:
    with pytest.raises(LineModelError, match="line model test names an unknown prior 'both'"):
        linemodel.from_dict({"features": list(linemodel.NAMES), "prior": "both"}, "test")


def test_page_scores_and_language_groups() -> None:
    page = datasets.Page(id="p", path=Path("p"), gold="a b c d")
    assert ev.page_prf("a b x", page, "l3s") == (2 / 3, 0.5, pytest.approx(4 / 7))
    snippets = datasets.Page(id="s", path=Path("s"), with_snippets=["keep me", "me too"], without_snippets=["drop"])
    assert ev.page_prf("Keep  me. drop", snippets, "snippets") == (0.0, 0.5, 0.0)
    assert ev.page_prf("keep me", snippets, "snippets") == (1.0, 0.5, pytest.approx(2 / 3))
    assert [ev.english(x) for x in ("en", "de", "und")] == ["en", "other", "other"]


def _dataset(root: Path, body: str) -> Path:
    (root / "original").mkdir(parents=True)
    html = (FIXTURES / "article.html").read_bytes()
    (root / "original" / "p1.html.gz").write_bytes(gzip.compress(html))
    gold = {"id": "p1", "headline": "Harbour bridge reopens after repairs", "fulltext": body}
    (root / "gold.jsonl").write_text(json.dumps(gold) + "\n")
    return root


def test_each_dataset_is_scored_by_a_model_trained_on_the_others(tmp_path: Path, capsys) -> None:
    paragraphs = [x for x in visible_text((FIXTURES / "article.html").read_bytes()).splitlines() if len(x) > 100]
    assert len(paragraphs) == 4
    roots = [_dataset(tmp_path / "one", "\n".join(paragraphs)), _dataset(tmp_path / "two", paragraphs[0])]
    args = argparse.Namespace(datasets=roots, mode="html", jobs=1, hidden=0)
    assert cleaning_folds.run(args) == 0
    out = json.loads(capsys.readouterr().out)
    (html,) = out["modes"]
    assert [(f["held_out"], f["trained_on"]) for f in html["folds"]] == [("one", ["two"]), ("two", ["one"])]
    for fold in html["folds"]:
        assert fold["newsprism"]["pages"] == fold["trafilatura"]["pages"] == 1
        assert set(fold["by_language"]) == {"en"}
        # one training set: nothing to choose by
        assert (fold["also_keep"], fold["drop_at"], fold["keep_at"]) == ([], 0.5, 0.5)
        # the HTML model (trafilatura's choice as the prior) never abstains
        assert (fold["language_pages"], fold["languages"]) == (0, None)
    assert set(html["mean_f1"]) == {"newsprism", "trafilatura"}
    # "one": the gold is the headline and all four paragraphs, which both systems return exactly; "two": the
    # gold is the first paragraph only, so both score the same partial F1
    assert [(f["newsprism"]["f1"], f["trafilatura"]["f1"]) for f in html["folds"]] == [(1.0, 1.0), (0.4444, 0.4444)]


GERMAN = [
    "Politik",
    "",
    "Der Stadtrat hat am Dienstagabend den Haushaltsplan für das kommende Jahr nach langer Debatte beschlossen.",
    "Die Mitglieder stritten zwei Stunden lang über die Kosten für die Reparatur der alten Hafenmauer.",
    "Die Bürgermeisterin sagte, die Abstimmung zeige, dass sich die Stadt noch immer auf das Wichtigste einigen könne.",
    "Der Stadtrat hat am Dienstagabend den Haushaltsplan für das kommende Jahr nach langer Debatte beschlossen.",
    "Share on Facebook",
]


def _text_model(languages: list[str] | None) -> linemodel.LineModel:
    """A text line model (rules prior) sure that no line is body (P 0.1, drop_at 0.5), for `languages`."""
    n = len(linemodel.NAMES)
    return linemodel.from_dict(
        {
            "features": list(linemodel.NAMES),
            "mean": [0.0] * n,
            "scale": [1.0] * n,
            "layers": [[[[0.0]] * n, [math.log(0.1 / 0.9)]]],
            "drop_at": 0.5,
            "keep_at": 0.9,
            "prior": "rules",
            "languages": languages,
        }
    )


def test_the_text_model_abstains_on_a_language_it_saw_too_few_pages_of() -> None:
    decided = [
        (False, "outside_main"),
        (False, "blank"),
        *[(False, "model_boilerplate")] * 3,
        (False, "duplicate"),
        (False, "share_prompt"),
    ]
    # a model for every language (None: an old file), or one trained on German pages, decides
    for languages in (None, ["de", "en"]):
        result = clean_lines(GERMAN, model=_text_model(languages))
        assert result.language == "de"
        assert [(d.kept, d.reason) for d in result.decisions] == decided
    # one trained on English pages only keeps what the rules kept, and every line it could have restored (the
    # line outside the main region, the repeat); the cue rule's line stays out
    result = clean_lines(GERMAN, model=_text_model(["en"]))
    assert [(d.kept, d.reason) for d in result.decisions] == [
        (True, "model_abstained"),
        (False, "blank"),
        *[(True, "body")] * 3,
        (True, "model_abstained"),
        (False, "share_prompt"),
    ]
    # the shipped text model names the languages its training pages held: it abstains on any other
    shipped = linemodel.text_model()
    assert shipped.prior == "rules" and shipped.also_keep == frozenset()
    assert shipped.languages is not None and {"en", "de", "fr"} <= shipped.languages and "ru" not in shipped.languages


def test_the_languages_a_model_covers_need_enough_training_pages() -> None:
    def page(language: str) -> linemodel_training.PageLines:
        return linemodel_training.PageLines(
            datasets.Page(id="p", path=Path("p")), "l3s", "g", [], [], [], [], [], [], [], language
        )

    pages = [page("en")] * 3 + [page("de")] + [page("fr")] * 2
    assert linemodel_training.covered(pages, 0) is None
    assert linemodel_training.covered(pages, 1) == ["de", "en", "fr"]
    assert linemodel_training.covered(pages, 2) == ["en", "fr"]
    assert linemodel_training.covered(pages, 3) == ["en"]
    assert linemodel_training.covered(pages, 4) == []


def test_only_the_extracted_prior_may_choose_to_keep_repeated_lines() -> None:
    page = datasets.Page(id="p", path=Path("p"), gold=" ".join(LINES[:2]))
    model = {
        "features": list(linemodel.NAMES),
        "mean": [0.0] * len(linemodel.NAMES),
        "scale": [1.0] * len(linemodel.NAMES),
        "layers": [[[[0.0]] * len(linemodel.NAMES), [0.0]]],
    }
    pl = linemodel_training.page_lines(page, "l3s", "g", [LINES[0], LINES[1], LINES[0]])
    assert pl.reasons[2] == "duplicate"
    ((by_key, _),) = linemodel_training.page_grid_scores(model, [pl], "rules", linemodel_training.page_f1)
    # a flattened page's repeated paragraph stays a duplicate (the Related Articles copy): no fold may undo it
    assert {key[0] for key in by_key} == {()}
    html = {
        **model,
        "features": list(linemodel.HTML_NAMES),
        "mean": [0.0] * len(linemodel.HTML_NAMES),
        "scale": [1.0] * len(linemodel.HTML_NAMES),
        "layers": [[[[0.0]] * len(linemodel.HTML_NAMES), [0.0]]],
    }
    pl = linemodel_training.page_lines(
        page, "l3s", "g", [LINES[0], LINES[1], LINES[0]], "\n".join(LINES[:2]), [(0.0, "p")] * 3
    )
    ((by_key, _),) = linemodel_training.page_grid_scores(html, [pl], "extracted", linemodel_training.page_f1)
    assert {key[0] for key in by_key} == {(), ("duplicate",)}
