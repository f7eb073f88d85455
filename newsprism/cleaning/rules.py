"""Cue lines: patterns that name what a non-body line is (a tail heading, a caption, a byline...).

Each rule looks at one stripped line and returns a reason or None. The rules are generic: they describe
how news pages are laid out, never a particular site.
"""

from __future__ import annotations

import re

# a run of capitalised words, the shape of a name ("Northeast Herald", "Türkiye Today", "The Hindu")
_CAP = r"[A-Z\u00C0-\u00DE][\w'’&.-]*"
NAME = rf"{_CAP}(?:\s+(?:of|the|and|&|de|du|al|el|-)?\s*{_CAP}){{0,5}}"
_NAME_RE = re.compile(NAME)

# ---- lines that open a tail section: everything after them is not the article
TAIL_CUES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"^(?:\d+\s+)?(?:comments?|responses?|replies|reader comments|join the (?:conversation|discussion)|"
            r"leave a (?:comment|reply)|post a comment|add (?:a|your) comment|show comments|"
            r"no comments yet\W*|discussion|conversation|(?:readers?['’]?|user) comments|"
            r"post your comment|write a comment|comments? (?:are|is) (?:now )?closed"
            r"(?: for this (?:story|article|post|entry))?)"
            r"\s*(?:\((?:\d+|no comments?(?: posted| yet)?\.?)\))?\W*$",
            re.I,
        ),
        "comments",
    ),
    (
        re.compile(
            r"^(?:related|more related|similar|recommended|suggested|trending|popular|latest|top|more|other|"
            r"also|further|featured|most|you may|you might|don't miss|editor'?s?|around|sponsored|from the)\b"
            r"[\w\s'’&-]{0,40}$",
            re.I,
        ),
        "related_tail",
    ),
    (
        re.compile(
            r"^(?:hashtags|tags|topics|keywords|filed under|categories|see also|read next|read more|"
            r"up next|what to read next|elsewhere on|in other news|more (?:from|on|in|at) .{1,40})\s*:?$",
            re.I,
        ),
        "related_tail",
    ),
)
# the words that make a "related"/"more"/"latest" line a tail heading rather than a sentence
_TAIL_WORDS = re.compile(
    r"\b(?:articles?|stories|story|news|posts?|reads?|coverage|content|headlines|videos?|links?|reading|"
    r"updates|picks|popular|viewed|read|shared|commented|recommended|like|miss|web|topics|from|on)\b",
    re.I,
)
MORE_FROM = re.compile(rf"^more\s+(?:from|at)\s+(?P<name>{NAME})\s*:?$", re.I)

SOCIAL_ATTRIBUTION = re.compile(
    r"(?:^|\s)[—–-]{1,2}\s*[^()\n]{1,80}\(@\w{1,30}\)\s+[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}\s*$"
)
SOCIAL = re.compile(
    r"pic\.twitter\.com/\w+|\b(?:a post shared by|view this post on instagram|view on (?:twitter|instagram|"
    r"x|threads|tiktok|facebook))\b|^\(@\w+\)$",
    re.I,
)

COOKIE = re.compile(
    r"\bcookies?\b.*\b(?:use|uses|using|accept|consent|settings|policy|preferences|browsing|experience)\b|"
    r"\b(?:accept|reject|manage) (?:all )?cookies\b|\bprivacy (?:policy|settings|preferences)\b.*\bconsent\b",
    re.I,
)
NEWSLETTER = re.compile(
    r"\b(?:newsletters?|sign up|signup|subscribe|subscription|subscribers?|inbox|unsubscribe|"
    r"get (?:our|the) (?:latest|daily|best)|delivered to your)\b",
    re.I,
)
# the newsletter words that are a prompt even inside a sentence ("subscribers" alone is news vocabulary)
NEWSLETTER_PROMPT = re.compile(
    r"\b(?:newsletters?|sign up|signup|subscribe (?:to|now|today|for)|unsubscribe|inbox|"
    r"get (?:our|the) (?:latest|daily|best)|delivered to your)\b",
    re.I,
)
# a teaser: a link's blurb that ends in its own "More" / "Read more" link
TEASER_END = re.compile(r"\s(?:more|read more|full story|continue reading)\s*(?:»|>>|›|\.\.\.|…)?\s*$", re.I)
SHARE = re.compile(
    r"^(?:share|share (?:this|on|via|article|story|the story)|tweet|print|email|e-mail|copy link|copy url|"
    r"link copied|whatsapp|facebook|twitter|linkedin|pinterest|reddit|telegram|messenger|flipboard|"
    r"save|bookmark|gift (?:this )?article|listen(?: to (?:this )?article)?|comment)\b[\w\s/|•·,-]{0,60}$",
    re.I,
)
SOCIAL_SITES = frozenset(
    "x twitter facebook instagram youtube linkedin tiktok whatsapp pinterest reddit telegram threads "
    "snapchat flipboard rss email e-mail mail print share copy link messenger bluesky mastodon".split()
)
NAVIGATION = re.compile(
    r"^(?:close|menu|open menu|close menu|search|home|homepage|back|back to top|top|skip to (?:main )?content|"
    r"skip navigation|log ?in|sign in|log ?out|register|my account|account|next|previous|prev|more|"
    r"load more|show more|see more|see all|view all|toggle navigation|navigation|main menu|sections|"
    r"go|submit|ok|cancel|continue|continue reading|read more|expand|collapse|×|x|☰)\W*$",
    re.I,
)
ADVERT = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content)?|ad|ads|promoted|paid (?:content|post)|"
    r"(?:story|article) continues(?: below)?(?: (?:the )?advertisement)?|"
    r"continue reading (?:the )?(?:main )?(?:story|article) below|scroll to continue.*|"
    r"\(?advertisement\)?\s*-?\s*continue reading below)\W*$",
    re.I,
)
COPYRIGHT = re.compile(
    rf"(?:©|\(c\)|copyright)\s*(?:\d{{4}}\s*(?:[-–]\s*\d{{4}})?\s*)?,?\s*(?P<name>{NAME})?",
    re.I,
)
ALL_RIGHTS = re.compile(
    r"\ball rights reserved\b|\bterms (?:of (?:use|service)|and conditions)\b|"
    r"\bmay not be (?:re)?published,? broadcast,? rewritten,? or redistributed\b",
    re.I,
)
# a rights notice that may run long ("All content is copyright © 2008 X. All rights reserved. This material...")
RIGHTS_NOTICE = re.compile(r"\ball rights reserved\b", re.I)
MEDIA_LABEL = re.compile(
    r"^(?:(?:big|small|full|large|main)?(?:photo|image|picture|video|gallery|slideshow|graphic|photos|"
    r"images|pictures|videos)s?|enlarge|zoom|expand image|view gallery|watch|play|play video|"
    r"(?:\d+\s+)?(?:photos?|images?)|click to enlarge|\d+\s*/\s*\d+)\W*$",
    re.I,
)
# a caption's credit: "(AFP Photo)", "Contributor/Getty Images", "File Photo by X/EPA-EFE", "Photo: Reuters"
PHOTO_CREDIT_TAIL = re.compile(
    r"(?:\((?:[\w .'/-]{0,40}\s)?(?:photo|photograph|image|file photo|picture|pic|video)s?"
    r"(?:\s*(?:by|:|/)\s*[^()]{0,60})?\)|"
    r"\b(?:(?:file\s+)?photo(?:graph)?s?|image|picture|credit|courtesy|illustration)\s*(?:by|:|courtesy of)\s*"
    r"[^.]{1,80}|"
    r"[\w.'’ -]{0,40}/\s*(?:[\w.'’-]+\s+){0,3}(?:via\s+)?(?:getty images|afp|reuters|ap|epa|epa-efe|"
    r"shutterstock|alamy|bloomberg|ap photo|pool|anadolu(?: agency)?|xinhua|sipa|zuma|imago|dpa)|"
    r"\b(?:getty images|shutterstock|alamy(?: stock photo)?|istock(?:photo)?)|"
    r"\((?:AP|AFP|Reuters|EPA|Getty|AA|Xinhua|dpa|IANS|PTI|ANI)(?:\s*(?:Photo|Images|File))?"
    r"(?:/[^()]{1,60})?\))\s*\.?$",
    re.I,
)
PHOTO_CREDIT_ONLY = re.compile(
    r"^(?:(?:photo|photograph|image|picture|credit|source|illustration)s?\s*(?:by|:)\s*.{1,80}|"
    r"[\w.'’ -]{1,40}/\s*(?:getty images|afp|reuters|ap|epa|shutterstock|bloomberg)[\w ]{0,20}|"
    r"\(?(?:getty images|shutterstock|afp photo|ap photo|reuters|afp|epa|ap)\)?)\s*\.?$",
    re.I,
)
BYLINE = re.compile(
    rf"^(?i:written\s+by|words\s+by|story\s+by|posted\s+by|by)\s*:?\s+(?P<name>{NAME}"
    rf"(?:\s*(?:,|and|&)\s*{NAME}){{0,3}})\s*(?:[,|•·-]\s*.{{0,60}})?$",
)
ROLE = (
    r"(?:reporter|correspondent|editor|writer|journalist|columnist|contributor|producer|anchor|analyst|"
    r"photographer|author|critic|blogger|intern|fellow|bureau chief|news desk|staff)"
)
AUTHOR_BIO = re.compile(
    rf"\b{ROLE}s?\b[^.;:]{{0,40}}?\b(?:at|for|with)\s+(?:the\s+)?(?P<name>{NAME})",
    re.I,
)
BIO_START = re.compile(rf"^(?:[A-Z][\w'’.-]*\s+){{0,6}}(?:is\s+(?:a|an|the)\s+)?[\w\s-]{{0,30}}\b{ROLE}s?\b", re.I)
# a wire dateline ("July 4 (UPI) --", "Busan/IBNS:") is newsprism.text.split_dateline's, the one rule
AGENCIES = frozenset(
    """AFP AP Reuters Xinhua dpa DPA ANI PTI IANS UNI IBNS Bloomberg UPI TASS Yonhap Kyodo EFE ANSA Anadolu AAP
    CNA Bernama Antara RIA KUNA WAM SPA APA NNA MENA IRNA Interfax""".split()
) | {"Associated Press", "Agence France-Presse", "Press Trust of India", "Anadolu Agency", "Reuters Staff"}
AGENCY_LINE = re.compile(
    r"^[\[(]?\s*(?:[-–—]\s*)?(?:(?:with inputs from|inputs from|source|sources|agencies|via|copyright)\s*:?\s*)?"
    r"(?P<name>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3})\s*[\])]?\s*\.?$"
)
REPORTING_BY = re.compile(r"^(?:\(?(?:reporting|writing|editing|additional reporting|compiled) by\b.{0,200})$", re.I)
RELATIVE_TIME = re.compile(
    r"^(?:\d+|an?|one)\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago$|^(?:just now|yesterday|today)$",
    re.I,
)
SECTION_WORDS = frozenset(
    """news world politics business sports sport opinion culture technology tech science health
    entertainment lifestyle travel video videos photos this story author the author us our topic
    category section life style home local national international economy markets""".split()
)


def tail_cue(s: str) -> str | None:
    """'related_tail' or 'comments' when the line is the heading of a tail section."""
    if len(s) > 60:
        return None
    for pattern, reason in TAIL_CUES:
        if pattern.match(s):
            if reason == "related_tail" and not _tail_heading_words_ok(s):
                continue
            return reason
    return None


def _tail_heading_words_ok(s: str) -> bool:
    low = s.lower().rstrip(" :")
    if low.startswith(
        (
            "hashtags",
            "tags",
            "topics",
            "keywords",
            "filed under",
            "categories",
            "see also",
            "read next",
            "read more",
            "up next",
            "what to read next",
            "elsewhere on",
            "in other news",
            "more from",
            "more on",
            "more in",
            "more at",
            "related",
            "trending",
            "recommended",
            "latest",
            "most ",
        )
    ):
        return len(s.split()) <= 6
    return bool(_TAIL_WORDS.search(s)) and len(s.split()) <= 6


def is_social_list(s: str) -> bool:
    toks = re.split(r"[\s|/•·,]+", s.lower().strip())
    toks = [t for t in toks if t]
    return 0 < len(toks) <= 12 and all(t in SOCIAL_SITES for t in toks)


def name_at(text: str, start: int = 0) -> str | None:
    m = _NAME_RE.match(text, start)
    return m.group(0).strip(" .,-") if m else None


SOCIAL_FIRST = re.compile(
    r"[\s|/•·,]*(?:"
    + "|".join(re.escape(w) for w in sorted(SOCIAL_SITES, key=len, reverse=True))
    + r")(?:[\s|/•·,]|$)",
    re.I,
)

# one pass over a short line: a line none of the short-line cues could match skips them all (speed only)
SHORT_ANY = re.compile(
    "|".join(
        f"(?:{p.pattern})" for p in (*(c[0] for c in TAIL_CUES), NAVIGATION, ADVERT, MEDIA_LABEL, SHARE, RELATIVE_TIME)
    ),
    re.I,
)
