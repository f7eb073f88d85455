"""Language identification by stopword hits and script: enough to flag non-English text, not to translate it."""

from __future__ import annotations

import re
import unicodedata

EN = frozenset(
    """a about above after again against all almost also although always am among an and another any
    are aren't around as at away back be became because been before being below between both but by can
    cannot could couldn't did didn't do does doesn't doing don't down during each either else even ever
    every few for from further had hadn't has hasn't have haven't having he her here hers herself him
    himself his how however i if in into is isn't it it's its itself just last least less like made make
    many may me might more most much must my myself neither never no nor not now of off often on once
    one only or other others our ours ourselves out over own per perhaps rather said same says she
    should shouldn't since so some still such than that that's the their theirs them themselves then
    there there's these they this those though through thus to too under until up upon us very was
    wasn't we were weren't what when where whether which while who whom whose why will with within
    without won't would wouldn't yet you your yours yourself also new two three told according""".split()
)
OTHER: dict[str, frozenset[str]] = {
    "de": frozenset("der die das und ist nicht ein eine zu den mit von sich auf für im dem des auch es ich sie er wir "
                    "wird werden bei nach aus wie oder aber noch nur hat haben sind war einer einem über".split()),
    "fr": frozenset("le la les et est une des du dans que qui pour pas sur au avec ce il elle ne se plus par "
                    "sont aux ont été cette mais ou son leurs nous vous leur comme".split()),
    "es": frozenset("el la los las y es un una de del que en por con para se no su al lo como más pero sus "
                    "le ya o fue este ha sí porque esta entre cuando muy sin sobre".split()),
    "it": frozenset("il lo la gli le e è un una di del della che in per con non si al sono ha anche come "
                    "più ma nel alla dei delle degli questo".split()),
    "pt": frozenset("o a os as e é um uma de do da dos das que em para com não se por mais ao como mas "
                    "foi na no ele ela seu sua são".split()),
    "nl": frozenset("de het een en van is dat in op te zijn niet met voor er aan ook als bij door maar "
                    "om nog wordt worden dit die".split()),
    "ru": frozenset("и в не на я что он с как а то все она так его но да ты к у же вы за бы по только "
                    "ее мне было вот от меня еще нет о из ему это".split()),
}
STOPWORDS: dict[str, frozenset[str]] = {"en": EN, **OTHER}

_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
# scripts that name a language on their own (first letter of the Unicode character name)
_SCRIPTS = (
    ("HANGUL", "ko"), ("HIRAGANA", "ja"), ("KATAKANA", "ja"), ("CJK", "zh"), ("ARABIC", "ar"),
    ("HEBREW", "he"), ("GREEK", "el"), ("DEVANAGARI", "hi"), ("THAI", "th"), ("CYRILLIC", "und"),
    ("BENGALI", "bn"), ("TAMIL", "ta"), ("GEORGIAN", "ka"), ("ARMENIAN", "hy"),
)


def words(text: str) -> list[str]:
    """Word tokens (letters first, apostrophes and hyphens inside), as written."""
    return _WORD.findall(text)


def _script_counts(text: str, limit: int = 2000) -> tuple[int, dict[str, int]]:
    sample = text[:limit]
    if sample.isascii():
        return sum(1 for ch in sample if ch.isalpha()), {}
    latin = 0
    other: dict[str, int] = {}
    for ch in sample:
        if not ch.isalpha():
            continue
        if ch < "\u0250":
            latin += 1
            continue
        name = unicodedata.name(ch, "")
        for prefix, code in _SCRIPTS:
            if name.startswith(prefix):
                other[code] = other.get(code, 0) + 1
                break
    return latin, other


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or 'und' when it cannot tell."""
    latin, other = _script_counts(text)
    letters = latin + sum(other.values())
    if letters == 0:
        return "und"
    toks = [w.lower() for w in words(text[:20000])]
    hits = {code: sum(1 for t in toks if t in sw) for code, sw in STOPWORDS.items()}
    best = max(hits, key=lambda c: hits[c])
    if other:
        code = max(other, key=lambda c: other[c])
        if other[code] > latin:
            if code == "und" and hits["ru"] >= 3:
                return "ru"
            if code == "zh" and (other.get("ja", 0) > 0):
                return "ja"
            return code
    if hits[best] >= 3 and hits[best] >= 0.08 * len(toks):
        return best
    return "und" if len(toks) >= 5 else ("en" if hits["en"] else "und")
