"""The two ready instruments, as XLSForms built here, with item wording written for this project.

An administrator can replace the wording by uploading a new version of the instrument."""

import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook

from .scoring import BOGARDUS_KEY, BOGARDUS_TARGETS, TOLERANCE_ITEMS, TOLERANCE_KEY

SURVEY_HEADER = [
    "type",
    "name",
    "label::Kazakh (kk)",
    "label::Russian (ru)",
    "required",
    "relevant",
    "constraint",
    "choice_filter",
    "calculation",
    "sensitive",  # ours: "yes" keeps the answers from everyone without view_sensitive (disclosure.py)
]
CHOICES_HEADER = ["list_name", "name", "label::Kazakh (kk)", "label::Russian (ru)"]

DEMOGRAPHICS = [
    ["select_one age_band", "age_band", "Жас тобыңыз", "Ваша возрастная группа", "yes"],
    ["select_one gender", "gender", "Жынысыңыз", "Ваш пол", "yes"],
    [
        "select_one ethnicity",
        "ethnicity",
        "Ұлтыңыз (міндетті емес)",
        "Ваша национальность (необязательно)",
        "no",
    ],
    ["select_one language", "language", "Отбасыңыздағы негізгі тіл", "Основной язык в вашей семье", "yes"],
    ["select_one occupation", "occupation", "Қызметіңіз", "Ваш род занятий", "yes"],
]
DEMOGRAPHIC_CHOICES = [
    ("age_band", "14_17", "14–17", "14–17"),
    ("age_band", "18_24", "18–24", "18–24"),
    ("age_band", "25_34", "25–34", "25–34"),
    ("age_band", "35_54", "35–54", "35–54"),
    ("age_band", "55_plus", "55 және одан жоғары", "55 и старше"),
    ("gender", "female", "Әйел", "Женский"),
    ("gender", "male", "Ер", "Мужской"),
    ("ethnicity", "kazakh", "қазақ", "казах"),
    ("ethnicity", "russian", "орыс", "русский"),
    ("ethnicity", "dungan", "дүнген", "дунганин"),
    ("ethnicity", "uzbek", "өзбек", "узбек"),
    ("ethnicity", "uyghur", "ұйғыр", "уйгур"),
    ("ethnicity", "other", "басқа", "другая"),
    ("ethnicity", "undisclosed", "айтқым келмейді", "предпочитаю не указывать"),
    ("language", "kk", "қазақ тілі", "казахский"),
    ("language", "ru", "орыс тілі", "русский"),
    ("language", "other", "басқа тіл", "другой"),
    ("occupation", "student", "оқушы немесе студент", "учащийся или студент"),
    ("occupation", "employed", "жұмыс істеймін", "работаю"),
    ("occupation", "unemployed", "жұмыссызмын", "не работаю"),
    ("occupation", "retired", "зейнеткермін", "на пенсии"),
    ("occupation", "other", "басқа", "другое"),
]

# Our own statements (kk, ru), one per item of the 22-item Tolerance Index structure.
TOLERANCE_STATEMENTS = [
    (
        "Әр ұлттың өкілі өз тілінде еркін сөйлей алуы керек.",
        "Представитель любой национальности должен свободно говорить на своём языке.",
    ),
    (
        "Басқа ұлт өкілдерімен көршілес тұру маған ыңғайсыз.",
        "Мне неудобно жить по соседству с людьми другой национальности.",
    ),
    (
        "Менімен келіспейтін адамның пікірін тыңдау уақытты босқа кетіру.",
        "Слушать того, кто со мной не согласен, — пустая трата времени.",
    ),
    ("Кейбір халықтар басқалардан төмен тұрады.", "Некоторые народы стоят ниже других."),
    ("Кедей адамдардың өзі кінәлі.", "Бедные люди сами виноваты в своей бедности."),
    (
        "Өзгеше киінетін адамдар мені ашуландырады.",
        "Меня раздражают люди, которые одеваются не так, как все.",
    ),
    ("Басқа діндегі адаммен дос болуға болмайды.", "С человеком другой веры нельзя дружить."),
    (
        "Қоғамда бір ғана дұрыс көзқарас болуы тиіс.",
        "В обществе должна быть только одна правильная точка зрения.",
    ),
    ("Түрлі мәдениеттер бір-бірін байытады.", "Разные культуры обогащают друг друга."),
    ("Мигранттар біздің қиындықтарымызға кінәлі.", "Мигранты виноваты в наших трудностях."),
    (
        "Дау кезінде қарсы жақтың уәжін түсінуге тырысамын.",
        "В споре я стараюсь понять доводы другой стороны.",
    ),
    ("Ұлтаралық некелер ұлтты әлсіретеді.", "Межнациональные браки ослабляют народ."),
    ("Мүгедектігі бар адамдар бөлек оқуы керек.", "Людям с инвалидностью лучше учиться отдельно."),
    (
        "Басқа ұлттың мейрамдарын бірге тойлау маған ұнайды.",
        "Мне нравится вместе отмечать праздники других народов.",
    ),
    ("Қателескен адамды кешіру қиын.", "Ошибившегося человека трудно простить."),
    ("Ұлты басқа әріптеспен жұмыс істеу маған бәрібір.", "Мне всё равно, какой национальности мой коллега."),
    ("Өз пікірімді дәлелдеу үшін дауысымды көтеремін.", "Чтобы доказать своё мнение, я повышаю голос."),
    (
        "Жастар үлкендердің айтқанын сөзсіз орындауы керек.",
        "Молодёжь должна беспрекословно слушаться старших.",
    ),
    ("Мені сынағандарды кешірмеймін.", "Я не прощаю тех, кто меня критикует."),
    ("Әр адамның өз өмір салтын таңдауға құқығы бар.", "Каждый человек вправе выбирать свой образ жизни."),
    (
        "Көзқарасым басқа адаммен сабырлы сөйлесе аламын.",
        "Я могу спокойно говорить с человеком других взглядов.",
    ),
    ("Қазақстанның бірлігі оның әртүрлілігінде.", "Единство Казахстана — в его многообразии."),
]
AGREEMENT = [
    ("1", "мүлдем келіспеймін", "совершенно не согласен"),
    ("2", "келіспеймін", "не согласен"),
    ("3", "келіспегенге жақынмын", "скорее не согласен"),
    ("4", "келіскенге жақынмын", "скорее согласен"),
    ("5", "келісемін", "согласен"),
    ("6", "толық келісемін", "полностью согласен"),
]
BOGARDUS_TEXTS = {
    "bg_other_ethnic": (
        "Басқа ұлт өкілін қандай қарым-қатынасқа дейін қабылдар едіңіз?",
        "Кого из представителей другой национальности вы готовы принять и насколько близко?",
    ),
    "bg_other_faith": (
        "Басқа дін өкілін қандай қарым-қатынасқа дейін қабылдар едіңіз?",
        "Представителя другой религии вы готовы принять насколько близко?",
    ),
    "bg_migrants": (
        "Еңбек мигрантын қандай қарым-қатынасқа дейін қабылдар едіңіз?",
        "Трудового мигранта вы готовы принять насколько близко?",
    ),
}
DISTANCE = [
    ("1", "отбасы мүшесі (күйеу бала, келін) ретінде", "как члена семьи (через брак)"),
    ("2", "жақын дос ретінде", "как близкого друга"),
    ("3", "көрші ретінде", "как соседа"),
    ("4", "әріптес ретінде", "как коллегу по работе"),
    ("5", "елімнің азаматы ретінде", "как гражданина моей страны"),
    ("6", "тек елімдегі қонақ ретінде", "только как гостя моей страны"),
    ("7", "елімде болмағанын қалаймын", "предпочёл бы, чтобы его не было в моей стране"),
]


SENSITIVE = ("ethnicity",)


def _workbook(
    form_id: str,
    title: str,
    questions: list[Any],
    choices: list[Any],
    version: str,
    sensitive: tuple[str, ...],
) -> bytes:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(SURVEY_HEADER)
    for row in questions:
        padded = [*row, *[""] * (len(SURVEY_HEADER) - 1 - len(row))]
        survey.append([*padded, "yes" if row[1] in sensitive else ""])
    sheet = book.create_sheet("choices")
    sheet.append(CHOICES_HEADER)
    for choice in choices:
        sheet.append(list(choice))
    settings_sheet = book.create_sheet("settings")
    settings_sheet.append(["form_title", "form_id", "version", "default_language"])
    settings_sheet.append([title, form_id, version, "Kazakh (kk)"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tolerance_xlsform(version: str = "2023.1", sensitive: tuple[str, ...] = SENSITIVE) -> bytes:
    questions: list[Any] = [*DEMOGRAPHICS]
    for name, (kk, ru) in zip(TOLERANCE_ITEMS, TOLERANCE_STATEMENTS, strict=True):
        questions.append(["select_one agree", name, kk, ru, "yes"])
    choices = [*DEMOGRAPHIC_CHOICES, *[("agree", *c) for c in AGREEMENT]]
    return _workbook("tolerance_index", "Толеранттылық индексі", questions, choices, version, sensitive)


def bogardus_xlsform(version: str = "2023.1", sensitive: tuple[str, ...] = SENSITIVE) -> bytes:
    questions: list[Any] = [*DEMOGRAPHICS]
    for name in BOGARDUS_TARGETS:
        kk, ru = BOGARDUS_TEXTS[name]
        questions.append(["select_one distance", name, kk, ru, "yes"])
    choices = [*DEMOGRAPHIC_CHOICES, *[("distance", *c) for c in DISTANCE]]
    return _workbook(
        "bogardus_distance", "Әлеуметтік қашықтық (Богардус шкаласы)", questions, choices, version, sensitive
    )


# The follow-up after an appeal is answered: three closed questions and nothing that names anyone
# (no free text); offered by the answer's notice through a link with the appeal's token.
SATISFACTION_QUESTIONS = [
    [
        "select_one score",
        "satisfied",
        "Өтінішіңізге берілген жауапқа қаншалықты көңіліңіз толды?",
        "Насколько Вы удовлетворены ответом на Ваше обращение?",
        "yes",
    ],
    [
        "select_one score",
        "clear",
        "Жауап қаншалықты түсінікті болды?",
        "Насколько понятным был ответ?",
        "yes",
    ],
    ["select_one yes_no", "on_time", "Жауап мерзімінде берілді ме?", "Получили ли Вы ответ в срок?", "yes"],
]
SATISFACTION_CHOICES = [
    ("score", "1", "1 — мүлде көңілім толмады", "1 — совсем не удовлетворён"),
    ("score", "2", "2", "2"),
    ("score", "3", "3", "3"),
    ("score", "4", "4", "4"),
    ("score", "5", "5 — толық көңілім толды", "5 — полностью удовлетворён"),
    ("yes_no", "yes", "Иә", "Да"),
    ("yes_no", "no", "Жоқ", "Нет"),
]
SATISFACTION_CODE = "appeal_satisfaction"


def satisfaction_xlsform(version: str = "2026.1") -> bytes:
    return _workbook(
        SATISFACTION_CODE,
        "Өтінішке берілген жауапқа қанағаттану",
        SATISFACTION_QUESTIONS,
        SATISFACTION_CHOICES,
        version,
        (),
    )


READY: dict[str, tuple[str, str, str, Callable[[], bytes], dict[str, Any] | None]] = {
    "tolerance_index": (
        "tolerance",
        "Толеранттылық индексі",
        "Индекс толерантности",
        tolerance_xlsform,
        TOLERANCE_KEY,
    ),
    "bogardus_distance": (
        "bogardus",
        "Богардус әлеуметтік қашықтық шкаласы",
        "Шкала социальной дистанции Богардуса",
        bogardus_xlsform,
        BOGARDUS_KEY,
    ),
    SATISFACTION_CODE: (
        "other",
        "Өтінішке берілген жауапқа қанағаттану",
        "Удовлетворённость ответом на обращение",
        satisfaction_xlsform,
        None,
    ),
}
