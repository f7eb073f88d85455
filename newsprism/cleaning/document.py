"""Cleaning one document: plain text or HTML in, `CleanedArticle` out (main text, every line's decision, metadata).

Pure functions: no Prefect, no I/O beyond the arguments (and the shipped line models), never raising on odd
input, never returning body text that was not in the input. A document flows:

    bytes --decode--> text --(HTML? by name or content)--> clean_html | clean_text
    clean_text: lines.read_lines (rules) -> metadata.find_title, signoffs -> lines.apply_model -> metadata
    clean_html: html.visible_lines + html.extract (trafilatura) -> the text path over the visible lines, with
                trafilatura's choice of each line and the layout as model features -> the hybrid fallback ->
                the page's own metadata where it has some

    >>> clean_text("Some Headline Here\\nThe article's first sentence is long enough to count as body text.").title
    'Some Headline Here'
"""

from __future__ import annotations

from dataclasses import dataclass

from newsprism.cleaning import linemodel, metadata
from newsprism.cleaning.article import CleanedArticle, LineDecision
from newsprism.cleaning.html import Extracted, VisibleLine, extract, page_tree, visible_lines
from newsprism.cleaning.lines import Reading, apply_model, mark_extracted, read_lines
from newsprism.decode import decode, is_html

# the rules' version: bump when their behaviour changes (v5: input decoding, py3langid; v6: the wire dateline
# moved out of the body into `dateline`)
RULES_ID = "clean.rules.v6"
# versioned id written to every cleaned row: the rules' version and a digest of the shipped line models
CLEANER_ID = f"{RULES_ID}+lines.{linemodel.files_digest()}"
MODES = ("auto", "text", "html")
HYBRID_MIN_SHARE = 0.6  # html: the flattened page's body must keep this share of the rules-on-trafilatura words
HYBRID_MAX_TABLE = 0.5  # ... unless this share of trafilatura's words sits in table rows ("| cell | cell |")
HYBRID_TABLE_MIN_WORDS = 50  # ... and the flattened page kept at least this many words (an article, not a stub)


@dataclass
class Draft:
    """A page's lines as the rules, the headline and the sign-offs left them: what the line model sees."""

    reading: Reading
    title: str | None
    wire: str | None


def prepare(
    raw_lines: list[str], *, repeated: frozenset[str] = frozenset(), region: bool = True, extracted: str | None = None
) -> Draft:
    """The rules' decisions on each line, the headline and the agency sign-offs named, and (with `extracted`,
    an extractor's main text) which lines the extractor chose: everything the line model weighs."""
    reading = read_lines(raw_lines, repeated=repeated, region=region)
    title = metadata.find_title(reading)
    wire = metadata.signoffs(reading)
    if extracted is not None and region and not reading.index:
        mark_extracted(reading.lines, extracted)
    return Draft(reading, title, wire)


def clean_lines(
    raw_lines: list[str],
    outlet_hint: str | None = None,
    *,
    repeated: frozenset[str] = frozenset(),
    region: bool = True,
    extracted: str | None = None,
    layout: list[tuple[float, str]] | None = None,
    model: linemodel.LineModel | None = None,
) -> CleanedArticle:
    """Clean a page given as lines. `region` False keeps every line no cue rule names (text an extractor already
    chose; no line model then); `extracted` and `layout` ((link share, block tag) per line) come with HTML and
    select the HTML line model. `model` replaces the shipped line model (evaluation of a retrained one)."""
    draft = prepare(raw_lines, repeated=repeated, region=region, extracted=extracted)
    reading = draft.reading
    if region and not reading.index:
        if model is None:
            model = linemodel.html_model() if extracted is not None else linemodel.text_model()
        apply_model(reading, model, layout)
    metadata.drop_title_repeats(reading, draft.title)
    outlet, evidence, dateline_wire = metadata.outlet(reading, draft.title)
    if outlet is None and outlet_hint:
        outlet, evidence = outlet_hint, None
    dateline, body = metadata.lift_dateline([line.s for line in reading.lines if line.kept])
    return CleanedArticle(
        body="\n".join(body),
        decisions=tuple(LineDecision(line.i, line.raw, line.kept, line.reason or "body") for line in reading.lines),
        title=draft.title,
        published_at=metadata.published(reading),
        author=metadata.author(reading),
        outlet=outlet,
        outlet_evidence=evidence,
        wire=draft.wire or dateline_wire,
        dateline=dateline,
        language=reading.language,
    )


def clean_text(
    raw: str,
    outlet_hint: str | None = None,
    *,
    repeated: frozenset[str] = frozenset(),
    model: linemodel.LineModel | None = None,
) -> CleanedArticle:
    """Clean plain text as a scraper left it: one decision per line of `raw.splitlines()`.

    `outlet_hint` names the outlet when the text carries no cue of its own; `repeated` holds normalised
    lines known to recur across one outlet's articles (see `story.find_repeated_lines`); `model` replaces
    the shipped text line model.
    """
    return clean_lines(str(raw).splitlines(), outlet_hint, repeated=repeated, model=model)


@dataclass(frozen=True)
class ParsedPage:
    """What the cleaner reads of an HTML page: its visible lines and trafilatura's extraction."""

    visible: list[VisibleLine]
    extracted: Extracted


def parse_html(html: str | bytes, url: str | None = None) -> ParsedPage:
    """The page's visible lines (one block a line, with layout) and trafilatura's main text and metadata."""
    text = decode(html) if isinstance(html, bytes) else html
    tree = page_tree(text)
    if tree is None:
        return ParsedPage([], Extracted(text=""))
    visible = visible_lines(tree)  # before trafilatura, which prunes the tree
    return ParsedPage(visible, extract(tree, url))


def clean_html(html: str | bytes, url: str | None = None, *, repeated: frozenset[str] = frozenset()) -> CleanedArticle:
    """Main text from the page's visible lines, trafilatura's choice and the plain-text rules together.

    The page is flattened to its visible text (one block per line) and cleaned by the text rules; the line
    model trained for HTML then keeps or drops each line, trafilatura's choice of the line among its
    features. When that keeps much less than the text cleaner keeps of trafilatura's own text (a layout the
    flattening misreads) and the page is no index page, the cue rules on trafilatura's text win, unless that
    text is mostly table rows (a table layout, whose cells trafilatura joins into one line) and the flattened
    reading still holds an article. Decisions index the lines of whichever text was cleaned (each carries its
    text). Title, date, author and site name come from the page's metadata when present. Bytes are decoded
    by `newsprism.decode`.
    """
    return clean_parsed(parse_html(html, url), repeated=repeated)


def clean_parsed(
    parsed: ParsedPage, *, repeated: frozenset[str] = frozenset(), model: linemodel.LineModel | None = None
) -> CleanedArticle:
    """`clean_html` on a page already parsed; `model` replaces the shipped HTML line model."""
    page, visible = parsed.extracted, parsed.visible
    flat = [line.text for line in visible]
    if not page.text.strip():
        result = clean_lines(flat, repeated=repeated)
    else:
        layout = [(line.link_share, line.block) for line in visible]
        result = clean_lines(flat, repeated=repeated, extracted=page.text, layout=layout, model=model)
        if not _index_page(result):
            result = _fallback(len(result.body.split()), page.text, repeated) or result
    # an index page has no article, so no headline either (its <title> names the section)
    title = None if _index_page(result) else metadata.one_line(page.title) or result.title
    outlet, evidence = metadata.page_outlet(page, result.outlet, result.outlet_evidence)
    body = result.body
    if title and body.startswith(title + "\n"):
        body = body[len(title) + 1 :]
    return CleanedArticle(
        body=body,
        decisions=result.decisions,
        title=title,
        published_at=metadata.page_date(page.date, result.published_at),
        author=metadata.one_line(page.author) or result.author,
        outlet=outlet,
        outlet_evidence=evidence,
        wire=result.wire,
        dateline=result.dateline,
        language=result.language,
    )


def clean_document(data: bytes | str, name: str, mode: str = "auto") -> CleanedArticle:
    """Clean one document: `mode` html, text, or auto (HTML by file name or by content); bytes are decoded
    (gzip, BOMs, charsets) by `newsprism.decode`, as the corpus reader decodes them."""
    if mode not in MODES:
        raise ValueError(f"mode must be auto, text or html, not {mode!r}")
    text = decode(data) if isinstance(data, bytes) else data
    if mode == "html" or (mode == "auto" and is_html(name, text)):
        return clean_html(text)
    return clean_text(text)


def _fallback(kept: int, extracted: str, repeated: frozenset[str]) -> CleanedArticle | None:
    """The cue rules on the extractor's text, when they replace a flattened reading that kept `kept` words.

    What the flattening missed is measured against the full text cleaner on that text (main region, tail
    cut, line model), so that related teasers or unheaded comments the extractor kept after the article do
    not count as article; the replacement itself keeps every extracted line no cue rule names.
    """
    lines = extracted.splitlines()
    if not _rules_win(kept, len(clean_lines(lines, repeated=repeated).body.split()), extracted):
        return None
    return clean_lines(lines, repeated=repeated, region=False)


def _rules_win(kept: int, rules_kept: int, extracted: str) -> bool:
    """Whether the rules on the extractor's text replace the flattened page's reading, which kept `kept` words
    where they keep `rules_kept`: when it kept much less, unless the extracted text is mostly table rows and
    the flattened reading is still an article."""
    if kept >= HYBRID_MIN_SHARE * rules_kept:
        return False
    return kept < HYBRID_TABLE_MIN_WORDS or not _table_text(extracted)


def _table_text(text: str) -> bool:
    """Whether most of an extractor's text is table rows ("| cell | cell |"): a page laid out in a table, whose
    rows join navigation, article and sidebar cells into one line the text rules cannot take apart (the
    flattened page keeps one line per cell)."""
    total = in_rows = 0
    for line in text.splitlines():
        n = len(line.split())
        total += n
        if line.lstrip().startswith("|"):
            in_rows += n
    return in_rows > HYBRID_MAX_TABLE * total


def _index_page(result: CleanedArticle) -> bool:
    return any(d.reason == "index_page" for d in result.decisions)
