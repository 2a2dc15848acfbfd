"""Event formats and the words that report an event as having taken place.

A sentence starts an event when it names a format as the subject or object of a past-tense
verb of holding ("дөңгелек үстел өтті", "провели анкетирование", "студенттерімен кездесті").
Mentions of a format in an oblique case ("Кездесуде", "Диалог алаңына", "По итогам встречи") only
talk about an event already started. Future tense, plans, reported statistics ("проведено более 40
выездных приёмов") and announcements start nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

FORMATS: Final = (
    "citizen_reception", "meeting", "lecture", "dialogue_platform", "focus_group", "survey",
    "cultural_event", "sport_event", "training", "round_table", "conference", "other",
)  # fmt: skip

# Endings a Kazakh format noun may carry as a subject or object (nominative, possessive, accusative,
# plural), and instrumental for "тимбилдингпен … өткізді".
_KK_SUBJ = r"(?:|ы|і|сы|сі|н|ды|ді|ты|ті|ны|ні|лар|лер|дар|дер|тар|тер|лары|лері|дары|дері|тары|тері|ларын|лерін|ларды|лерді|дарды|дерді|тарды|терді)"
_KK_INS = r"(?:мен|пен|бен)"
_KK_END = r"(?![а-яәғқңөұүһіi])"

_KK_TRIGGERS: Final[tuple[tuple[str, str], ...]] = (
    (r"(?:азаматтарды|тұрғындарды|халықты|көшпелі|жеке)\s+қабылдау" + _KK_SUBJ, "citizen_reception"),
    (r"қабылдау(?:лар|ды|ларды|лары)", "citizen_reception"),
    (r"диалог(?:тық)?\s+алаң" + r"(?:ы|ын|дары|дар|ы)?", "dialogue_platform"),
    (r"ашық\s+диалог" + _KK_SUBJ, "dialogue_platform"),
    (r"фокус[- ]топ(?:тық)?(?:\s+зерттеу" + _KK_SUBJ + r"|" + _KK_SUBJ + r")", "focus_group"),
    (r"(?:әлеуметтік\s+)?сауалнама" + _KK_SUBJ, "survey"),
    (r"анкета(?:лау)?" + _KK_SUBJ, "survey"),
    (r"дөңгелек\s+үстел" + _KK_SUBJ, "round_table"),
    (r"(?:ғылыми-практикалық\s+)?конференция" + _KK_SUBJ, "conference"),
    (r"форум" + _KK_SUBJ, "conference"),
    (r"пленарлық\s+отырыс" + _KK_SUBJ, "conference"),
    (r"(?:оқыту\s+)?семинар(?:-тренинг|-кеңес)?" + _KK_SUBJ, "training"),
    (r"тренинг" + _KK_SUBJ, "training"),
    (r"тимбилдинг" + r"(?:" + _KK_SUBJ[3:-1] + "|" + _KK_INS + ")", "training"),
    (r"шеберлік\s+сынып" + _KK_SUBJ, "training"),
    (r"дәріс" + _KK_SUBJ, "lecture"),
    (r"лекция" + _KK_SUBJ, "lecture"),
    (
        r"(?:әдеби|сазды|әдеби-сазды|музыкалық|поэзия|мерекелік|шығармашылық|еске\s+алу)\s+кеш" + _KK_SUBJ,
        "cultural_event",
    ),
    (r"концерт" + _KK_SUBJ, "cultural_event"),
    (r"көрме" + _KK_SUBJ, "cultural_event"),
    (r"фестиваль" + _KK_SUBJ, "cultural_event"),
    (r"карнавал" + _KK_SUBJ, "cultural_event"),
    (r"спектакль" + _KK_SUBJ, "cultural_event"),
    (r"мерекелік\s+(?:іс-)?шара" + _KK_SUBJ, "cultural_event"),
    (r"турнир" + _KK_SUBJ, "sport_event"),
    (r"жарыс" + _KK_SUBJ, "sport_event"),
    (r"спартакиада" + _KK_SUBJ, "sport_event"),
    (r"эстафета" + _KK_SUBJ, "sport_event"),
    (r"марафон" + _KK_SUBJ, "sport_event"),
    (r"(?:ақсақалдар\s+кеңесінің\s+(?:\w+\s+)?|кезекті\s+|кеңейтілген\s+)?отырыс" + _KK_SUBJ, "meeting"),
    (r"кездесу" + _KK_SUBJ, "meeting"),
    (r"жиналыс" + _KK_SUBJ, "meeting"),
    (r"жиын" + r"(?:|ы|ды|дар|дары)", "meeting"),
    (r"басқосу" + _KK_SUBJ, "meeting"),
    (r"квест" + _KK_SUBJ, "other"),
    (r"викторина" + _KK_SUBJ, "other"),
    (r"акция" + _KK_SUBJ, "other"),
    (r"флешмоб" + _KK_SUBJ, "other"),
    (r"брейн-ринг" + _KK_SUBJ, "other"),
    (r"пікірсайыс" + _KK_SUBJ, "other"),
    (r"зияткерлік\s+ойын" + _KK_SUBJ, "other"),
    (r"челлендж" + _KK_SUBJ, "other"),
    (r"вебинар" + _KK_SUBJ, "training"),
)
# Verbs that alone report a meeting ("студенттерімен кездесті").
_KK_VERB_TRIGGERS: Final = ((r"кездесті", "meeting"), (r"бас\s+қосты", "meeting"))

_RU_TRIGGERS: Final[tuple[tuple[str, str], ...]] = (
    (r"(?:выездн\w+|личн\w+)\s+при[её]м\w*(?:\s+граждан)?", "citizen_reception"),
    (r"при[её]м(?:ы)?\s+(?:граждан|населения|жителей)", "citizen_reception"),
    (r"диалогов(?:ая|ую|ые)\s+площадк(?:а|у|и)", "dialogue_platform"),
    (r"фокус-групп(?:а|у|ы)", "focus_group"),
    (r"фокус-группов(?:ое|ые)\s+исследовани(?:е|я)", "focus_group"),
    (r"анкетировани(?:е)", "survey"),
    (r"(?:социологическ\w+\s+)?опрос(?:ы)?", "survey"),
    (r"кругл(?:ый)\s+стол", "round_table"),
    (r"(?:\w+\s+)?конференци(?:я|ю)", "conference"),
    (r"форум", "conference"),
    (r"пленарн(?:ое)\s+заседание", "conference"),
    (r"(?:обучающ\w+\s+)?семинар(?:-тренинг|-совещание)?", "training"),
    (r"тренинг(?:и)?", "training"),
    (r"мастер-класс(?:ы)?", "training"),
    (r"лекци(?:я|ю|и)", "lecture"),
    (r"(?:литературн\w+|музыкальн\w+|творческ\w+|праздничн\w+)\s+вечер", "cultural_event"),
    (r"концерт(?:ы)?", "cultural_event"),
    (r"выставк(?:а|у|и)", "cultural_event"),
    (r"фестивал(?:ь)", "cultural_event"),
    (r"праздничн(?:ые|ое)\s+мероприяти(?:я|е)", "cultural_event"),
    (r"спектакль", "cultural_event"),
    (r"турнир", "sport_event"),
    (r"соревновани(?:я|е)", "sport_event"),
    (r"спартакиад(?:а|у)", "sport_event"),
    (r"эстафет(?:а|у)", "sport_event"),
    (r"встреч(?:а|у|и)", "meeting"),
    (r"(?:\w+\s+)?заседание", "meeting"),
    (r"собрание", "meeting"),
    (r"сход(?:\s+граждан)?", "meeting"),
    (r"(?:профилактическ\w+\s+)?бесед(?:а|у|ы)", "meeting"),
    (r"(?:интеллектуальн\w+\s+)?квест", "other"),
    (r"викторин(?:а|у)", "other"),
    (r"акци(?:я|ю)", "other"),
    (r"флешмоб", "other"),
    (r"челлендж", "other"),
    (r"(?:интеллектуальн\w+\s+)?игр(?:а|у)", "other"),
    (r"вебинар", "training"),
)
_RU_VERB_TRIGGERS: Final = ((r"встретил(?:ись|ся|ась)", "meeting"),)

KK_EVENT_VERB: Final = re.compile(
    r"(?<![а-яәғқңөұүһі])(?:өтті|өтіп|өткізілді|өткізіліп|өткізді|өткізіп|ұйымдастырылды|ұйымдастырылып|"
    r"ұйымдастырды|ұйымдастырып|жүргізілді|жүргізіліп|жүргізді|жүргiздi|жүргізіп|болды|болып|оқылды|оқыды|"
    r"оқып|кездесті|басталды|ашылды|жалғасты|жұмыс\s+істеді|бастау\s+алды|бастау\s+алып|"
    r"қорытындыланды|тұсауы\s+кесілді|бас\s+қосты)(?![а-яәғқңөұүһі])",
    re.I,
)
RU_EVENT_VERB: Final = re.compile(
    r"\b(?:прош(?:ёл|ел|ла|ло|ли)|состоял(?:ся|ась|ось|ись)|проведен[аоы]?|проведён|провел[аи]?|провёл|"
    r"организован[аоы]?|прочита(?:л|ла|ли|на)|встретил(?:ся|ась|ись)|стартовал[аио]?|"
    r"проводил(?:ось|ась|ся|ись)|открыл(?:ся|ась|ось|ись)|был[аои]?\s+организован[аоы]?)\b",
    re.I,
)
_FUTURE: Final = re.compile(
    r"(?<![а-яәғқңөұүһі])(?:\w+(?:атын|етін|йтын|йтін)\s+болады|өтеді|өткізіледі|ұйымдастырылады|жоспарлан\w*|"
    r"жалғасады|жариялайды|өтпек|болмақ|күтілуде|басталады|жүргізіледі)(?![а-яәғқңөұүһі])"
    r"|\b(?:будет|будут|планиру\w*|состоится|пройд[её]т|пройдут|объявля\w*|предстоит|намечен\w*)\b",
    re.I,
)
_REPORTED: Final = re.compile(
    r"айтуынша|сөзінше|\bпо\s+(?:его|её|ее|их)?\s*словам|\bпо\s+словам|\bпо\s+информации|\bпо\s+данным",
    re.I,
)
# A count before the noun makes it statistics: "более 40 выездных приёмов", "60-қа жуық".
_QUANTITY_BEFORE: Final = re.compile(
    r"(?:(?<![№\d])(?<!№\s)\d+(?:-[а-яәғқңөұүһі]+)?|более|свыше|около|астам|жуық|барлық|все|всех|бірнеше|ряд|бірқатар|"
    r"түрлі|десятки|сотни)\s+(?:\S+\s+){0,2}$",
    re.I,
)
_OBLIQUE_BEFORE_RU: Final = re.compile(
    r"(?:\b(?:в|во|на|о|об|по|после|перед|до|для|при|с|со|из|от|к|итогам|ходе|рамках|участники|участников|"
    r"начала|началом|время|целью|ходе))\s+(?:\w+\s+)?$",
    re.I,
)


# "Конференция аясында …", "семинар туралы": the format is talked about, not reported as held here.
_FRAMING_AFTER: Final = re.compile(
    r"^\s+(?:аясында|барысында|кезінде|соңында|шеңберінде|туралы|жайлы|жөнінде|қорытындысы)", re.I
)


# A single event named only by its title: "«Татулық – табыс кілті» атты іс-шара өтті", "прошло
# мероприятие «…»". Without a format word its format is "other".
_TITLED_GENERIC: Final = re.compile(
    r"«[^»]{3,120}»\s+(?:атты|деп\s+аталатын)\s+(?:іс-)?шара(?:сы|ны)?(?![а-яәғқңөұүһі])"
    r"|(?<![а-яё])мероприяти(?:е|я)\s+«[^»]{3,120}»",
    re.I,
)


# Proposals and agreements for later ("ұсыныс айтты", "договорились провести", "предложили
# создать"): what they name did not happen, so they give an event no organisers or topics.
PROPOSAL: Final = re.compile(r"предлож|ұсын(?:ды|ыс)|договорил|уағдалас", re.I)


@dataclass
class Trigger:
    format: str
    start: int
    end: int
    text: str


def _compile(
    entries: tuple[tuple[str, str], ...], end: str, flags: int = re.I
) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(r"(?<![а-яәғқңөұүһіi\-])" + pattern + end, flags), fmt) for pattern, fmt in entries]


_KK_COMPILED: Final = _compile(_KK_TRIGGERS, _KK_END)
_KK_VERB_COMPILED: Final = _compile(_KK_VERB_TRIGGERS, _KK_END)
_RU_COMPILED: Final = [
    (re.compile(r"(?<![а-яё])" + pattern + r"(?![а-яё])", re.I), fmt) for pattern, fmt in _RU_TRIGGERS
]  # "онлайн-встреча" is still a встреча
_RU_VERB_COMPILED: Final = _compile(_RU_VERB_TRIGGERS, r"(?![а-яё])")


def format_mentions(sentence: str, language: str) -> list[Trigger]:
    """Every mention of a format noun in a subject/object form, in order, without overlaps."""
    found: list[Trigger] = []
    compiled = _KK_COMPILED if language == "kk" else _RU_COMPILED
    for pattern, fmt in compiled:
        for m in pattern.finditer(sentence):
            if any(t.start < m.end() and m.start() < t.end for t in found):
                continue
            if language == "ru" and _OBLIQUE_BEFORE_RU.search(sentence[: m.start()]):
                continue
            if _QUANTITY_BEFORE.search(sentence[: m.start()]):
                continue
            if _FRAMING_AFTER.match(sentence[m.end() :]):
                continue  # "Конференция аясында …": the event frames another one
            found.append(Trigger(fmt, m.start(), m.end(), m.group(0)))
    found.sort(key=lambda t: t.start)
    return found


def event_triggers(sentence: str, language: str) -> list[Trigger]:
    """Formats that this sentence reports as held; empty for plans, statistics and side mentions."""
    verb = KK_EVENT_VERB if language == "kk" else RU_EVENT_VERB
    if not verb.search(sentence) and not any(
        p.search(sentence) for p, _ in (_KK_VERB_COMPILED if language == "kk" else _RU_VERB_COMPILED)
    ):
        return []
    if _REPORTED.search(sentence):
        return []
    if _FUTURE.search(sentence) and not verb.search(sentence):
        return []
    triggers = format_mentions(sentence, language)
    if not triggers:
        titled = _TITLED_GENERIC.search(sentence)
        if titled and not _QUANTITY_BEFORE.search(sentence[: titled.start()]):
            triggers.append(Trigger("other", titled.start(), titled.end(), titled.group(0)))
    if not triggers:
        for pattern, fmt in _KK_VERB_COMPILED if language == "kk" else _RU_VERB_COMPILED:
            m = pattern.search(sentence)
            if m:
                triggers.append(Trigger(fmt, m.start(), m.end(), m.group(0)))
                break
    return triggers
