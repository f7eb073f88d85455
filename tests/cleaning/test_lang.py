"""newsprism.cleaning.lang: language identification (py3langid); the stopword lists (in newsprism.text)."""

import pytest

from newsprism.cleaning.lang import SAMPLE_CHARS, detect_language
from newsprism.text import STOPWORDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The minister said on Tuesday that the talks would resume next week in Geneva.", "en"),
        ("Der Minister sagte am Dienstag, dass die Gespräche nächste Woche in Genf fortgesetzt werden.", "de"),
        ("Le ministre a déclaré mardi que les pourparlers reprendraient la semaine prochaine à Genève.", "fr"),
        ("El ministro dijo el martes que las conversaciones se reanudarán la próxima semana en Ginebra.", "es"),
        ("Министр заявил во вторник, что переговоры возобновятся на следующей неделе в Женеве.", "ru"),
        ("Policisté budou s hygieniky častěji kontrolovat opatření, uvedl ministr vnitra.", "cs"),
        ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.", "la"),
        ("東京は日本の首都であり、世界有数の大都市です。", "ja"),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "1234 5678", "—", "Hello"])
def test_detect_language_says_und_when_it_cannot_tell(text):
    assert detect_language(text) == "und"


def test_detect_language_reads_a_sample():
    english = "The minister said on Tuesday that the talks would resume next week in Geneva. " * 80
    german = "Der Minister sagte am Dienstag, dass die Gespräche nächste Woche fortgesetzt werden. " * 200
    assert len(english) >= SAMPLE_CHARS
    assert detect_language(english + german) == "en"


def test_stopword_lists_are_lower_case_and_keyed_by_language():
    assert set(STOPWORDS) == {"en", "de", "fr", "es", "it", "pt", "nl", "ru"}
    assert all(w == w.lower() for words in STOPWORDS.values() for w in words)
    assert {"the", "and", "of"} <= STOPWORDS["en"]
