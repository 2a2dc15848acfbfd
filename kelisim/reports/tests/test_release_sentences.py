"""A hand-checked set of sentences the release composes for the seed's Korday visit, and the
phrase grammar under them. Each expected sentence was read by an editor against the seed release:
one finite verb chosen for the event's format, places coordinated when events of a day repeat in
two okrugs, a sub-group as the subject, a purpose instead of a verbless summary, Russian in
Russian spelling with its lists in the case the verb governs."""

import pytest

from kelisim.reports.press_release import draft
from kelisim.text import kk_grammar as kk
from kelisim.text import ru_phrases as rp

KAZAKH = (
    "11 мамыр күні Сортөбе және Ауқатты ауылдық округтерінде ашық диалог алаңдары өтті.",
    "12 мамыр күні «Этнос және конфессияаралық келісім» тобы «Қордай» гуманитарлық-экономикалық "
    "колледжінің студенттерімен кездесті.",
    "«Этнос және конфессияаралық келісім» тобы «Қордай» гуманитарлық-экономикалық колледжінде өңірдегі "
    "этносаралық ахуалдың негізгі аспектілерін анықтау бойынша фокус-топтық зерттеу жүргізді.",
    "жастар арасындағы толеранттылық деңгейін анықтау және қарым-қатынас этикасын қалыптастыру "
    "мақсатында студенттерге арналған тимбилдинг және мотивациялық іс-шаралар өткізді.",
    "Жиын барысында ұлтаралық және қоғамдық келісім мәселелері талқыланды.",
    "Шараларға Жамбыл облысы әкімдігінің ішкі саясат басқармасының бөлім басшысы Қ.Ырысдәулет",
)
RUSSIAN = (
    "10 мая в Кордайском районном филиале партии «AMANAT» прошла встреча с руководителями "
    "этнокультурных объединений района.",
    "в Сортобинской сельской библиотеке №20 прошёл литературный карнавал «Согласие и единство – путь "
    "к единству страны».",
    "11 мая в Сортобинском и Аухаттинском сельских округах прошли открытые диалоговые площадки.",
    "12 мая группа «Этнос и межконфессиональное согласие» провела встречу со студентами "
    "гуманитарно-экономического колледжа «Кордай».",
    "Цель мероприятия — определение уровня толерантности среди молодёжи и формирование этики общения.",
    "10–12 мая в акимате Кордайского района прошёл приём граждан специалистами рабочей группы.",
    "Участники обсудили межнациональное и общественное согласие.",
    "В них приняли участие руководитель отдела управления внутренней политики акимата Жамбылской "
    "области К.Ырысдаулет, и.о. руководителя отдела внутренней политики акимата Кордайского района "
    "Г.Алимжанов, а также жители, лидеры общественного мнения и представители этнокультурных объединений.",
)


def test_the_kazakh_release_composes_the_hand_checked_sentences(seed_visit):
    text = draft(seed_visit, "kk").text
    for sentence in KAZAKH:
        assert sentence in text, sentence
    # A summary that only restates the title is not printed as a verbless line.
    assert "Ұлтаралық келісімді нығайту бойынша ашық диалог алаңы." not in text
    # One place said once: the okrug is not named again inside the merged title.
    assert "округіндегі ашық диалог" not in text


def test_the_russian_release_composes_the_hand_checked_sentences(seed_visit):
    text = draft(seed_visit, "ru").text
    for sentence in RUSSIAN:
        assert sentence in text, sentence
    # A summary that says what was discussed replaces the topics sentence rather than repeating it.
    assert "Обсуждена работа по укреплению общественного согласия" in text
    assert text.count("Участники обсудили") < len(seed_visit.events.filter(restricted=False))


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
