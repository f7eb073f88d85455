"""Every input ends in exactly one place: an article, or a quarantined input with a reason."""

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest

from newsprism.corpus import MIN_ARTICLE_WORDS, REASONS, NothingToAnalyse, scan_corpus, screen_articles
from newsprism.outcome import LoadedStories, outcome_line, run_outcome
from newsprism.warehouse.load import record_rejections

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
BODY = "The council approved the new budget on Tuesday after a long debate about schools and roads.\n"


def test_each_kind_of_bad_input_is_quarantined_with_its_reason(tmp_path):
    corpus = tmp_path / "story"
    corpus.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text(BODY)
    (corpus / "a.txt").write_text(BODY)
    (corpus / "a-copy.txt").write_text(BODY)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.txt").write_text(" \n\t\n")
    (corpus / "noise.txt").write_bytes(bytes(range(256)) * 3)
    (corpus / "big.txt").write_bytes(b"word " * 300)
    (corpus / "bomb.txt.gz").write_bytes(gzip.compress(b"word " * 300))
    (corpus / "notes.md").write_text("notes")
    (corpus / "link.txt").symlink_to(outside)
    (corpus / "sub").mkdir()  # a sub-directory is not an input
    articles, rejected = scan_corpus(corpus, max_bytes=1000)
    assert [a.source for a in articles] == ["a-copy.txt"]
    assert [(r["source"], r["reason"], r["size_bytes"], r["kept_source"]) for r in rejected] == [
        ("big.txt", "too_large", 1500, None),
        ("blank.txt", "empty", 4, None),
        ("bomb.txt.gz", "too_large", (corpus / "bomb.txt.gz").stat().st_size, None),
        ("empty.txt", "empty", 0, None),
        ("link.txt", "unsafe_path", None, None),
        ("noise.txt", "binary", 768, None),
        ("notes.md", "unsupported_type", 5, None),
        ("a.txt", "duplicate", len(BODY), "a-copy.txt"),  # duplicates last: found once all are read
    ]
    assert rejected[-1]["message"] == "a.txt: the same text as a-copy.txt in story 'story'"
    assert rejected[0]["message"] == "big.txt: 1500 bytes, over the limit of 1000"
    assert {r["reason"] for r in rejected} <= set(REASONS)


def test_a_large_file_is_quarantined_without_being_read(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(BODY)
    with (tmp_path / "huge.txt").open("wb") as handle:  # sparse: 3 GB on paper, nothing on disk
        handle.truncate(3 * 1024**3)
    opened = []
    real_open = Path.open

    def spy(self, *args, **kwargs):
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    articles, rejected = scan_corpus(tmp_path)
    assert [a.source for a in articles] == ["a.txt"]
    assert [(r["source"], r["reason"], r["size_bytes"]) for r in rejected] == [("huge.txt", "too_large", 3 * 1024**3)]
    assert "huge.txt" not in opened


def test_a_symlinked_directory_entry_leaving_the_corpus_is_unsafe(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(BODY)
    os.symlink(SEEDS, corpus / "elsewhere")
    articles, rejected = scan_corpus(corpus)
    assert [a.source for a in articles] == ["a.txt"]
    assert [(r["source"], r["reason"]) for r in rejected] == [("elsewhere", "unsafe_path")]


def test_a_corpus_of_nothing_but_junk_is_nothing_to_analyse(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(NothingToAnalyse, match=r"no articles found .*; 1 input\(s\) quarantined") as raised:
        scan_corpus(tmp_path)
    assert [(r["source"], r["reason"]) for r in raised.value.rejected] == [("empty.txt", "empty")]  # kept to record


def test_jsonl_dates_that_are_not_iso_dates_are_quarantined_with_their_line(tmp_path):
    path = tmp_path / "story.jsonl"
    lines = [
        {"text": BODY, "published_at": "2024-05-01"},
        {"text": BODY + " Later.", "published_at": "2025-13-45"},
        {"text": BODY + " Again.", "published_at": "2024-05-01T09:30:00Z"},
        {"story_id": "s2", "articles": [{"text": BODY, "date": "yesterday"}, {"text": BODY, "date": "2012-06-05"}]},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    articles, rejected = scan_corpus(path)
    assert [(a.source, a.published_at) for a in articles] == [
        ("story.jsonl:1", "2024-05-01"),
        ("story.jsonl:3", "2024-05-01T09:30:00Z"),
        ("story.jsonl:4:1", "2012-06-05"),
    ]
    assert [(r["source"], r["reason"], r["message"]) for r in rejected] == [
        (
            "story.jsonl:2",
            "bad_date",
            f"{path}:2: published_at '2025-13-45' is not an ISO 8601 date "
            "(YYYY-MM-DD, or a date and time such as 2024-05-01T09:30:00Z)",
        ),
        (
            "story.jsonl:4:0",
            "bad_date",
            f"{path}:4: article 0: published_at 'yesterday' is not an ISO 8601 date "
            "(YYYY-MM-DD, or a date and time such as 2024-05-01T09:30:00Z)",
        ),
    ]
    assert rejected[0]["size_bytes"] == len((BODY + " Later.").encode())


def test_each_article_keeps_the_encoding_its_bytes_were_decoded_from(tmp_path):
    text = "Le conseil a approuvé le budget mardi après un long débat sur les écoles et les routes."
    (tmp_path / "a.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(text.replace("conseil", "maire").encode("utf-16"))  # with its BOM
    (tmp_path / "c.txt").write_bytes(text.replace("conseil", "comité").encode("cp1252"))
    (tmp_path / "d.txt.gz").write_bytes(gzip.compress(text.replace("conseil", "préfet").encode("cp1252")))
    articles, rejected = scan_corpus(tmp_path)
    assert rejected == []
    assert [(a.source, a.encoding) for a in articles] == [
        ("a.txt", "utf-8"),
        ("b.txt", "utf-16-le"),
        ("c.txt", "cp1252"),
        ("d.txt.gz", "cp1252"),
    ]
    assert articles[1].text == text.replace("conseil", "maire")
    assert articles[1].as_record()["encoding"] == "utf-16-le"


def test_the_seeds_have_nothing_to_quarantine():
    articles, rejected = scan_corpus(SEEDS)
    assert (len(articles), rejected) == (5, [])


def _article(source: str, words: int) -> dict:
    return {"source": source, "words_clean": words, "raw_hash": f"h-{source}", "raw_text": "x" * words}


def test_screening_quarantines_articles_with_too_few_words_and_drops_empty_stories():
    stories = [[_article("a", MIN_ARTICLE_WORDS), _article("b", MIN_ARTICLE_WORDS - 1)], [_article("c", 0)]]
    kept, rejected = screen_articles(stories)  # type: ignore[arg-type]
    assert [[a["source"] for a in story] for story in kept] == [["a"]]
    assert [(r["source"], r["reason"], r["content_hash"], r["size_bytes"]) for r in rejected] == [
        ("b", "no_text", "h-b", MIN_ARTICLE_WORDS - 1),
        ("c", "no_text", "h-c", 0),
    ]
    assert (
        rejected[1]["message"] == f"c: 0 word(s) of article text after cleaning (at least {MIN_ARTICLE_WORDS} needed)"
    )


def test_the_outcome_counts_articles_written_unchanged_and_quarantined_by_reason():
    rejected = [{"reason": "duplicate"}, {"reason": "binary"}, {"reason": "duplicate"}]
    outcome = run_outcome([2, 1], [{"articles": 2}, {"unchanged": 1}], rejected)  # type: ignore[list-item]
    assert outcome == {"analysed": 2, "unchanged": 1, "quarantined": {"binary": 1, "duplicate": 2}}
    assert outcome_line(outcome) == "analysed 2, unchanged 1, quarantined 3 (binary 1, duplicate 2)"
    assert outcome_line(run_outcome([1], [{"articles": 1}], [])) == "analysed 1, unchanged 0, quarantined 0"


def test_loaded_stories_keep_counts_and_units_of_work_but_no_rows():
    done = LoadedStories()
    work = {"rows": [{"sentence_no": 0}], "computed": {"align": 2}, "cached": {"align": 0}}
    done.add([2, 1], [{"articles": 2}, {"unchanged": 1}], [work, work], ["s1", "s2"])  # type: ignore[list-item]
    done.add([3], [{"articles": 3}], [], ["s3"])
    assert done.story_ids == ["s1", "s2", "s3"]
    assert done.sizes == [2, 1, 3]
    assert done.results == [{"articles": 2}, {"unchanged": 1}, {"articles": 3}]
    assert done.work == [{"rows": [], "computed": {"align": 2}, "cached": {"align": 0}}] * 2
    assert run_outcome(done.sizes, done.results, [])["analysed"] == 5
    with pytest.raises(ValueError, match="2 stories, 2 sizes but 1 load results"):
        done.add([1, 1], [{"articles": 1}], [], ["s4", "s5"])
    assert done.grouping(None) == {"articles": [], "story_ids": ["s1", "s2", "s3"], "stories": [], "members": [],
                                   "events": []}  # fmt: skip


def test_rejections_are_recorded_once_per_run_and_input(memory_db, tmp_path):
    shutil.copy(SEEDS / "000_044459d8e5141939.txt", tmp_path / "a.txt")
    shutil.copy(SEEDS / "000_044459d8e5141939.txt", tmp_path / "b.txt")
    (tmp_path / "c.bin").write_bytes(b"\x00\x01")
    _, rejected = scan_corpus(tmp_path)
    assert record_rejections(memory_db, "run-1", rejected) == 2
    assert record_rejections(memory_db, "run-1", rejected) == 2  # a rerun of the run id replaces its rows
    rows = memory_db.execute(
        "select run_id, source, reason, kept_source, size_bytes from rejected_inputs order by source"
    ).fetchall()
    size = (tmp_path / "b.txt").stat().st_size
    assert rows == [("run-1", "b.txt", "duplicate", "a.txt", size), ("run-1", "c.bin", "unsupported_type", None, 2)]
