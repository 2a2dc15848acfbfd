"""A hand-checked set of sentences the release composes for the seed's Korday visit, and the
phrase grammar under them. Each expected sentence was read by an editor against the seed release:
one finite verb chosen for the event's format, places coordinated when events of a day repeat in
two okrugs, a sub-group as the subject, a purpose instead of a verbless summary, Russian in
Russian spelling with its lists in the case the verb governs."""

import pytest

from kelisim.appeals.selectors import ReceptionFigures
from kelisim.reports import release_events
from kelisim.reports.press_release import draft, receptions_ru
from kelisim.text import kk_grammar as kk
from kelisim.text import ru_phrases as rp

KAZAKH = (
    # The receptions' summary opens the release, as the seed's second paragraph does.
    "түрлі форматтағы шаралар ұйымдастырылды. Әртүрлі сала мамандары тұрғындармен кездесіп, кәсіби "
    "кеңестер берді.",
    "10 мамыр күні «AMANAT» партиясының Қордай аудандық филиалында аудандағы этномәдени бірлестік "
    "жетекшілерімен кездесу өтті.\nЖиын барысында ұлтаралық және қоғамдық келісім мәселелері талқыланды.\n",
    "Сондай-ақ, сол күні құқық бұзушылықтар тақырыбында профилактикалық кездесу ұйымдастырылды.",
    "Шараға Сортөбе ауылы әкімінің орынбасары, сондай-ақ ақсақалдар мен тұрғындар қатысты. Ақсақалдар "
    "дүнгендердің Қазақстанға қоныс аудару тарихына тоқталды.",
    "11 мамыр күні Сортөбе және Ауқатты ауылдық округтерінде ұлтаралық келісімді нығайту бойынша ашық "
    "диалог алаңдары өтті.",
    "Шараларға Жамбыл облысы әкімдігінің ішкі саясат басқармасының бөлім басшысы Қ.Ырысдәулет",
    "12 мамыр күні «Этнос және конфессияаралық келісім» тобы «Қордай» гуманитарлық-экономикалық "
    "колледжінің студенттерімен кездесті.\nЖиын барысында ұлтаралық және конфессияаралық келісім "
    "мәселелері талқыланды.\n",
    # The study goes on from the meeting, at the same place: its moderator is the subject.
    "Кездесуде «Қоғамдық келісім» КММ ғылыми-сараптамалық қолдау бөлімінің бас сарапшысы Е.Қаншымбеков "
    "өңірдегі этносаралық ахуалдың негізгі аспектілерін анықтау бойынша фокус-топтық зерттеу жүргізді.",
    "Сондай-ақ, «Қоғамдық келісім» КММ этносаралық қатынастар саласында әдістемелік көмек көрсету және "
    "мониторинг жүргізу бөлімінің әдіскері Р.Ерханұлы жастар арасындағы толеранттылық деңгейін анықтау "
    "және қарым-қатынас этикасын қалыптастыру мақсатында студенттерге арналған тимбилдинг және "
    "мотивациялық іс-шаралар өткізді.\n",
    "Сол күні өзге де елді мекендерде іс-шаралар өтті.\nШараларға тұрғындар қатысты. Отбасы құндылықтарын "
    "нығайту, діни тұрақтылықты сақтау мәселелері талқыланды.\nҮш күнге созылған",
)
RUSSIAN = (
    "где были организованы мероприятия различных форматов. Специалисты разных сфер встретились с "
    "жителями и дали профессиональные консультации.",
    "10 мая в Кордайском районном филиале партии «AMANAT» прошла встреча с руководителями "
    "этнокультурных объединений района.\nУчастники обсудили вопросы межнационального и общественного "
    "согласия.\n",
    "\nВ тот же день также была организована встреча по профилактике правонарушений.",
    "Затем в Сортобинской сельской библиотеке №20 прошёл литературный карнавал «Согласие и "
    "единство – путь к единству страны».\nВ нём приняли участие заместитель акима села Сортобе, а также "
    "аксакалы и жители. Аксакалы рассказали об истории переселения дунган в Казахстан.",
    "11 мая в Сортобинском и Аухаттинском сельских округах прошли открытые диалоговые площадки по "
    "укреплению межнационального согласия.",
    "В них приняли участие руководитель отдела управления внутренней политики акимата Жамбылской "
    "области К.Ырысдаулет, и.о. руководителя отдела внутренней политики акимата Кордайского района "
    "Г.Алимжанов, а также жители, лидеры общественного мнения и представители этнокультурных объединений.",
    "12 мая группа «Этнос и межконфессиональное согласие» провела встречу со студентами "
    "гуманитарно-экономического колледжа «Кордай».\nУчастники обсудили вопросы межнационального и "
    "межконфессионального согласия.\n",
    "В ходе встречи главный эксперт отдела научно-экспертного сопровождения КГУ «Қоғамдық келісім» "
    "Е.Каншымбеков провёл фокус-групповое исследование основных аспектов межэтнической ситуации в регионе.",
    "Также методист отдела методической помощи и мониторинга в сфере межэтнических отношений КГУ "
    "«Қоғамдық келісім» Р.Ерханулы провёл тимбилдинг и мотивационные мероприятия для студентов с целью "
    "определения уровня толерантности среди молодёжи и формирования этики общения.\n",
    "В тот же день прошли мероприятия в других населённых пунктах.\nВ них приняли участие жители.",
)
# What an editor struck out of earlier drafts: none may come back.
STRUCK_KK = (
    "Шараға студенттер қатысты",  # the title names them: "студенттерімен кездесті"
    "Шараға этномәдени бірлестік жетекшілері қатысты",
    "Жоба аясындағы алғашқы шара",  # the summary only repeated the venue
    "азаматтарды қабылдауы",  # the reception is the figures paragraph, not an event
    "алдын алу мақсатында профилактикалық",  # tautology
    "Қордай ауданында жұмыс тобы",
    "Ұлтаралық келісімді нығайту бойынша ашық диалог алаңы.",  # a verbless line
    "округіндегі ашық диалог",  # one place said once
    "Оған тұрғындар",  # "оған" for plural events
)
STRUCK_RU = (
    "В мероприятии приняли участие студенты",
    "Цель мероприятия —",
    "Среди участников —",
    "Первое мероприятие проекта прошло",
    "приём граждан специалистами",
    "профилактическая встреча по предупреждению",
    "Также в тот же день",  # "также" and "тот же" together
    "В этот же день",  # after "В тот же день" in the sentence before
    "обсудили межнациональное",  # a topic is discussed as "вопросы …", in the genitive
    "в Кордайском районе прошли мероприятия",  # the district is the release's, said once
)


def test_the_kazakh_release_composes_the_hand_checked_sentences(seed_visit):
    text = draft(seed_visit, "kk").text
    for sentence in KAZAKH:
        assert sentence in text, sentence
    for struck in STRUCK_KK:
        assert struck not in text, struck
    # The sub-group and the college are said once for the three events held there that day.
    assert text.count("«Этнос және конфессияаралық келісім» тобы") == 1
    assert text.count("гуманитарлық-экономикалық колледж") == 1


def test_the_russian_release_composes_the_hand_checked_sentences(seed_visit):
    text = draft(seed_visit, "ru").text
    for sentence in RUSSIAN:
        assert sentence in text, sentence
    for struck in STRUCK_RU:
        assert struck not in text, struck
    assert text.count("группа «Этнос и межконфессиональное согласие»") == 1
    # A summary that says what was discussed replaces the topics sentence rather than repeating it.
    assert "Обсуждена работа по укреплению общественного согласия" in text
    assert text.count("Участники обсудили вопросы") == 2


@pytest.mark.parametrize(
    ("purpose", "genitive"),
    [
        (
            "определение уровня толерантности среди молодёжи и формирование этики общения",
            "определения уровня толерантности среди молодёжи и формирования этики общения",
        ),
        ("укрепление единства, профилактика экстремизма", "укрепления единства, профилактики экстремизма"),
        ("межнациональное согласие", ""),  # not a verbal noun: no "с целью"
    ],
)
def test_a_russian_purpose_goes_into_the_genitive_after_s_tselyu(purpose, genitive):
    assert release_events._purpose_genitive_ru(purpose) == genitive


@pytest.mark.parametrize(
    ("title", "sentence_title"),
    [
        ("өзге елді мекендердегі іс-шаралар", "өзге де елді мекендерде іс-шаралар"),
        ("ауылдағы ақсақалдармен кездесу", "ауылда ақсақалдармен кездесу"),
        ("өзге де ауылдардағы кездесулер", "өзге де ауылдарда кездесулер"),  # "де" is not doubled
        # An attribute far from the head is not the place of the event.
        ("өңірдегі этносаралық ахуалдың негізгі аспектілерін анықтау бойынша фокус-топтық зерттеу",
         "өңірдегі этносаралық ахуалдың негізгі аспектілерін анықтау бойынша фокус-топтық зерттеу"),
    ],
)  # fmt: skip
def test_a_kazakh_title_says_its_place_as_a_locative_when_the_sentence_has_none(title, sentence_title):
    assert release_events._locative_title_kk(title) == sentence_title


def test_a_summary_that_qualifies_the_title_becomes_part_of_it():
    title, rest = release_events._qualified_title(
        "ашық диалог алаңдары",
        "ашық диалог алаңы",
        ["Ұлтаралық келісімді нығайту бойынша ашық диалог алаңы.", "Жұмыстар талқыланды."],
        before=True,
    )
    assert (title, rest) == (
        "ұлтаралық келісімді нығайту бойынша ашық диалог алаңдары",
        ["Жұмыстар талқыланды."],
    )
    title, rest = release_events._qualified_title(
        "открытые диалоговые площадки",
        "открытая диалоговая площадка",
        ["Открытая диалоговая площадка по укреплению согласия."],
        before=False,
    )
    assert (title, rest) == ("открытые диалоговые площадки по укреплению согласия", [])


@pytest.mark.parametrize(
    ("phrase", "locative", "genitive"),
    [
        ("Шу ауданы әкімдігінің мәжіліс залы", "мәжіліс залында", "мәжіліс залының"),
        ("Орталық саябағы", "саябағында", "саябағының"),
        ("өлкетану музейі", "музейінде", "музейінің"),
        ("аудандық мәдениет үйі", "үйінде", "үйінің"),
        ("ашық диалог алаңы", "алаңында", "алаңының"),
        # A proper name closing a phrase is not a possessive head; neither is an attributive.
        ("Талас Алматы", "Алматыда", "Алматының"),
        ("2023 жылғы", "жылғыда", "жылғының"),
    ],
)
def test_possessive_heads_outside_the_lexicon_inflect_as_possessives(phrase, locative, genitive):
    assert kk.inflect(phrase, "loc").endswith(locative)
    assert kk.inflect(phrase, "gen").endswith(genitive)


def test_a_possessive_head_goes_plural_through_its_base():
    assert kk.inflect("ашық диалог алаңы", "nom", plural=True) == "ашық диалог алаңдары"
    assert kk.inflect("ауылдық округі", "loc", plural=True) == "ауылдық округтерінде"


@pytest.mark.parametrize(
    ("phrase", "held", "plural", "accusative"),
    [
        ("Встреча с аксакалами и старейшинами", "прошла", "Встречи с аксакалами и старейшинами", "Встречу с аксакалами и старейшинами"),
        ("Литературный карнавал «Согласие»", "прошёл", "Литературные карнавалы «Согласие»", "Литературный карнавал «Согласие»"),
        ("Фокус-групповое исследование", "прошло", "Фокус-групповые исследования", "Фокус-групповое исследование"),
        ("Тимбилдинг и мотивационные мероприятия", "прошли", "Тимбилдинг и мотивационные мероприятия", "Тимбилдинг и мотивационные мероприятия"),
        ("Открытая диалоговая площадка", "прошла", "Открытые диалоговые площадки", "Открытую диалоговую площадку"),
        ("Лекция", "прошла", "Лекции", "Лекцию"),
        ("Соревнования по волейболу", "прошли", "Соревнования по волейболу", "Соревнования по волейболу"),
        ("религиозная стабильность", "прошла", "религиозные стабильности", "религиозную стабильность"),
    ],
)  # fmt: skip
def test_russian_phrases_agree_with_their_verb_and_case(phrase, held, plural, accusative):
    assert rp.agree(phrase, ("прошёл", "прошла", "прошло", "прошли")) == held
    assert rp.plural(phrase) == plural
    assert rp.accusative(phrase) == accusative


def test_russian_lists_share_a_head_and_keep_their_parts_apart():
    assert rp.shared_head(["межнациональное согласие", "общественное согласие"]) == (
        "межнациональное и общественное согласие"
    )
    assert rp.join(["культуры", "энергетики и жилищно-коммунального хозяйства", "спорта"]) == (
        "культуры, энергетики и жилищно-коммунального хозяйства, спорта"
    )
    assert rp.join(["жители", "молодёжь"]) == "жители и молодёжь"


def test_kazakh_names_take_their_russian_spelling_outside_quoted_titles():
    assert rp.russian_spelling("ҚОРДАЙ: руководитель Қ.Ырысдәулет, КГУ «Қоғамдық келісім», Ерханұлы") == (
        "КОРДАЙ: руководитель К.Ырысдаулет, КГУ «Қоғамдық келісім», Ерханулы"
    )


@pytest.mark.parametrize(
    ("n", "sentence"),
    [
        (1, "Консультации и разъяснения получил 1 гражданин, зарегистрированы обращения 1 гражданина."),
        (2, "Консультации и разъяснения получили 2 гражданина, зарегистрированы обращения 2 граждан."),
        (21, "Консультации и разъяснения получил 21 гражданин, зарегистрированы обращения 21 гражданина."),
        (38, "Консультации и разъяснения получили 38 граждан, зарегистрированы обращения 38 граждан."),
    ],
)
def test_russian_reception_outcomes_are_clauses_that_agree_with_their_numbers(n, sentence):
    (text,) = receptions_ru(ReceptionFigures(visitors=n, departments=1, advice=n, appeals=n))
    assert text.endswith(" " + sentence), text
    assert "Из них" not in text


def test_a_restricted_wording_that_opens_with_the_day_opens_with_a_capital(seed_visit):
    from kelisim.reports.models import RestrictedTemplate

    RestrictedTemplate.objects.create(language="kk", text="{date} алдын алу кездесуі өтті.")
    assert "\nСол күні алдын алу кездесуі өтті.\n" in draft(seed_visit, "kk").text
