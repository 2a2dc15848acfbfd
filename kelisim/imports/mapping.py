"""From the words of a press release to the project's lists: which audience categories and topics
the phrases the extraction found stand for. A phrase matches a category when it holds every stem
of one of the category's keyword phrases (its names in Kazakh and Russian, and the genre's usual
synonyms below), so inflected and Russian forms match alike. The reviewer confirms or corrects."""

from typing import Any

from kelisim.events.models import AudienceCategory, Topic
from kelisim.search.analysis import stems_of
from kelisim.text.kk_stem import tokens

# Synonyms of the genre beside each list entry's own names (seed_lists.py).
AUDIENCE_WORDS: dict[str, list[str]] = {
    "residents": ["тұрғындар", "жергілікті халық", "жұртшылық", "ауыл тұрғындары", "жители", "население"],
    "students": ["студенттер", "колледж студенттері", "студенты", "студенческая молодёжь"],
    "youth": ["жастар", "оқушылар", "жасөспірімдер", "молодёжь", "школьники", "учащиеся", "подростки"],
    "elders": ["ақсақалдар", "қариялар", "аксакалы", "старейшины", "ветераны"],
    "ethnocultural_leaders": [
        "этномәдени бірлестік жетекшілері",
        "этномәдени бірлестік төрағалары",
        "руководители этнокультурных объединений",
        "председатели этнокультурных объединений",
    ],
    "ethnocultural_members": [
        "этномәдени бірлестік өкілдері",
        "этномәдени бірлестіктер",
        "представители этнокультурных объединений",
        "этнокультурные объединения",
    ],
    "opinion_leaders": ["қоғамдық пікір көшбасшылары", "лидеры общественного мнения"],
    "believers": ["дінге сенушілер", "діндарлар", "діни бірлестік өкілдері", "верующие", "прихожане"],
    "probation": ["пробация", "сотталғандар", "пробации", "осуждённые", "осужденные"],
    "officials": [
        "мемлекеттік қызметшілер",
        "әкімдік қызметкерлері",
        "государственные служащие",
        "госслужащие",
    ],
}
TOPIC_WORDS: dict[str, list[str]] = {
    "extremism_prevention": ["экстремизм", "терроризм", "радикализм", "экстремизма", "терроризма"],
    "interethnic_accord": ["ұлтаралық", "этносаралық", "межнациональный", "межэтнический", "ұлттар достығы"],
    "interconfessional_accord": ["конфессияаралық", "межконфессиональный"],
    "national_values": ["ұлттық құндылықтар", "салт-дәстүр", "национальные ценности", "традиции"],
    "family_values": ["отбасы", "отбасылық құндылықтар", "семейные ценности", "семья"],
    "religious_stability": ["діни тұрақтылық", "деструктивті", "религиозная стабильность", "деструктивные"],
    "languages": ["мемлекеттік тіл", "тілдерді дамыту", "государственный язык", "развитие языков"],
    "employment": ["жұмыспен қамту", "жұмыссыздық", "занятость", "трудоустройство", "безработица"],
    "public_accord": [
        "қоғамдық келісім",
        "бейбітшілік пен келісім",
        "общественное согласие",
        "мир и согласие",
    ],
}


def _stems(phrase: str) -> list[frozenset[str]]:
    """One set of alternative stems per word."""
    return [frozenset(stems_of(t)) for t in tokens(phrase)]


Keys = list[tuple[str, tuple[frozenset[str], ...]]]


def _keys(model: Any, words: dict[str, list[str]]) -> Keys:
    keys = []
    for code, name_kk, name_ru in model.objects.filter(is_active=True).values_list(
        "code", "name_kk", "name_ru"
    ):
        for phrase in [name_kk, name_ru, *words.get(code, [])]:
            word_stems = _stems(phrase)
            if word_stems:
                keys.append((code, tuple(word_stems)))
    # Longer keyword phrases first: "этномәдени бірлестік жетекшілері" before "этномәдени бірлестіктер".
    return sorted(keys, key=lambda k: -len(k[1]))


def _match(keys: Keys, phrase: str) -> str | None:
    have: set[str] = set().union(*_stems(phrase)) if phrase.strip() else set()
    for code, word_stems in keys:
        if all(alternatives & have for alternatives in word_stems):
            return code
    return None


class Lists:
    """The lists as they stand now (administrators extend them), read once per import."""

    def __init__(self) -> None:
        self._audiences = _keys(AudienceCategory, AUDIENCE_WORDS)
        self._topics = _keys(Topic, TOPIC_WORDS)

    def audience_codes(self, phrases: list[str]) -> list[str]:
        return list(dict.fromkeys(c for c in (_match(self._audiences, p) for p in phrases) if c))

    def topic_codes(self, phrases: list[str]) -> list[str]:
        return list(dict.fromkeys(c for c in (_match(self._topics, p) for p in phrases) if c))
