"""Tests of the Kazakh stemmer (kelisim.text.kk_stem).

The main check is the hand-written list kk_stem_pairs.tsv: every form against its expected stem, and a
report of over- and under-stemming computed over the whole list.  Run this file as a script to print that
report: ``.venv/bin/python -m kelisim.text.tests.test_kk_stem``.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kelisim.text.kk_stem import stem, stem_text, tokens

PAIRS_FILE = Path(__file__).with_name("kk_stem_pairs.tsv")
MIN_PAIRS = 500
SOURCES = ("seed", "corpus", "domain")


@dataclass(frozen=True)
class Pair:
    line: int
    form: str
    stem: str
    source: str
    known: str | None = None


def load_pairs(path: Path = PAIRS_FILE) -> list[Pair]:
    """Read the list, refusing malformed lines rather than skipping them."""
    pairs: list[Pair] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) not in (3, 4) or not all(c.strip() == c and c for c in cols):
            raise ValueError(
                f"{path.name}:{number}: expected 3 or 4 non-empty tab-separated columns: {line!r}"
            )
        known = None
        if len(cols) == 4:
            if not cols[3].startswith("known: "):
                raise ValueError(f"{path.name}:{number}: the 4th column must read 'known: <reason>'")
            known = cols[3].removeprefix("known: ")
        pairs.append(Pair(number, cols[0], cols[1], cols[2], known))
    return pairs


PAIRS = load_pairs()


def forms_of(base: str) -> list[str]:
    return [p.form for p in PAIRS if p.stem == base]


# --- the list itself ------------------------------------------------------------------------------------


def test_list_is_large_and_well_formed() -> None:
    assert len(PAIRS) >= MIN_PAIRS
    forms = [p.form for p in PAIRS]
    duplicates = sorted({f for f in forms if forms.count(f) > 1})
    assert not duplicates, f"forms listed twice: {duplicates}"
    for p in PAIRS:
        assert p.form == p.form.lower() and " " not in p.form, p
        assert p.source.split(":")[0] in SOURCES, p
        assert unicodedata.is_normalized("NFC", p.form + p.stem), p


def test_list_is_mostly_real_usage() -> None:
    """At least half of the forms come from the seed press release and the dev corpus, not from us."""
    real = [p for p in PAIRS if p.source != "domain"]
    assert len(real) >= len(PAIRS) / 2


def test_known_failures_are_few() -> None:
    """The list is for measuring, not for documenting a wish list: known failures stay under 2 %."""
    known = [p for p in PAIRS if p.known]
    assert len(known) <= 0.02 * len(PAIRS), [p.form for p in known]


# --- every pair -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pair",
    [
        pytest.param(p, id=p.form, marks=[pytest.mark.xfail(strict=True, reason=p.known)] if p.known else [])
        for p in PAIRS
    ],
)
def test_pair(pair: Pair) -> None:
    assert stem(pair.form) == pair.stem


def test_base_words_are_their_own_stem() -> None:
    """The bare base word must come back unchanged, or a query typed in the base form would miss."""
    bases = sorted({p.stem for p in PAIRS if not p.known})
    wrong = {b: stem(b) for b in bases if stem(b) != b}
    assert not wrong


def test_stemming_is_idempotent() -> None:
    """A stem typed as a query must find itself, so stemming a stem changes nothing."""
    stems = {stem(p.form) for p in PAIRS if not p.known}
    wrong = {s: stem(s) for s in stems if stem(s) != s}
    assert not wrong


def test_case_does_not_matter() -> None:
    """Head-lines are in capitals (ҚОРДАЙДА): the Kazakh capitals must lower-case like the others."""
    wrong = [p.form for p in PAIRS if stem(p.form.upper()) != stem(p.form)]
    assert not wrong
    assert stem("ӘКІМДІГІНІҢ") == "әкімдік"
    assert stem("ҚОРДАЙДА") == "қордай"
    assert stem("ҰЙЫМДАРЫНЫҢ") == "ұйым"
    assert stem("ӨҢІРДЕГІ") == "өңір"


# --- the search examples --------------------------------------------------------------------------------


def finds(query: str, text: str) -> bool:
    """Does a full-text search for ``query`` match ``text`` (every query stem among the text stems)?"""
    indexed = set(stem_text(text).split())
    return all(q in indexed for q in stem_text(query).split())


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("аудан", "Қордай ауданында болып, түрлі форматтағы шаралар ұйымдастырылды"),
        ("аудан", "аудандағы этномәдени бірлестік жетекшілерімен кездесу өтті"),
        ("аудан", "«AMANAT» партиясының Қордай аудандық филиалында"),
        ("келісім", "ұлтаралық келісімді нығайту бойынша ашық диалог алаңы"),
        ("келісім", "бірлік пен келісімнің қазақстандық үлгісі"),
        ("Аудан", "ҚОРДАЙ АУДАНЫНДА"),
        ("ауданында", "аудан әкімдігі"),
        ("келісімнің", "«Қоғамдық келісім» КММ"),
        ("бейбітшілік пен келісім", "«Бейбітшілік пен келісім» жобасы аясында"),
        ("іс-шара", "іс-шаралар легі жұма күні қорытыланды"),
        ("тұрғындар", "тұрғындармен кездесіп, кәсіби кеңестер беріп"),
        ("студент", "колледжінің студенттерімен кездесті"),
        ("қабылдау", "көшпелі қабылдауға 25 азамат жүгінді"),
    ],
)
def test_search_finds(query: str, text: str) -> None:
    assert finds(query, text)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("аудан", "ауыл тұрғындары"),
        ("ауыл", "таза ауа"),
        ("келісім", "қонақтар келді, келесі күні келіп"),
        ("орталық", "ортасында"),
        ("бірлік", "бір күн"),
    ],
)
def test_search_does_not_find(query: str, text: str) -> None:
    assert not finds(query, text)


# --- different words stay apart -------------------------------------------------------------------------

# Words that look alike or share a root but mean different things.  Each set of forms must collapse to
# its own stem, and no two sets to the same one.
APART: list[tuple[str, ...]] = [
    ("аудан", "ауыл", "ауа"),
    ("келісім", "келесі"),
    ("бір", "бірлік", "бірінші", "бірге", "бірлестік"),
    ("орта", "орталық"),
    ("бас", "басшы", "басқа", "басқарма"),
    ("жас", "жастар"),
    ("ұлт", "ұлттық", "ұлтаралық"),
    ("әкім", "әкімдік", "әкімші"),
    ("ой", "ойын"),
    ("мәдени", "мәдениет"),
    ("дін", "діни", "дінтанушы"),
    ("тұрақты", "тұрақтылық"),
    ("құн", "құндылық"),
    ("сурет", "суретші"),
    ("бөлім", "бөлік"),
    ("тіл", "тілек"),
    ("ел", "елдік"),
    ("топ", "топтама", "топтық"),
    ("дос", "достық"),
    ("іс", "іс-шара", "іс-әрекет"),
]


@pytest.mark.parametrize("bases", APART, ids="/".join)
def test_different_words_stay_apart(bases: tuple[str, ...]) -> None:
    stems = {}
    for base in bases:
        forms = forms_of(base)
        assert forms, f"no forms of {base} in the list"
        stems[base] = {stem(f) for f in forms}
        assert stems[base] == {base}, f"forms of {base} give {stems[base]}"
    assert len(set().union(*stems.values())) == len(bases)


def test_kelisim_is_not_the_verb_kel() -> None:
    """келісім "accord" is built on кел- "come", but no form of the verb may reach its stem, or back."""
    verb = [
        "кел",
        "келді",
        "келеді",
        "келіп",
        "келе",
        "келген",
        "келу",
        "келуі",
        "келуге",
        "келгенін",
        "келсе",
    ]
    verb_stems = {stem(v) for v in verb}
    accord_stems = {stem(f) for f in forms_of("келісім")}
    assert accord_stems == {"келісім"}
    assert not verb_stems & accord_stems


# --- over- and under-stemming over the list -------------------------------------------------------------


@dataclass
class Report:
    """Paice's pairwise counts: of all pairs of forms, which should merge (same expected stem) and which
    should stay apart (different expected stems), and how many of each the stemmer gets wrong."""

    forms: int = 0
    groups: int = 0
    desired_merges: int = 0  # pairs of forms of one word
    missed_merges: int = 0  # ... that get different stems: under-stemming
    desired_splits: int = 0  # pairs of forms of different words
    wrong_merges: int = 0  # ... that get the same stem: over-stemming
    split_groups: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    merged_groups: dict[str, list[str]] = field(default_factory=dict)

    @property
    def under(self) -> float:
        return self.missed_merges / self.desired_merges if self.desired_merges else 0.0

    @property
    def over(self) -> float:
        return self.wrong_merges / self.desired_splits if self.desired_splits else 0.0

    def __str__(self) -> str:
        lines = [
            f"{self.forms} forms of {self.groups} words",
            f"under-stemming: {self.missed_merges} of {self.desired_merges} pairs that should merge "
            f"do not ({self.under:.4%})",
            f"over-stemming:  {self.wrong_merges} of {self.desired_splits} pairs that should stay apart "
            f"merge ({self.over:.4%})",
        ]
        lines += [f"  split {base}: {dict(got)}" for base, got in self.split_groups.items()]
        lines += [f"  merged into {key}: {bases}" for key, bases in self.merged_groups.items()]
        return "\n".join(lines)


def stemming_report(pairs: Iterable[Pair], stemmer: Callable[[str], str] = stem) -> Report:
    by_base: dict[str, list[str]] = defaultdict(list)
    for p in pairs:
        by_base[p.stem].append(p.form)
    report = Report(forms=sum(map(len, by_base.values())), groups=len(by_base))
    # computed stem -> expected base -> forms
    by_key: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for base, forms in by_base.items():
        got: dict[str, list[str]] = defaultdict(list)
        for form in forms:
            got[stemmer(form)].append(form)
            by_key[stemmer(form)][base].append(form)
        n = len(forms)
        report.desired_merges += n * (n - 1) // 2
        report.missed_merges += sum(len(a) * len(b) for a, b in itertools.combinations(got.values(), 2))
        if len(got) > 1:
            report.split_groups[base] = got
    total = report.forms * (report.forms - 1) // 2
    report.desired_splits = total - report.desired_merges
    for key, bases in by_key.items():
        report.wrong_merges += sum(len(a) * len(b) for a, b in itertools.combinations(bases.values(), 2))
        if len(bases) > 1:
            report.merged_groups[key] = sorted(bases)
    return report


# Thresholds.  Both rates are fractions of pairs of forms, so a mistake weighs by the sizes of the word
# families it touches.  The list has ~1 200 forms of ~450 words: ~3 000 pairs that should merge and
# ~700 000 that should not.
# Over-stemming costs precision on every query for either word, so it gets the tighter bar: 0.01 % is ~70
# pairs, enough for one merge of two small families (8 x 8 forms) but not for any merge that involves one
# of the domain words listed with a full paradigm (аудан has 21 forms, so any merge with it exceeds 70).
# Under-stemming costs recall on the split-off forms only: 1 % is ~30 pairs, one form split off the largest
# family (20 pairs) passes, a second does not.  The list is also the development set, so these are guards
# against regressions rather than an estimate for unseen text (docs/stemming.md has a held-out check).
MAX_OVER_STEMMING = 0.0001
MAX_UNDER_STEMMING = 0.01


def test_report_catches_errors() -> None:
    """The report must be able to fail: a do-nothing stemmer misses every merge, a constant one merges all."""
    assert stemming_report(PAIRS, stemmer=lambda w: w).under == 1.0
    assert stemming_report(PAIRS, stemmer=lambda w: "x").over == 1.0
    chopped = stemming_report(PAIRS, stemmer=lambda w: w[:3])
    assert chopped.over > MAX_OVER_STEMMING


def test_over_stemming_is_rare() -> None:
    report = stemming_report(PAIRS)
    assert report.over <= MAX_OVER_STEMMING, str(report)


def test_under_stemming_is_rare() -> None:
    report = stemming_report(PAIRS)
    assert report.under <= MAX_UNDER_STEMMING, str(report)


# --- rules ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # vowel harmony: an ending of the wrong class is not an ending
        ("жобаға", "жоба"),
        ("жобаге", "жобаге"),
        ("мектепте", "мектеп"),
        ("мектепта", "мектепта"),
        ("работе", "работе"),
        # the first consonant of the ending must suit the sound before it
        ("павлодар", "павлодар"),  # -дар after a vowel would be -лар
        ("доллар", "доллар"),  # -лар after л would be -дар
        ("орта", "орта"),  # -та after a vowel would be -да
        ("ауданнан", "аудан"),
        ("ауылдан", "ауыл"),
        # never fewer than two letters and a vowel, and two letters only for known words
        ("басы", "бас"),
        ("онда", "онда"),
        ("жеке", "жеке"),
        ("үйі", "үй"),
        ("ісі", "іс"),
        ("ол", "ол"),
        ("мен", "мен"),
        ("ба", "ба"),
        # a pronominal н needs a possessive in front of it
        ("тұрғын", "тұрғын"),
        ("кейін", "кейін"),
        ("бүгін", "бүгін"),
        ("маңызын", "маңыз"),
        # consonant alternation and vowel loss are undone
        ("тобы", "топ"),
        ("кітабы", "кітап"),
        ("бірлігі", "бірлік"),
        ("орталығы", "орталық"),
        ("халқы", "халық"),
        ("диалогы", "диалог"),
    ],
)
def test_rules(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_stems_keep_two_letters_and_a_vowel() -> None:
    vowels = set("аәеёиоөұүыіэюяу")
    bad = {p.form: stem(p.form) for p in PAIRS if len(stem(p.form)) < 2 or not vowels & set(stem(p.form))}
    assert not bad


def test_non_kazakh_words_are_only_lower_cased() -> None:
    assert stem("AMANAT") == "amanat"
    assert stem("2024") == "2024"
    assert stem("") == ""


def test_noise_is_normalised() -> None:
    # Latin i typed for і (dev corpus 009), a decomposed й, a stress mark, a soft hyphen
    assert stem("iшкi") == "іш"
    assert stem("Қорда\u0438\u0306да") == "қордай"
    assert stem("ауда\u0301нында") == "аудан"
    assert stem("ауда\u00adнында") == "аудан"


def test_hyphenated_words() -> None:
    assert stem("іс-шараларды") == "іс-шара"
    assert stem("КММ-нің") == "кмм"
    assert stem("40-тан") == "40"


# --- tokens and stem_text -------------------------------------------------------------------------------


def test_tokens() -> None:
    text = "«Бейбітшілік пен келісім» жобасы: тұрғын-үй, №20 мектеп-гимназия (AMANAT) 2024 жылғы – Ұйғыр."
    assert tokens(text) == [
        "Бейбітшілік", "пен", "келісім", "жобасы", "тұрғын", "үй", "20", "мектеп", "гимназия", "AMANAT",
        "2024", "жылғы", "Ұйғыр",
    ]  # fmt: skip


def test_tokens_drop_endings_hyphenated_to_numbers_and_abbreviations() -> None:
    text = "КММ-нің 40-тан астам 2-ші курс, 10-12 мамыр, ІС-ШАРАЛАР"
    assert tokens(text) == ["КММ", "40", "астам", "2", "курс", "10", "12", "мамыр", "ІС", "ШАРАЛАР"]


def test_tokens_keep_kazakh_letters_inside_words() -> None:
    letters = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
    assert tokens(f"а{letters}б") == [f"а{letters}б"]
    assert tokens("iшкi саясат") == ["iшкi", "саясат"]


def test_stem_text() -> None:
    text = (
        "Жоба аясында арнайы құрылған жұмыс тобының өкілдері 10-12 мамыр күндері Қордай ауданында болып, "
        "түрлі форматтағы шаралар ұйымдастырылды."
    )
    assert stem_text(text) == (
        "жоба ая арнайы құрылған жұмыс топ өкіл 10 12 мамыр күн қордай аудан болып түрлі формат шара "
        "ұйымдастырыл"
    )
    assert stem_text("") == ""


if __name__ == "__main__":
    print(stemming_report(PAIRS))


def test_the_fast_path_of_cleaning_lets_no_mark_or_format_character_through():
    import re
    import unicodedata

    from kelisim.text.kk_stem import _WITHOUT_MARKS, tokens

    ranges = re.findall(r"(.)-(.)", _WITHOUT_MARKS.pattern)
    assert ranges
    for low, high in ranges:
        for code in range(ord(low), ord(high) + 1):
            assert unicodedata.category(chr(code)) not in ("Mn", "Cf"), hex(code)
    # And the slow path still joins a word split by a soft hyphen or an accent.
    assert tokens("ауда\u00adнында — «сөз»") == tokens("ауданында — «сөз»")
    assert tokens("заво\u0301д") == ["завод"]
