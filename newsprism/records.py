"""The records passed between stages, and the content hashes that key them.

Stages hand each other plain dicts (JSON-serialisable, so Prefect can pass, cache and persist them, and
the per-article cache stores them as they are); the TypedDicts below give those dicts their types. The
row types carry exactly the columns of their warehouse table (tests/warehouse checks them against the
`loads/insert_*.sql` column lists).

    corpus  --read_corpus-->   RawArticle (dataclass)   --ingest-->  Corpus (ArticleRef per story, no texts)
            --read_texts-->  IngestedArticle (a batch's articles with their texts)
            --clean-->  Article  --split-->  SplitArticle  --define_stories-->  Story
            --align / summarise / tag-->  StageOutput[LinkRow | SummaryRow | SentimentRow | StanceRow]
                                          (summarise: SummaryOutput, with the story's SummaryPointRows)
            --load-->  warehouse rows;  the run itself  -->  RunRecord
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, NotRequired, TypedDict, TypeVar


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def article_id_for(story_id: str, raw_hash: str) -> str:
    """An article's id: its story and its raw content's hash."""
    return content_hash(f"{story_id}\x00{raw_hash}")


def sentences_hash(article: SplitArticle) -> str:
    """The hash of an article's sentences: what every per-article model output is cached on."""
    return content_hash("\n".join(article["sentences"]))


class Locator(TypedDict):
    """Where an input article's text is read from: a corpus file, and in a JSON Lines file its line's byte
    offset (in the gunzipped stream when `gzip`) and, for a story-per-line file, its index in `articles`."""

    path: str
    offset: int | None
    item: int | None
    gzip: bool


class ArticleFields(TypedDict):
    """An input article's fields and hashes, as the corpus gave them (`RawArticle`, less its text)."""

    story_id: str
    source: str
    kind: str
    outlet: str | None
    url: str | None
    title: str | None
    published_at: str | None
    story_title: str | None
    encoding: str
    raw_hash: str
    article_id: str


class ArticleRef(ArticleFields):
    """An input article as the ingest stage hands it on: its fields and hashes without its text, which
    `newsprism.corpus.read_texts` reads again from `where` when the article's batch is cleaned (so a corpus's
    raw texts are never held all at once)."""

    size_bytes: int
    story_given: bool  # False: the article named no story (the group stage gives it one)
    where: Locator


class IngestedArticle(ArticleFields):
    """One input document with its text, as the clean stage gets it (`RawArticle.as_record`, `read_texts`)."""

    text: str


@dataclass
class RawArticle:
    """One input document as read from the corpus, before cleaning."""

    story_id: str
    source: str  # path relative to the corpus, or "file.jsonl:LINE"
    text: str  # raw text (or raw HTML when kind == 'html')
    kind: str = "text"  # 'text' | 'html'
    outlet: str | None = None  # from a manifest / JSONL: overrides what the cleaner finds
    url: str | None = None
    title: str | None = None
    published_at: str | None = None
    story_title: str | None = None
    encoding: str = "utf-8"  # the codec the bytes were decoded from (newsprism.decode); JSON Lines are UTF-8
    story_given: bool = True  # False: the article named no story (the group stage gives it one)
    where: Locator | None = None  # where the corpus reader found it (`as_ref`)

    @property
    def raw_hash(self) -> str:
        return content_hash(self.text)

    @property
    def article_id(self) -> str:
        return article_id_for(self.story_id, self.raw_hash)

    def fields(self) -> ArticleFields:
        """The article's fields and hashes, without its text."""
        return ArticleFields(
            story_id=self.story_id,
            source=self.source,
            kind=self.kind,
            outlet=self.outlet,
            url=self.url,
            title=self.title,
            published_at=self.published_at,
            story_title=self.story_title,
            encoding=self.encoding,
            raw_hash=self.raw_hash,
            article_id=self.article_id,
        )

    def as_ref(self) -> ArticleRef:
        """The article without its text: where to read it again (`where`, set by the corpus reader)."""
        if self.where is None:
            raise ValueError(f"{self.source}: the corpus reader gave no location to read its text again")
        return ArticleRef(**self.fields(), size_bytes=len(self.text.encode("utf-8")), story_given=self.story_given,
                          where=self.where)  # fmt: skip

    def as_record(self) -> IngestedArticle:
        """The article as the pipeline passes it on: a plain dict of its fields, hashes and text."""
        return IngestedArticle(**self.fields(), text=self.text)


class RejectedInput(TypedDict):
    """An input quarantined at ingest (its `rejected_inputs` row, less the run id): where it came from, its
    hash and size when read, a short reason code (see `newsprism.corpus.REASONS`) and what to fix."""

    source: str
    content_hash: str | None
    size_bytes: int | None
    reason: str
    message: str
    kept_source: str | None  # for `duplicate`: the input that was kept


class ArticleLinkRow(TypedDict):
    """An `article_links` row: an article that nearly duplicates an earlier one of its story."""

    story_id: str
    article_id: str
    kept_article_id: str
    relation: str
    similarity: float


class RunOutcome(TypedDict):
    """What became of a run's inputs: articles written, articles already stored so, quarantined per reason."""

    analysed: int
    unchanged: int
    quarantined: dict[str, int]


class Corpus(TypedDict):
    """The ingest stage's output: the articles per story id (stories in order of first appearance), the
    claims the corpus's `claims.csv` names per story, the inputs quarantined instead of analysed, and the
    ids of the articles that named no story."""

    stories: dict[str, list[ArticleRef]]  # the texts are read per batch: `newsprism.corpus.read_texts`
    claims: dict[str, list[str]]
    rejected: list[RejectedInput]
    ungrouped: list[str]  # the ids of the articles that named no story (the group stage groups them)


Decision = tuple[int, str, bool, str]  # line_no, text, kept, reason: one `cleaning_decisions` row


class Article(TypedDict):
    """A cleaned article: its `articles` row (every column), its story's title and its line decisions."""

    article_id: str
    story_id: str
    story_title: str | None
    source: str
    outlet: str
    outlet_evidence: str | None
    wire: str | None
    dateline: str | None  # the wire dateline the cleaner moved out of the body ("WASHINGTON (Reuters) -")
    title: str | None
    published_at: str | None
    author: str | None
    url: str | None
    language: str
    encoding: str
    raw_hash: str
    raw_text: str
    clean_text: str
    words_raw: int
    words_clean: int
    cleaner_id: str
    decisions: list[Decision]


class RawBatch(TypedDict):
    """A batch's articles with their texts read again (`newsprism.corpus.read_texts`): per story (stories with
    none left dropped), and the inputs quarantined as `changed`."""

    stories: list[list[IngestedArticle]]
    rejected: list[RejectedInput]


class Screened(TypedDict):
    """The clean stage's articles less those with no article text: per story (stories with none left
    dropped), the ids of those stories, and the articles quarantined."""

    articles: list[list[Article]]
    story_ids: list[str]
    rejected: list[RejectedInput]


class SplitArticle(Article):
    """A cleaned article with its body's sentences (the unit every model works on) and the named entities in
    them (`newsprism.entities.EntityMention` as dicts, canonical names merged within the story)."""

    sentences: list[str]
    entities: NotRequired[list[dict[str, Any]]]


class Story(TypedDict):
    """What a story is measured against: the claims stance is taken toward, the targets of sentiment."""

    story_id: str
    title: str | None
    claims: list[str]
    targets: list[str]


class LinkRow(TypedDict):
    """A `sentence_links` row: a sentence's closest sentence in another article of its story."""

    article_id: str
    sentence_no: int
    other_article_id: str
    other_sentence_no: int
    similarity: float
    word_overlap: float
    same_point: bool  # the pairs model's decision (False when no candidate reached its cosine bound)
    same_point_score: float | None  # its p(same point); None: not scored (cosine below the bound)
    model_id: str
    pairs_model_id: str


class SummaryRow(TypedDict):
    """A `summaries` row: scope 'article' (subject = the article) or 'story' (subject = the story)."""

    scope: str
    subject_id: str
    story_id: str
    article_id: str | None
    summary: str
    sentence_ids: list[int]
    model_id: str


class SummaryPointRow(TypedDict):
    """A `summary_points` row: one point of a story's summary and the outlets that make it."""

    story_id: str
    point_no: int
    text: str
    article_id: str
    sentence_no: int
    outlets: list[str]
    model_id: str


class SentimentRow(TypedDict):
    """A `sentiment` row: level 'sentence' (sentence_no set), 'article' or 'target' (target set)."""

    article_id: str
    level: str
    sentence_no: int | None
    target: str | None
    label: str
    score: float
    p_negative: float | None
    p_neutral: float | None
    p_positive: float | None
    mentions: int | None
    model_id: str


class StanceRow(TypedDict):
    """A `stance` row: an article's stance toward one claim, and its evidence sentence."""

    article_id: str
    claim_no: int
    claim: str
    label: str
    score: float
    p_agree: float | None
    p_disagree: float | None
    p_discuss: float | None
    p_unrelated: float | None
    evidence_sentence_no: int | None
    evidence: str | None
    model_id: str


RowT = TypeVar("RowT")


class StageOutput(TypedDict, Generic[RowT]):
    """A model stage's output for one story: its rows, and the units of work computed and read from the
    per-article cache (per kind of unit, e.g. {"sentiment": 3, "sentiment_targets": 15})."""

    rows: list[RowT]
    computed: dict[str, int]
    cached: dict[str, int]


class SummaryOutput(StageOutput[SummaryRow]):
    """The summarise stage's output for one story: its summary rows, and the story summary's points."""

    points: list[SummaryPointRow]


class RunRecord(TypedDict):
    """A `runs` row: the run's parameters and models, the stages' own time, the model work done, and its
    status (`running` from its start: the numbers are then None; `completed`; `failed` or `abandoned` with
    the error) and the process that runs it (host, pid: how a later run tells that it is gone)."""

    run_id: str
    flow_run_id: str | None
    profile: str
    parameters: dict[str, Any]
    started_at: datetime
    finished_at: datetime | None
    timings: dict[str, float] | None
    computed: dict[str, int] | None
    cached: dict[str, int] | None
    stories: list[str] | None
    articles: int | None
    status: str
    error: str | None
    host: str
    pid: int


class StoryMemberRow(TypedDict):
    """A grouped article's `story_members` row: its story and what the grouping compares new articles with."""

    raw_hash: str
    story_id: str
    article_id: str
    published_day: int | None
    title: str | None
    lead_vector: list[float]
    body_vector: list[float]
    names: list[str]
    encoder_model_id: str


class StoryEventRow(TypedDict):
    """A merge or split a regroup made (`story_events` row, less the run id)."""

    story_id: str
    kind: str
    from_story_id: str
    articles: int


class StoryGrouping(TypedDict):
    """How a story was formed (`stories` columns set by the grouping)."""

    story_id: str
    size: int
    formed_by: str  # 'given' or 'grouped'
    grouping_model_id: str | None
    grouping_threshold: float | None
    single_outlet: bool


class Grouped(TypedDict):
    """The group stage's output: the articles per story (grouped ones with their story and article ids), the
    story ids in order, each story's grouping columns, and the rows the load writes."""

    articles: list[list[Article]]
    story_ids: list[str]
    stories: list[StoryGrouping]
    members: list[StoryMemberRow]
    events: list[StoryEventRow]
