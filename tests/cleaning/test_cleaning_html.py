"""HTML input, documents, the `clean` command and the evaluation helpers."""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from newsprism.cleaning import CLEANER_ID, clean_document, clean_html, datasets
from newsprism.cleaning.document import _fallback, _rules_win, _table_text, clean_lines
from newsprism.cleaning.html import visible_text
from newsprism.commands import clean as clean_cmd
from newsprism.evaluation import cleaning as ev

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
FIRST = "The harbour bridge reopened to traffic on Tuesday morning"


def test_clean_html_extracts_body_and_metadata() -> None:
    result = clean_html((FIXTURES / "article.html").read_bytes())
    assert result.body.startswith(FIRST)
    assert result.body.endswith("should stay in place.")
    assert "Council votes" not in result.body and "All rights reserved" not in result.body
    assert (result.title, result.author, result.published_at) == (
        "Harbour bridge reopens after repairs",
        "Jane Doe",
        "2024-03-05",
    )
    assert (result.outlet, result.language) == ("The Coastal Courier", "en")


def test_clean_document_auto_detects_html_and_gzip() -> None:
    data = gzip.compress((FIXTURES / "article.html").read_bytes())
    assert clean_document(data, "page.bin").body.startswith(FIRST)
    assert clean_document(data, "page.html.gz", mode="html").body.startswith(FIRST)
    text = (SEEDS / next(p.name for p in SEEDS.glob("003_*.txt"))).read_bytes()
    assert clean_document(text, "x.txt").body.startswith("Russia has become the first country")


def test_visible_text_is_one_block_per_line() -> None:
    lines = visible_text((FIXTURES / "article.html").read_bytes()).splitlines()
    assert lines[:4] == ["Home", "News", "Sport", "Harbour bridge reopens after repairs"]
    assert "Related Articles" in lines


def test_clean_command_writes_texts_and_decisions(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    clean_cmd.add_arguments(parser)
    args = parser.parse_args([str(SEEDS), str(FIXTURES / "article.html"), "--out", str(tmp_path)])
    assert clean_cmd.run(args) == 0
    texts = sorted(p.name for p in tmp_path.glob("*.txt"))
    assert len(texts) == 6 and "article.txt" in texts
    assert (tmp_path / "article.txt").read_text().splitlines()[:2] == [
        "Harbour bridge reopens after repairs",
        FIRST + " after six months of repairs that cost the city more than it had planned.",
    ]
    records = [json.loads(line) for line in (tmp_path / "decisions.jsonl").read_text().splitlines()]
    assert len(records) == 6 and all(r["cleaner_id"] == CLEANER_ID == "clean.rules.v6+lines.b37b83b1" for r in records)
    assert all({"line_no", "text", "kept", "reason"} <= set(r["decisions"][0]) for r in records if r["decisions"])


def test_token_scores() -> None:
    assert ev.prf("The cat sat.", "the cat, sat") == (1.0, 1.0, 1.0)
    p, r, f = ev.prf("a b c d", "a b")
    assert (p, r, round(f, 4)) == (0.5, 1.0, 0.6667)
    assert ev.prf("", "") == (1.0, 1.0, 1.0) and ev.prf("", "x") == (0.0, 0.0, 0.0)


def test_the_eval_command_offers_every_dataset_layout() -> None:
    assert ev.FORMATS == ("auto", *datasets.FORMATS)


def test_cleaneval_gold_markup_is_stripped() -> None:
    raw = "\nURL: http://x\n<h>Title here\n<p>It&#039;s a body\n<l>item<!-- note -->\n"
    assert datasets.cleaneval_gold(raw) == "Title here\nIt's a body\nitem"


def test_evaluate_l3s_layout(tmp_path: Path) -> None:
    (tmp_path / "original").mkdir()
    html = (FIXTURES / "article.html").read_bytes()
    (tmp_path / "original" / "p1.html.gz").write_bytes(gzip.compress(html))
    gold = {"id": "p1", "headline": "Harbour bridge reopens after repairs", "fulltext": FIRST}
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold) + "\n")
    assert datasets.detect_format(tmp_path) == "l3s"
    pages = datasets.load_pages(tmp_path, "l3s")
    result = ev.evaluate(pages, "l3s", "text")
    assert result["pages"] == 1 and result["recall"] == 1.0
    assert set(result["baselines"]) == {"keep_everything"}
    assert result["f1"] > result["baselines"]["keep_everything"]["f1"]


_BODY = "<div><p>The first paragraph of the story is here.</p><p>A second paragraph follows it.</p></div>" * 30


def test_visible_text_survives_an_unclosed_title() -> None:
    page = f"<html><head><title>Broken headline<script>var x = 1;</script></head><body>{_BODY}</body></html>"
    lines = visible_text(page).splitlines()
    assert "The first paragraph of the story is here." in lines
    assert "var x = 1;" not in lines


def test_a_repaired_page_is_read_in_the_encoding_it_was_decoded_with() -> None:
    # a stale declaration (iso-8859-1) on UTF-8 bytes, and broken markup that sends the page to lxml's parser
    page = f"<html><head><meta charset='iso-8859-1'><title>Broken<script>x</script></head><body>{_BODY}"
    page += "<p>Le café a rouvert.</p></body></html>"
    assert "Le café a rouvert." in visible_text(page.encode("utf-8")).splitlines()
    assert "Le café a rouvert." in visible_text(page).splitlines()


def test_visible_text_survives_a_broken_html_start_tag() -> None:
    page = f'<!DOCTYPE html>\n<html xmlogo.jpg" alt="Site" width="10" />{_BODY}</body></html>'
    assert visible_text(page).splitlines()[:2] == [
        "The first paragraph of the story is here.",
        "A second paragraph follows it.",
    ]


def test_visible_text_reads_a_page_left_inside_the_head() -> None:
    page = f"<html><head><title>T</title><meta charset='utf-8'><mbox>{_BODY}</head></html>"
    lines = visible_text(page).splitlines()
    assert lines[:2] == ["The first paragraph of the story is here.", "A second paragraph follows it."]
    assert "T" not in lines


def test_an_index_page_has_no_article_and_no_headline() -> None:
    teasers = "".join(
        f"<h2>Council approves new budget for the harbour district {i}</h2>"
        f"<p>The council voted on Tuesday to approve the spending plan for the coming year {i}.</p>"
        for i in range(6)
    )
    page = f"<html><head><title>Local News Section</title></head><body><div>{teasers}</div></body></html>"
    result = clean_html(page)
    assert (result.title, result.body) == (None, "")
    assert {d.reason for d in result.decisions if d.text.startswith("The council")} == {"index_page"}


def test_rules_on_the_extracted_text_win_unless_it_is_table_rows() -> None:
    paragraphs = "\n".join(["The council met on Tuesday to approve the budget for the coming year."] * 10)
    rows = "\n".join(["| Home | News | Sport | The council met on Tuesday to approve the budget. |"] * 10)
    assert not _table_text(paragraphs)
    assert _table_text(rows)
    assert not _table_text(paragraphs + "\n" + rows[: len(rows) // 3])
    # the flattened page kept much less than the rules on the extracted text
    assert _rules_win(100, 400, paragraphs)
    assert not _rules_win(100, 400, rows)  # table rows: the flattened page's cells are the better reading
    assert _rules_win(20, 400, rows)  # ... unless it kept too little to be an article
    assert not _rules_win(300, 400, paragraphs)  # it kept enough


def test_the_fallback_is_measured_against_the_text_cleaner_not_every_extracted_line() -> None:
    article = [
        f"The harbour council met on Tuesday evening to approve the spending plan for the coming year, and member "
        f"{i} said the vote was close."
        for i in range(8)
    ]
    widgets = [
        "0 Ratings | Rate It:",
        "Send to friend",
        "Have your say:",
        "your name:",
        "your email:",
        "your comment:",
        "terms and rules apply;",
        "sort by: newest | oldest |",
        "page 1 of 3 |",
        "report abuse |",
        "reply |",
        "rate up |",
        "rate down |",
        "hide |",
    ]
    comment = [
        "Reader from the north shore: I have never voted for this council and I think the plan is a waste of our money."
    ]
    extracted = "\n".join(article + widgets + comment)
    cleaner = clean_lines(extracted.splitlines())
    assert cleaner.body == "\n".join(article)  # the text cleaner stops at the article
    everything = clean_lines(extracted.splitlines(), region=False)
    assert comment[0] in everything.body
    # a flattened reading that kept 120 words misses little of the article: it stands
    assert _rules_win(120, len(everything.body.split()), extracted)  # (measured against every line it would not)
    assert _fallback(120, extracted, frozenset()) is None
    # one that kept 60 words missed most of it: the cue rules on the extracted text replace it
    replacement = _fallback(60, extracted, frozenset())
    assert replacement is not None and replacement.body == everything.body
