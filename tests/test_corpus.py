import codecs
import gzip
import json
from pathlib import Path

import pytest

from newsprism.cleaning import clean_document, clean_story
from newsprism.corpus import CorpusError, read_corpus, read_texts, scan_corpus, scan_refs
from newsprism.decode import decode

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def test_seeds_read_as_one_story_with_five_articles():
    articles = read_corpus(SEEDS)
    assert [a.source for a in articles] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert {a.story_id for a in articles} == {"russia-recognises-taliban"}
    assert {a.kind for a in articles} == {"text"}
    assert all(a.outlet is None for a in articles)  # outlets come from the text, not the manifest
    assert len({a.article_id for a in articles}) == 5


def test_directory_without_manifest_is_one_story_named_after_it(tmp_path):
    corpus = tmp_path / "My Story"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Body one.")
    (corpus / "b.html").write_text("<html><body><p>Body two.</p></body></html>")
    (corpus / "notes.md").write_text("ignored")
    articles = read_corpus(corpus)
    assert [(a.source, a.kind, a.story_id) for a in articles] == [
        ("a.txt", "text", "my-story"),
        ("b.html", "html", "my-story"),
    ]
    assert [a.story_id for a in read_corpus(corpus, story_id="other")] == ["other", "other"]


def test_manifest_overrides_outlet_and_title(tmp_path):
    (tmp_path / "a.txt").write_text("Body.")
    (tmp_path / "manifest.csv").write_text("file,story_id,outlet,title\na.txt,s1,Reuters,Headline\n")
    (article,) = read_corpus(tmp_path)
    assert (article.story_id, article.outlet, article.title) == ("s1", "Reuters", "Headline")


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("name,story_id\na.txt,s\n", "manifest needs a 'file' column"),
        ("file,colour\na.txt,red\n", "unknown manifest column(s) colour"),
        ("file\nmissing.txt\n", "lists file(s) not in"),
    ],
)
def test_bad_manifest_is_a_clear_error(tmp_path, manifest, message):
    (tmp_path / "a.txt").write_text("Body.")
    (tmp_path / "manifest.csv").write_text(manifest)
    with pytest.raises(CorpusError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_corpus(tmp_path)


def test_missing_path_and_empty_corpus(tmp_path):
    with pytest.raises(CorpusError, match="no such corpus"):
        read_corpus(tmp_path / "nope")
    with pytest.raises(CorpusError, match="no articles found"):
        read_corpus(tmp_path)


def test_jsonl_articles_and_story_clusters(tmp_path):
    path = tmp_path / "feed.jsonl"
    rows = [
        {"outlet": "UPI", "title": "T1", "text": "Body one.", "story_id": "s1"},
        {
            "cluster_id": "c9",
            "articles": [
                {
                    "source": "NPR",
                    "title": "T2",
                    "url": "http://x",
                    "date": "2012-06-05",
                    "content_original": "Body two.",
                },
            ],
        },
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    articles = read_corpus(path)
    assert [(a.story_id, a.outlet, a.title, a.source, a.published_at) for a in articles] == [
        ("s1", "UPI", "T1", "feed.jsonl:1", None),
        ("c9", "NPR", "T2", "feed.jsonl:2:0", "2012-06-05"),
    ]


def test_jsonl_line_without_text_is_quarantined_by_its_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\n{"outlet": "X"}\n')
    articles, rejected = scan_corpus(path)
    assert [a.source for a in articles] == ["bad.jsonl:1"]
    assert [(r["source"], r["reason"], r["message"]) for r in rejected] == [
        ("bad.jsonl:2", "empty", f"{path}:2: each line needs a non-empty 'text' (or an 'articles' list)")
    ]


def test_jsonl_line_that_is_not_utf8_is_quarantined_and_the_good_lines_load(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n{not json\n[1]\n{"text": "fine"}\n')
    articles, rejected = scan_corpus(path)
    assert [a.source for a in articles] == ["feed.jsonl:1", "feed.jsonl:5"]
    assert [(r["source"], r["reason"], r["message"]) for r in rejected] == [
        (
            "feed.jsonl:2",
            "undecodable",
            f"{path}:2: not UTF-8 (byte 0xe9 at column 14); JSON Lines files must be UTF-8",
        ),
        ("feed.jsonl:3", "bad_line", f"{path}:3: not valid JSON (Expecting property name enclosed in double quotes)"),
        ("feed.jsonl:4", "bad_line", f"{path}:4: expected a JSON object"),
    ]


def test_files_are_decoded_whatever_their_encoding(tmp_path):
    text = "Le café est très bon — “vraiment”."
    (tmp_path / "a.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "b.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (tmp_path / "c.txt.gz").write_bytes(gzip.compress(text.encode("utf-8")))
    # a manifest saved by a spreadsheet: UTF-8 with a byte-order mark
    # (one story per file: the same text twice in one story is a duplicate)
    manifest = b"file,outlet,story_id\na.txt,Le Monde,a\nb.txt,,b\nc.txt.gz,,c\n"
    (tmp_path / "manifest.csv").write_bytes(codecs.BOM_UTF8 + manifest)
    articles = read_corpus(tmp_path)
    assert [(a.source, a.text) for a in articles] == [("a.txt", text), ("b.txt", text), ("c.txt.gz", text)]
    assert articles[0].outlet == "Le Monde"


def test_a_text_file_holding_html_is_html(tmp_path):
    page = "<!DOCTYPE html><html><head><title>T</title></head><body><p>Body.</p></body></html>"
    (tmp_path / "page.txt").write_text(page)
    assert [a.kind for a in read_corpus(tmp_path)] == ["html"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "story.txt",
            "Le café rouvre ses portes\nLe café de la place a rouvert mardi après six mois de travaux, "
            "a annoncé la mairie, qui en a payé la plus grande part.\n",
        ),
        (
            "page.html",
            '<html><head><meta charset="windows-1252"><title>Le café rouvre</title></head><body>'
            "<h1>Le café rouvre</h1><p>Le café de la place a rouvert mardi après six mois de travaux, "
            "a annoncé la mairie, qui en a payé la plus grande part de la facture.</p></body></html>",
        ),
    ],
)
def test_run_and_clean_read_a_windows_1252_file_alike(tmp_path, name, text):
    """`newsprism run` (the corpus reader, then story cleaning) and `newsprism clean` (clean_document on the
    file's bytes) read the same text from a Windows-1252 file, and clean it alike."""
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    (article,) = read_corpus(tmp_path)
    assert article.text == decode(path.read_bytes()) == text
    (row,) = clean_story([article.as_record()])
    cleaned = clean_document(path.read_bytes(), path.name)
    assert "café" in row["clean_text"] and "\ufffd" not in row["raw_text"]
    assert row["clean_text"] == cleaned.body
    assert row["decisions"] == [(d.line_no, d.text, d.kept, d.reason) for d in cleaned.decisions]


def _texts_read_again(corpus, **kwargs):
    refs, _ = scan_refs(corpus, **kwargs)
    assert all("text" not in ref for ref in refs)  # the scan keeps no texts
    stories, rejected = read_texts([refs])
    return [a["text"] for a in stories[0]] if stories else [], rejected


@pytest.mark.parametrize("compress", [False, True])
def test_jsonl_texts_are_read_again_exactly_from_their_lines(tmp_path, compress):
    rows = [
        {"story_id": "s", "text": "Première ligne — café.\nSecond paragraph."},
        {"cluster_id": "c", "articles": [{"text": "One of a story."}, {"content_original": "Two of a story."}]},
        {"story_id": "s", "text": "Last, after a blank line."},
    ]
    data = codecs.BOM_UTF8 + b"\r\n".join(json.dumps(r, ensure_ascii=False).encode() for r in rows[:2])
    data += b"\r\n\r\n" + json.dumps(rows[2]).encode()  # CRLF endings, a BOM, a blank line, no final newline
    path = tmp_path / "feed.jsonl"
    path.write_bytes(gzip.compress(data) if compress else data)
    texts, rejected = _texts_read_again(path)
    assert (
        texts
        == [a.text for a in read_corpus(path)]
        == [
            "Première ligne — café.\nSecond paragraph.",
            "One of a story.",
            "Two of a story.",
            "Last, after a blank line.",
        ]
    )
    assert rejected == []
    refs, _ = scan_refs(path)
    assert [(r["where"]["offset"], r["where"]["item"], r["where"]["gzip"]) for r in refs] == [
        (3, None, compress),
        (3 + len(json.dumps(rows[0], ensure_ascii=False).encode()) + 2, 0, compress),
        (3 + len(json.dumps(rows[0], ensure_ascii=False).encode()) + 2, 1, compress),
        (len(data) - len(json.dumps(rows[2]).encode()), None, compress),
    ]


def test_an_input_changed_or_removed_after_the_scan_is_quarantined_as_changed(tmp_path):
    for name, text in [("a.txt", "The first article."), ("b.txt", "The second article."), ("c.txt", "The third.")]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    refs, _ = scan_refs(tmp_path)
    (tmp_path / "a.txt").write_text("Something else now.", encoding="utf-8")
    (tmp_path / "c.txt").unlink()
    stories, rejected = read_texts([refs[:1], refs[1:]])
    assert [[a["source"] for a in story] for story in stories] == [["b.txt"]]  # a story left with none is dropped
    assert stories[0][0]["text"] == "The second article."
    assert [(r["source"], r["reason"], r["size_bytes"], r["kept_source"]) for r in rejected] == [
        ("a.txt", "changed", len("The first article."), None),
        ("c.txt", "changed", len("The third."), None),
    ]
    assert rejected[0]["message"] == "a.txt: changed or removed after the run read the corpus; run again to analyse it"


def test_a_jsonl_line_rewritten_after_the_scan_is_quarantined_as_changed(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "kept as it was"}\n{"text": "about to change"}\n', encoding="utf-8")
    refs, _ = scan_refs(path)
    path.write_text('{"text": "kept as it was"}\n{"text": "changed"}\n', encoding="utf-8")
    stories, rejected = read_texts([refs])
    assert [a["text"] for a in stories[0]] == ["kept as it was"]
    assert [(r["source"], r["reason"]) for r in rejected] == [("feed.jsonl:2", "changed")]
    path.write_text("not json at all\n", encoding="utf-8")
    assert read_texts([refs])[0] == []
