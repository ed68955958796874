"""Kazakh case endings for the names the service writes into generated text (acts, roles, tools).

Kazakh adds a case ending to the last word of a noun phrase. The ending follows
- vowel harmony: back (а, о, ұ, ы, я) or front (ә, ө, ү, і, е, э) by the word's last harmonic vowel;
- the sound the word ends in: a vowel, a sonorant (л, р, у, й), a nasal (м, н, ң), a voiced
  fricative (ж, з) or a voiceless consonant (including б, в, г, д of loan words, pronounced voiceless);
- whether the word carries the 3rd-person possessive (-ы/-і, -сы/-сі: "қағидалары", "директоры" in
  "Мектеп директоры"): then an "н" joins it ("қағидаларына", "директорының").

Only the four cases generated text needs are here: dative (барыс), genitive (ілік), locative (жатыс)
and accusative (табыс). A phrase "A / B" (two names of one role) declines both halves.
"""

from __future__ import annotations

import re
from typing import Literal

Case = Literal["dative", "genitive", "locative", "accusative"]

_BACK = set("аоұыяАОҰЫЯaouAOU")
_FRONT = set("әөүіеэӘӨҮІЕЭeiEI")
_VOWELS = _BACK | _FRONT | set("иуюёИУЮЁyY")
_SONORANT = set("лрйуЛРЙУlrLR")
_NASAL = set("мнңМНҢmnMN")
_VOICED_FRICATIVE = set("жзЖЗzZ")
_CYRILLIC = re.compile(r"[а-яәөүұіңғқһё]", re.IGNORECASE)

# (back, front) endings per case and kind of last sound.
_ENDINGS: dict[Case, dict[str, tuple[str, str]]] = {
    "dative": {
        "vowel": ("ға", "ге"),
        "sonorant": ("ға", "ге"),
        "nasal": ("ға", "ге"),
        "fricative": ("ға", "ге"),
        "voiceless": ("қа", "ке"),
        "possessive": ("на", "не"),
    },
    "genitive": {
        "vowel": ("ның", "нің"),
        "nasal": ("ның", "нің"),
        "sonorant": ("дың", "дің"),
        "fricative": ("дың", "дің"),
        "voiceless": ("тың", "тің"),
        "possessive": ("ның", "нің"),
    },
    "locative": {
        "vowel": ("да", "де"),
        "sonorant": ("да", "де"),
        "nasal": ("да", "де"),
        "fricative": ("да", "де"),
        "voiceless": ("та", "те"),
        "possessive": ("нда", "нде"),
    },
    "accusative": {
        "vowel": ("ны", "ні"),
        "sonorant": ("ды", "ді"),
        "nasal": ("ды", "ді"),
        "fricative": ("ды", "ді"),
        "voiceless": ("ты", "ті"),
        "possessive": ("н", "н"),
    },
}

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def _is_front(word: str) -> bool:
    """Front harmony when the word's last harmonic vowel is front; "и", "у", "ю" decide nothing."""
    for letter in reversed(word):
        if letter in _FRONT:
            return True
        if letter in _BACK:
            return False
    return False


def _sound(word: str) -> str:
    last = word[-1]
    if last in _SONORANT:
        return "sonorant"  # "у" ends like a consonant: "бағалауға", "бағалаудың"
    if last in _VOWELS:
        return "vowel"
    if last in _NASAL:
        return "nasal"
    if last in _VOICED_FRICATIVE:
        return "fricative"
    return "voiceless"


def _looks_possessive(words: list[str]) -> bool:
    """A phrase of two or more words whose head ends in -ы/-і is an izafet ("Мектеп директоры",
    "Жұмыс тобының мүшесі", "… пайдалану қағидалары"); agent nouns in -шы/-ші are not ("құжаттанушы")."""
    if len(words) < 2:
        return False
    head = words[-1].lower()
    return head[-1:] in ("ы", "і") and not head.endswith(("шы", "ші"))


def decline_word(word: str, case: Case, possessive: bool = False) -> str:
    """One word with the case ending; an abbreviation ("АКТ") or a Latin name ("Canva") takes it after
    a hyphen."""
    if not word:
        return word
    kind = "possessive" if possessive else _sound(word)
    back, front = _ENDINGS[case][kind]
    ending = front if _is_front(word) else back
    if (len(word) > 1 and word.isupper()) or not _CYRILLIC.search(word):
        return f"{word}-{ending}"
    return word + ending


def decline(phrase: str, case: Case, possessive: bool | None = None) -> str:
    """The phrase with its last word in `case`; `possessive` None guesses it from the phrase's shape.

    "A / B" declines each half: "Заңгер / құжаттанушы" → "Заңгерге / құжаттанушыға".
    """
    if " / " in phrase:
        return " / ".join(decline(part, case, possessive) for part in phrase.split(" / "))
    words = _WORD.findall(phrase)
    if not words:
        return phrase
    last = words[-1]
    at = phrase.rfind(last)
    owned = _looks_possessive(words) if possessive is None else possessive
    return phrase[:at] + decline_word(last, case, owned) + phrase[at + len(last) :]


def dative(phrase: str, possessive: bool | None = None) -> str:
    """Барыс септік (to whom / to what): "ережеге", "қағидаларына"."""
    return decline(phrase, "dative", possessive)


def genitive(phrase: str, possessive: bool | None = None) -> str:
    """Ілік септік (whose): "ереженің", "қағидаларының"."""
    return decline(phrase, "genitive", possessive)


def locative(phrase: str, possessive: bool | None = None) -> str:
    """Жатыс септік (where): "ережеде", "қағидаларында"."""
    return decline(phrase, "locative", possessive)


def accusative(phrase: str, possessive: bool | None = None) -> str:
    """Табыс септік (whom / what): "ережені", "қағидаларын"."""
    return decline(phrase, "accusative", possessive)
