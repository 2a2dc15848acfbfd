"""A small rule-based stemmer for Kazakh (Cyrillic), used for full-text search.

The same function runs on the indexed text and on the query, so what matters is that the forms of one
word end up on one key and that different words do not.  Aiming at the dictionary base is the means: it
makes the keys readable and lets a hand-written list (tests/kk_stem_pairs.tsv) check them.

Kazakh is agglutinative and stacks its endings in a fixed order,

    base + derivation + plural + possessive + case (or attributive -дағы) + predicative

so the stemmer peels them off from the right in the reverse order, one slot at a time.  Every ending has
a back and a front variant (vowel harmony) and a first consonant that depends on the sound before it
(л/д/т, н/д/т, ғ/қ, м/б/п).  A cut is accepted only when both agree with what would be left: that is what
stops the stemmer from cutting "-да" off орта or "-дар" off Павлодар.  See docs/stemming.md.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Final

__all__ = ["stem", "stem_text", "tokens"]


def _words(*chunks: str) -> frozenset[str]:
    return frozenset(" ".join(chunks).split())


# --- letters -------------------------------------------------------------------------------------------

BACK: Final = frozenset("аоұыяё")
FRONT: Final = frozenset("әеөүіэ")
# и, у and ю spell the sequences ый/ій, ұу/үу/ыу/іу and йұ/йү, so they carry no harmony of their own:
# Kazakh words decide by the vowel before them, loanwords as the speaker pleases.  Either class is accepted.
VOWELS: Final = BACK | FRONT | frozenset("иую")
PLAIN_VOWELS: Final = BACK | FRONT | frozenset("ю")

KAZAKH_LETTERS: Final = "әғқңөұүһі"
CYRILLIC: Final = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя" + KAZAKH_LETTERS)
# Texts typed on a Russian keyboard layout use Latin look-alikes for the Kazakh-only letters, most often
# Latin i for і (one of the dev corpus texts does it ten times).  Inside a Cyrillic word they can only mean
# the Kazakh letter.
_LOOKALIKES: Final = str.maketrans({"i": "і", "ə": "ә", "ɵ": "ө"})
_HYPHENS: Final = str.maketrans({"\u2010": "-", "\u2011": "-"})

# --- the endings, slot by slot ---------------------------------------------------------------------------
#
# The class of the sound in front of an ending decides its first consonant:
#   V  a vowel                    G  и, у, й (vowel-like before л/ғ/д, consonant-like before н)
#   R  р      L  л      N  м н ң      Z  з ж
#   T  a voiceless consonant, or б в г д, which are devoiced at the end of a word (клубқа, диалогтар)
#   P  the 3rd-person possessive -ы/-і/-сы/-сі, after which case endings take a "pronominal" н
# An ending may only be cut if what is left ends in one of the classes listed for it.

Rule = tuple[str, str]  # (ending, classes allowed in front of it)


def _both(back: str, front: str, classes: str) -> list[Rule]:
    return [(back, classes), (front, classes)]


def _longest_first(rules: list[Rule]) -> list[Rule]:
    # -нда must be tried before -да and -ымыз before -ы; sorted() is stable, so ties keep their order.
    return sorted(rules, key=lambda r: -len(r[0]))


PREDICATIVE: Final = _longest_first(
    [
        # "we are …", "I am …": rare in press releases, but quotes and appeals use them (халықпыз)
        *_both("мыз", "міз", "GRLN"),
        *_both("быз", "біз", "Z"),
        *_both("пыз", "піз", "T"),
        *_both("мын", "мін", "GRLN"),
        *_both("бын", "бін", "Z"),
        *_both("пын", "пін", "T"),
    ]
)

CASE: Final = _longest_first(
    [
        # genitive: -ның after vowels and м н ң, -дың after the other voiced sounds, -тың after voiceless
        *_both("ның", "нің", "VN"),
        *_both("дың", "дің", "GRLZ"),
        *_both("тың", "тің", "T"),
        # dative
        *_both("ға", "ге", "VGRLNZ"),
        *_both("қа", "ке", "T"),
        *_both("на", "не", "P"),
        # accusative
        *_both("ны", "ні", "V"),
        *_both("ды", "ді", "GRLNZ"),
        *_both("ты", "ті", "T"),
        ("н", "P"),
        # locative
        *_both("да", "де", "VGRLNZ"),
        *_both("та", "те", "T"),
        *_both("нда", "нде", "P"),
        # ablative: -нан after м н ң and after the possessive
        *_both("дан", "ден", "VGRLZ"),
        *_both("нан", "нен", "NP"),
        *_both("тан", "тен", "T"),
        # instrumental: one form for both vowel classes (жастармен, өкілдерімен)
        ("мен", "VGRLN"),
        ("бен", "Z"),
        ("пен", "T"),
        # "according to" only after a possessive (айтуынша): a bare -ша is too often part of the word (ақша)
        *_both("нша", "нше", "P"),
    ]
)

ATTRIBUTIVE: Final = _longest_first(
    [
        # locative + -ғы, "the one in …": аудандағы, өңірдегі, облыстағы, құрамындағы
        *_both("дағы", "дегі", "VGRLNZ"),
        *_both("тағы", "тегі", "T"),
        *_both("ндағы", "ндегі", "P"),
    ]
)
# -ғы/-гі/-қы/-кі "of (a time or place)" is cut only from this closed list of bases.  As an open rule it
# would also cut nouns that end in those letters (белгі "sign" -> бел "waist", күлкі, сүзгі) and, worse, the
# possessive of every noun in -қ/-к (орталығы, бірлігі), which is far more frequent.
ATTRIBUTIVE_GY: Final = [*_both("ғы", "гі", "GRLNZ"), *_both("қы", "кі", "T")]
ATTRIBUTIVE_BASES: Final = _words(
    "жыл кейін бүгін қазір бұрын соң алғаш іш сырт күз жаз қыс көктем түн таң кеш биыл былтыр ертең",
    "негіз әуел бастап төмен жоғар ар бер алд",
)

# The 3rd person (-ы/-і after a consonant, -сы/-сі after a vowel) is the one that matters in this genre.
POSSESSIVE_3: Final = _longest_first([*_both("сы", "сі", "V"), *_both("ы", "і", "GRLNZT")])
POSSESSIVE: Final = _longest_first(
    [
        *_both("ымыз", "іміз", "GRLNZT"),
        *_both("мыз", "міз", "V"),
        *_both("ыңыз", "іңіз", "GRLNZT"),
        *_both("ңыз", "ңіз", "V"),
        # 1st and 2nd person singular -ым, -ың: only after a plural (өтініштерім "my requests"), see
        # _possessive_check.  On their own they end hundreds of nouns of this very domain (келісім, бөлім,
        # білім, ұйым, шешім), and a press release never says "my district".
        *_both("ым", "ім", "R"),
        *_both("ың", "ің", "R"),
        *POSSESSIVE_3,
    ]
)

PLURAL: Final = _longest_first(
    [
        *_both("лар", "лер", "VGR"),
        *_both("дар", "дер", "LNZ"),
        *_both("тар", "тер", "T"),
    ]
)

_PLURAL_ENDINGS: Final = tuple(s for s, _ in PLURAL)

DERIVATIONAL: Final = _longest_first(
    [
        # -лық: "of/for" adjectives (аудандық, облыстық) and abstract nouns (татулық)
        *_both("лық", "лік", "VGR"),
        *_both("дық", "дік", "LNZ"),
        *_both("тық", "тік", "T"),
        # -шы: agent nouns, only from AGENT_BASES (жұмысшы)
        *_both("шы", "ші", "GRLNZT"),
        # -лы "with", only after р й у.  After a vowel it is spelled like the possessive -ы of an л-final
        # noun (бағалы vs ауылы) and the possessive is the frequent reading.  -ды/-ты "with" is spelled like
        # the accusative and is already cut there (маңызды -> маңыз).
        *_both("лы", "лі", "RG"),
    ]
)

# -шы makes a person from a thing, and that person is often a different word for search: суретші "artist" is
# not сурет "picture", әкімші "administrator" is not әкім, балықшы is not балық.  It is only cut from bases
# where the two stay close.
AGENT_BASES: Final = _words("жұмыс қызмет сарап кеңес есеп")

# A derivational ending is not cut when what is left ends in another derivational ending: a word built in
# two steps has usually drifted in meaning (тұрақтылық "stability" is not тұрақ "a stop", құндылық "a value"
# is not құн "a price", бейбітшілік, бірлестік "an association" is not the verb бірлес-).
DERIVATION_BLOCKERS: Final = (
    "лы", "лі", "ды", "ді", "ты", "ті", "шы", "ші", "сыз", "сіз",
    "лас", "лес", "дас", "дес", "тас", "тес",  # -лас "fellow, joint" (ынтымақтас, әріптес, бірлес-)
    "ара",  # -аралық "inter-" (ұлтаралық, этносаралық): *ұлтара is not a word
    "нал",  # Russian -нальный (коммуналдық, ювеналдық): there is no Kazakh base to go back to
)  # fmt: skip

# --- exceptions -----------------------------------------------------------------------------------------

# Stems of two letters.  Any other two-letter remainder is refused, because most are pieces of longer words
# (басы -> *ба, онда -> *он, жеке -> *же).
SHORT_STEMS: Final = _words("үй ел іс ой ән ат ас ай ая ұл із су ту би ми от өз үн іш ет ес ұя ою")

# One-syllable stems that may lose a one-letter possessive (-ы/-і) or the possessive + accusative -ын/-ін.
# Others keep them: a two-syllable word in -ы/-і/-ын/-ін is more often a word of its own (тұрғын, кейін,
# бүгін, жиын, ақын, қарсы, тағы, үшін) than the possessive of a one-syllable noun missing from this list.
MONO_STEMS: Final = SHORT_STEMS | _words(
    "дін тіл топ жол жыл күн жер сөз көз түр бас жас жан хат зат сан ұлт дос бір қол бет кез сәт тау жақ",
    "бақ дәм жай кеш төр мал жаз күз қыс түн таң соң түс жүз мән пән бой құн жөн сый нұр заң сыр кент",
    "курс спорт клуб зал акт сайт күй рет лек шек жүк сын қан рөл қор күш шаш кілт қыз",
    "код файл банк блок план пункт тест текст том чат штаб",  # loanwords
)

# Words at which stripping stops, whether given or reached (Қазақстанның -> қазақстан, not *қазақс).
KEEP: Final = _words(
    # place names that end like an ending
    "қазақстан өзбекстан қырғызстан тәжікстан түрікменстан түркістан ауғанстан пәкістан татарстан",
    "дағыстан башқұртстан қарағанды алматы меркі шиелі зеренді жосалы қармақшы ауқатты өскемен ақермен",
    # derived or inflected in form, but words of their own
    "орталық әкімдік мүмкіндік денсаулық жетістік кеңістік естелік жастар отбасы басқа төраға теңге бәйге",
    "баға аға ойын жақын команда пропаганда көшбасшы жетекші тұрақты жергілікті күнделікті түрлі әртүрлі",
    "сияқты қорытынды кәсіпорын",
    # function words and adverbs that end like an inflection
    "өзге мүлде тағы жоғары арқылы туралы бойынша кейде мұнда онда сонда осында қайда алды бірге келесі",
    "майдан арнайы",
)

# Nouns in -с that take -ы/-і.  "…асы/…есі" reads both as vowel-final + -сы (қаласы) and as -с + -ы (кеңесі);
# the vowel-final reading is the default and these are the exceptions.
S_STEMS: Final = _words(
    "кеңес қатынас күрес үлес жалғас көзқарас әріптес серіктес қандас отандас замандас жерлес пікірлес",
    "сыныптас адрес дос тас бас жас ас",
    "батыс шығыс тартыс қатыс әдіс ертіс",  # -с nouns with д/т/ғ before the vowel (see _possessive_check)
)

# "…ны" reads both as vowel-final + accusative -ны (жобаны) and as н-final + possessive -ы (ауданы).  The
# possessive is about ten times as frequent in press releases, so -ны is only cut from bases that are known
# to end in a vowel: these, and those with an ending typical of vowel-final nouns (deverbal -ма/-ме,
# loanwords in -ия/-ея, -хана, agent nouns in -шы).  N_FINAL lists н-final nouns those endings would catch.
VOWEL_FINAL: Final = _words(
    "жоба шара қала сала бала ана ата аға әке іні мәселе мекеме ауа дене шаруа төраға мереке неке орта ара",
    "жүйе ереже мақала команда мүше тәрбие фойе бөлме кеңсе дүние ақша көше үлгі белгі желі көрші",
    "қорытынды жаза береке жазба нұсқа",
)
VOWEL_FINAL_ENDINGS: Final = ("ма", "ме", "ия", "ея", "хана", "шы", "ші")
N_FINAL: Final = _words("маман орман заман арман қырман")

# Vowel loss before a vowel-initial ending: халық -> халқы, орын -> орны, қауіп -> қаупі.
ELISION: Final = {
    "халқ": "халық", "орн": "орын", "ауз": "ауыз", "мұрн": "мұрын", "ерн": "ерін", "қалп": "қалып",
    "көрк": "көрік", "құлқ": "құлық", "мүлк": "мүлік", "қауп": "қауіп", "даус": "дауыс", "әрп": "әріп",
    "бөрк": "бөрік",
}  # fmt: skip

# Loanwords that keep the final б that Kazakh would devoice (клубы is клуб, not *клуп) ...
VOICED_LOANS: Final = _words("клуб штаб араб")
# ... and a loanword that Kazakh voices like its own words (кубок, кубогы), where the rule that a г after a
# back vowel belongs to a loanword would leave *кубог.
IRREGULAR: Final = {"кубог": "кубок"}
# Letters that mark a loanword, in which б between vowels is not a devoiced п (мазхабы).
LOAN_LETTERS: Final = frozenset("вфхһцчщъьёэ")


# --- helpers --------------------------------------------------------------------------------------------


# Latin, Cyrillic, dashes, quotes and №, leaving out the marks (Mn) and format characters (Cf) among
# them: the soft hyphen, the Cyrillic titlo and accents, zero-width and direction marks (a test checks
# that no character of these ranges is of either category).
_WITHOUT_MARKS: Final = re.compile(
    "[\x00-\u00ac\u00ae-\u02ff\u0400-\u0482\u0488-\u04ff\u2010-\u2027\u2030-\u205f\u2100-\u214f]*"
)


def _clean(text: str) -> str:
    # NFC first: a decomposed й (и + breve) or ё would otherwise split a word.  Then drop what is left of
    # combining marks (stress accents) and format characters (soft hyphens, zero-width joiners), which
    # are invisible in the text but would break a word in two.
    text = unicodedata.normalize("NFC", text).translate(_HYPHENS)
    if _WITHOUT_MARKS.fullmatch(text):
        return text  # the usual case, and indexing a large import spends its time here otherwise
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Mn", "Cf"))


def _lower(word: str) -> str:
    # str.lower() maps the Kazakh capitals (Ә Ғ Қ Ң Ө Ұ Ү Һ І) correctly; ё is folded into е as Russian
    # and Kazakh spelling both allow.
    w = _clean(word).lower().replace("ё", "е")
    if any(ch in CYRILLIC for ch in w):
        w = w.translate(_LOOKALIKES)
    return w


def _sound(stem: str) -> str:
    """Class (see the table above) of the last sound of ``stem``."""
    ch = stem[-1]
    if ch in "ьъ" and len(stem) > 1:  # ансамбль: the soft sign is spelling, the sound is л
        ch = stem[-2]
    for cls, letters in (("G", "иуйю"), ("R", "р"), ("L", "л"), ("N", "мнң"), ("Z", "зж")):  # жою = жой+у
        if ch in letters:
            return cls
    return "V" if ch in PLAIN_VOWELS else "T"


def _harmony(stem: str) -> str | None:
    """'back', 'front', or None when the stem does not decide (no vowel, or и/у/ю last)."""
    if stem.endswith("ь"):  # loanwords with a soft sign take front endings: ансамбльдері
        return "front"
    for i in range(len(stem) - 1, -1, -1):
        ch = stem[i]
        if ch in BACK:
            return "back"
        if ch in FRONT:
            return "front"
        if ch in "иую":
            if i > 0 and stem[i - 1] in VOWELS:  # a glide after a vowel (тау, ауыл): look further left
                continue
            return None  # кездесу, мониторинг, тарих
    return None


def _suffix_harmony(suffix: str) -> str | None:
    if suffix in ("мен", "бен", "пен"):  # the instrumental has a single form
        return None
    if any(ch in BACK for ch in suffix):
        return "back"
    if any(ch in FRONT for ch in suffix):
        return "front"
    return None


def syllables(word: str) -> int:
    """Number of vowels, not counting у/и right after a vowel, where they are glides (ауыл = а-уыл: 2)."""
    return sum(
        1
        for i, ch in enumerate(word)
        if ch in PLAIN_VOWELS or (ch in "иу" and not (i > 0 and word[i - 1] in PLAIN_VOWELS))
    )


def _ok(stem: str, weak: bool) -> bool:
    """Can ``stem`` stand as a word?  ``weak`` marks the cut of a lone vowel (-ы/-і) or of -сы/-сі."""
    if len(stem) < 2 or not any(ch in VOWELS for ch in stem):
        return False
    if len(stem) == 2 and stem not in SHORT_STEMS:
        return False
    return not (weak and syllables(stem) < 2 and stem not in MONO_STEMS)


def _restore(stem: str) -> str:
    """Undo what a vowel-initial ending does to the end of the base (тобы, бірлігі, халқы)."""
    if stem in IRREGULAR:
        return IRREGULAR[stem]
    for short, full in ELISION.items():
        if stem.endswith(short):
            return stem[: -len(short)] + full
    if len(stem) < 3 or stem[-2] not in VOWELS:
        return stem
    # Between vowels Kazakh voices к/қ/п to г/ғ/б.  A native г only stands next to front vowels, so a г
    # after a back vowel belongs to a loanword (диалог, теолог) and stays.
    last, before = stem[-1], stem[-2]
    if last == "ғ":
        return stem[:-1] + "қ"
    if last == "г" and before in FRONT:
        return stem[:-1] + "к"
    if last == "б" and stem not in VOICED_LOANS and not LOAN_LETTERS & set(stem):
        return stem[:-1] + "п"
    return stem


def _fits(rest: str, suffix: str, classes: str, harmony_of: str) -> bool:
    """Do the vowel class and the first consonant of ``suffix`` agree with the end of ``rest``?"""
    want, have = _suffix_harmony(suffix), _harmony(harmony_of)
    if want and have and want != have:
        return False
    if "P" in classes and rest[-1] in "ыі":
        return True
    return _sound(rest) in classes


# --- slots ----------------------------------------------------------------------------------------------

Check = Callable[[str, str], bool]


def _cut(word: str, rules: Iterable[Rule], check: Check | None = None) -> str:
    """Remove the longest ending of ``rules`` that fits and leaves a valid stem; else return ``word``."""
    for suffix, classes in rules:
        if not word.endswith(suffix) or len(word) <= len(suffix):
            continue
        rest = word[: -len(suffix)]
        base = rest
        if suffix[0] in VOWELS:
            base = _restore(rest)
        elif suffix[0] == "т" and rest.endswith("ис"):
            # журналист + тер is spelled журналистер: the т of the loanword merges with the ending's
            base = rest + "т"
        # Harmony is judged on the restored base: қаупі is front because қауіп is.
        if not _fits(rest, suffix, classes, harmony_of=base):
            continue
        if check is not None and not check(rest, suffix):
            continue
        if classes == "P":
            # A pronominal-н ending is only real if a possessive stands before it, and that possessive
            # has to come off as well (ауданында -> ауданы -> аудан).  If it cannot, the н is part of the
            # base: тұрғын, кейін, бүгін, жиын are not *тұрғ, *кей, *бүг, *жи + -ы + -н.
            if _kept(rest):
                return rest
            inner = _cut_possessive(rest, only_third=True)
            if inner != rest:
                return inner
            continue
        if _ok(base, weak=suffix in ("ы", "і", "сы", "сі")) or _kept(base):
            return base
    return word


def _case_check(rest: str, suffix: str) -> bool:
    if suffix in ("ны", "ні"):  # see VOWEL_FINAL
        if rest in VOWEL_FINAL or rest in KEEP:
            return True
        return rest.endswith(VOWEL_FINAL_ENDINGS) and rest + "н" not in N_FINAL
    return True


def _possessive_check(rest: str, suffix: str) -> bool:
    if suffix in ("ым", "ім", "ың", "ің"):
        return rest.endswith(_PLURAL_ENDINGS) and _cut(rest, PLURAL) != rest
    if suffix in ("сы", "сі"):
        # облысы is облыс+ы, not *облы+сы: bases ending in ы/і are agent nouns in -шы (басшысы), nouns in
        # -ды/-ты (қорытындысы) and in -ғы/-гі (үлгісі).  After any other consonant the ы/і belongs to a noun
        # in -ыс/-іс (жұмысы, отырысы, өзгерісі).
        if rest[-1] in "ыі" and rest[-2:-1] not in ("ш", "д", "т", "г", "ғ", "к", "қ"):
            return False
        return rest + "с" not in S_STEMS
    if suffix[0] in "ыі" and len(rest) >= 2 and rest not in MONO_STEMS:
        # The same ambiguity for every possessive that starts with ы/і (-ы, -ымыз, -ыңыз): the reading with
        # the vowel in the base wins where the consonant-final base could not be a Kazakh word.
        last, before = rest[-1], rest[-2]
        if last == "л" and before in "рйу":
            # жоспарлы, дәстүрлі: no Kazakh noun ends in р/й/у + л, so this is the adjective ending -лы
            return False
        if last == "ш" and not rest.endswith(("ыш", "іш")):
            # жұмысшы, жетекші, бірінші are agent nouns and ordinals, not possessives of *жұмысш; the nouns
            # that do end in ш are mostly deverbal -ыш/-іш (өтініш+і)
            return False
        if last in "бвгғд" and before not in VOWELS and rest[-2:] not in ("нг", "нд", "рг", "рд"):
            # сенбі, тіркелгіңіз: no Kazakh word ends in consonant + voiced stop (loans do: мониторинг, фонд)
            return False
        if rest[-2:] in ("лқ", "рқ", "лк", "рк") and not rest.endswith(tuple(ELISION)):
            # қосалқы, түркі, Меркі: -лқ/-рк at the end is only found where a vowel was lost (халқы, көркі)
            return False
    return True


def _cut_possessive(word: str, only_third: bool = False) -> str:
    return _cut(word, POSSESSIVE_3 if only_third else POSSESSIVE, _possessive_check)


def _cut_attributive(word: str) -> str:
    out = _cut(word, ATTRIBUTIVE)
    if out != word:
        return out
    return _cut(word, ATTRIBUTIVE_GY, lambda rest, _: rest in ATTRIBUTIVE_BASES)


def _derivational_check(rest: str, suffix: str) -> bool:
    # Two syllables at least: бірлік is not бір, достық is not дос, ұлттық is not ұлт, басшы is not бас.
    if syllables(rest) < 2 or rest.endswith(DERIVATION_BLOCKERS):
        return False
    if suffix in ("шы", "ші"):
        return rest in AGENT_BASES
    return True


_SLOTS: Final[tuple[Callable[[str], str], ...]] = (
    lambda w: _cut(w, PREDICATIVE),
    lambda w: _cut(w, CASE, _case_check),
    _cut_attributive,
    _cut_possessive,
    lambda w: _cut(w, PLURAL),
    _cut_attributive,  # the attributive can itself be pluralised: аудандағылар
    lambda w: _cut(w, DERIVATIONAL, _derivational_check),
)


def _kept(word: str) -> bool:
    # Patronymics (Оразбайұлы, Ыбырайқызы) are names: no query would ever produce *оразбайұл.
    return word in KEEP or (len(word) > 5 and word.endswith(("ұлы", "қызы")))


@functools.lru_cache(maxsize=65536)  # indexing sees the same few thousand words over and over
def _stem_part(word: str) -> str:
    if not word or not all(ch in CYRILLIC for ch in word):
        return word  # numbers, Latin names, mixed spellings: only lower-cased
    for slot in _SLOTS:
        if _kept(word):
            break
        word = slot(word)
    return word


# --- public API -----------------------------------------------------------------------------------------


def stem(word: str) -> str:
    """The stem of one Kazakh word: lower-cased, inflection removed, a few derivations undone.

    Words that are not entirely Cyrillic (numbers, Latin names) are only lower-cased.  A hyphenated word is
    stemmed part by part (іс-шараларды -> іс-шара), which gives the same keys as ``tokens``.
    """
    return "-".join(_stem_part(_lower(part)) for part in _hyphen_parts(_clean(word).strip()))


def _hyphen_endings() -> frozenset[str]:
    poss = ["", "ы", "і", "сы", "сі"]
    endings = {p + c for p in poss for c, _ in CASE} | set(poss)
    endings |= {s for s, _ in PLURAL} | {s for s, _ in ATTRIBUTIVE}
    endings |= {"шы", "ші", "ншы", "нші", "ыншы", "інші", "ғы", "гі", "қы", "кі"}
    endings.discard("")
    return frozenset(endings)


# Endings that Kazakh hyphenates to numbers and abbreviations: 40-тан, 2-ші, КММ-нің.  They are grammar,
# not words, and would fill the index with "тан" and "нің".
HYPHEN_ENDINGS: Final = _hyphen_endings()


def _hyphen_parts(word: str) -> list[str]:
    """The parts of a hyphenated word, without an ending hyphenated to a number or an abbreviation."""
    parts = [p for p in word.split("-") if p]
    kept = parts[:1]
    for prev, part in itertools.pairwise(parts):
        attached = prev.isdigit() or (prev.isupper() and len(prev) <= 6)
        if not (attached and _lower(part) in HYPHEN_ENDINGS):
            kept.append(part)
    return kept


_LETTER: Final = "0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІіƏəƟɵ"
_WORD_RE: Final = re.compile(rf"[{_LETTER}]+(?:-[{_LETTER}]+)*")


def tokens(text: str) -> list[str]:
    """Split ``text`` into words for indexing, keeping their spelling.

    Letters are Cyrillic with the Kazakh letters, Latin and digits; anything else (guillemets, quotes,
    punctuation, №, dashes) separates words.  A hyphenated word gives one token per part (тұрғын-үй ->
    тұрғын, үй), except that an ending hyphenated to a number or an abbreviation is dropped (КММ-нің -> КММ).
    """
    out: list[str] = []
    for match in _WORD_RE.finditer(_clean(text)):
        word = match.group()
        # Most words have no hyphen; splitting them anyway was a third of indexing an import.
        if "-" in word:
            out.extend(_hyphen_parts(word))
        else:
            out.append(word)
    return out


def stem_text(text: str) -> str:
    """The stems of ``tokens(text)`` joined by single spaces: what a full-text index stores."""
    return " ".join(stem(t) for t in tokens(text))
