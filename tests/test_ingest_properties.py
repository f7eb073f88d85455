"""Property: whatever bytes, file names and manifests a corpus holds, ingest never raises (other than the
documented `CorpusError`s for a bad manifest or a corpus with nothing to analyse) and every input is
accounted for: an article or a quarantined input, exactly once."""

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from newsprism.corpus import CORPUS_FILES, CorpusError, NothingToAnalyse, scan_corpus

NAMES = st.text(alphabet="abcxyz0123456789-_.é ", min_size=1, max_size=12).map(lambda s: s.strip(". ") or "f")
SUFFIXES = st.sampled_from([".txt", ".html", ".htm", ".txt.gz", ".md", ".bin", ""])
CONTENT = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda t: t.encode("utf-8")),
    st.text(max_size=200).map(lambda t: t.encode("utf-16")),
    st.sampled_from([b"", b"  \n", b"\x1f\x8b\x08garbage", b"Word " * 50]),
)
MANIFESTS = st.one_of(
    st.none(),
    st.none(),
    st.none(),
    st.binary(max_size=200),
    st.lists(st.tuples(NAMES, st.sampled_from(["", "2024-05-01", "2025-13-45", "x"])), max_size=4).map(
        lambda rows: ("file,published_at\n" + "".join(f"{n}.txt,{d}\n" for n, d in rows)).encode()
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.dictionaries(st.tuples(NAMES, SUFFIXES), CONTENT, min_size=1, max_size=6), manifest=MANIFESTS)
def test_every_input_is_analysed_or_quarantined_exactly_once(files, manifest):
    root = Path(tempfile.mkdtemp())
    try:
        for (name, suffix), data in files.items():
            (root / f"{name}{suffix}").write_bytes(data)
        if manifest is not None:
            (root / "manifest.csv").write_bytes(manifest)
        inputs = sorted(p.name for p in root.iterdir() if p.name not in CORPUS_FILES)
        try:
            articles, rejected = scan_corpus(root, max_bytes=300)
        except NothingToAnalyse:  # read, and every input quarantined: nothing to account for in articles
            event("nothing to analyse")
            return
        except CorpusError as exc:  # a bad manifest, or no inputs at all: one clear message, nothing read
            if not inputs:
                event("no inputs")
                return
            assert manifest is not None and str(exc).startswith(str(root / "manifest.csv")), exc
            event("bad manifest")
            return
        event("scanned")
        sources = [a.source for a in articles] + [r["source"] for r in rejected]
        assert sorted(sources) == inputs
        assert all(r["reason"] for r in rejected) and all(a.text.strip() for a in articles)
    finally:
        shutil.rmtree(root)
