"""Article cleaning: main text, per-line decisions with reasons, and metadata, from plain text or HTML.

The modules, in the order a document meets them (`newsprism.decode` turns its bytes into text first):

    document   clean_document / clean_text / clean_html: one document, start to finish
    lines      the line rules: cue rules, shallow classes, tail cut, main region; the line model applied
    linemodel  the line model at run time: feature rows, the shipped JSON models, P(body)
    metadata   headline, date, author, outlet and wire, from the lines (and an HTML page's metadata)
    html       a page flattened to its visible lines, or extracted by trafilatura
    rules, dates, lang   the cue patterns, dates as pages print them, language identification
    story      a story's articles together: an outlet's repeated lines, corpus metadata, word counts
    article    the result types
    datasets, linemodel_training   evaluation sets and line-model training (never imported at run time)

    >>> from newsprism.cleaning import clean_text
    >>> clean_text("Some Headline Here\\nThe article's first sentence is long enough to count as body text.").title
    'Some Headline Here'
"""

from __future__ import annotations

from newsprism.cleaning.article import CleanedArticle, LineDecision
from newsprism.cleaning.document import CLEANER_ID, clean_document, clean_html, clean_text
from newsprism.cleaning.lines import normalise
from newsprism.cleaning.story import clean_story, find_repeated_lines

__all__ = [
    "CLEANER_ID",
    "CleanedArticle",
    "LineDecision",
    "clean_document",
    "clean_html",
    "clean_story",
    "clean_text",
    "find_repeated_lines",
    "normalise",
]
