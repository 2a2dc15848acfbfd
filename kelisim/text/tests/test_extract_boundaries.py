"""Phrase boundaries of extracted topics, audiences, organisations and positions (issue 16).

Every sentence here was written for the tests; none is taken from a corpus.
"""

from __future__ import annotations

import pytest

from kelisim.text.extract import extract_events
from kelisim.text.extract.people import find_people
from kelisim.text.extract.phrases import tidy


def _event(text: str) -> dict:
    return extract_events(text)[0]


# --- edges of a phrase -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "language", "expected"),
    [
        ("және басқарма қызметі", "kk", "басқарма қызметі"),
        ("Оған қоғам белсенділері", "kk", "қоғам белсенділері"),
        ("ардагерлер мен", "kk", "ардагерлер"),
        ("и развитие туризма", "ru", "развитие туризма"),
        ("развития медиации как важного элемента политики", "ru", "развития медиации"),
        ("мен", "kk", None),
    ],
)
def test_phrase_edges_lose_coordinators_pronouns_and_russian_run_ons(phrase, language, expected):
    assert tidy(phrase, language) == expected


# --- topics ------------------------------------------------------------------------------------------


def test_a_possessive_noun_before_the_anchor_is_kept_not_taken_for_a_past_verb():
    # "мәдениеті" ends like the past tense "-ті", but after a vowel it is a possessive
    event = _event("Кеше мектепте кездесу өтті. Кездесуде тілдердің мәдениеті туралы айтылды.")
    assert "тілдердің мәдениеті" in event["topics"]


def test_coordinated_modifiers_share_the_head_after_them():
    event = _event(
        "Кеше аудандық кітапханада дөңгелек үстел өтті. Жиында ішкі және сыртқы саясат мәселелері талқыланды."
    )
    assert event["topics"] == ["ішкі, сыртқы саясат"]
    peoples = _event(
        "Кеше мектепте кездесу өтті. Онда орыс, неміс, татар, корей ұлттарының мәдениеті туралы айтылды."
    )
    assert peoples["topics"] == ["орыс, неміс, татар, корей ұлттарының мәдениеті"]


def test_activities_inside_an_event_are_its_topics():
    kk = _event("Кеше ауылдық клубта мерекелік кеш өтті. Онда ұлттық тағамдар көрмесі ұйымдастырылды.")
    assert kk["format"] == "cultural_event"
    assert "ұлттық тағамдар көрмесі" in kk["topics"]
    ru = _event(
        "Вчера в Доме дружбы прошёл фестиваль национальных культур. В программе был праздничный концерт и "
        "ярмарка сельхозпродукции."
    )
    assert {"праздничный концерт", "ярмарка сельхозпродукции"} <= set(ru["topics"])
    assert len(extract_events("Вчера в Доме дружбы прошёл фестиваль национальных культур.")[0]["topics"]) == 0


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "Вчера в колледже прошёл семинар по вопросам противодействия коррупции.",
            "противодействия коррупции",
        ),
        ("Вчера в школе прошла лекция по истории родного края.", "истории родного края"),
        (
            "Вчера в школе прошла лекция. Лектор рассказал школьникам о профилактике телефонного мошенничества.",
            "профилактике телефонного мошенничества",
        ),
        (
            "Вчера прошла встреча, где говорили о значении государственного языка.",
            "значении государственного языка",
        ),
        ("Вчера прошла встреча. Спикер затронул тему межэтнического согласия.", "межэтнического согласия"),
        ("Вчера в школе прошла лекция о вреде наркотиков.", "вреде наркотиков"),
        ("Вчера в школе прошёл классный час о дружбе народов.", "дружбе народов"),
        (
            "Кеше колледжде сыбайлас жемқорлыққа қарсы іс-қимыл бойынша семинар өтті.",
            "сыбайлас жемқорлыққа қарсы іс-қимыл",
        ),
        ("Кеше ауылда кездесу өтті. Тұрғындар ауыз су, көше жарығы мәселелерін көтерді.", "көше жарығы"),
        (
            "Кеше мектепте кездесу өтті. Спикер жастарға ұлттық бірегейліктің маңызын түсіндірді.",
            "ұлттық бірегейліктің маңызы",
        ),
        (
            "Кеше мектепте кездесу өтті. Спикер патриоттық тәрбиенің рөліне ерекше назар аударды.",
            "патриоттық тәрбиенің рөлі",
        ),
    ],
)
def test_topic_frames_of_communication_and_of_a_format_noun(text, topic):
    assert topic in _event(text)["topics"]


def test_drew_attention_has_a_subject_not_a_topic():
    # "аудартты" (causative): the exhibits drew attention; nothing was spoken about them
    event = _event("Кеше мұражайда көрме өтті. Ұлттық киімдер қонақтардың назарын аудартты.")
    assert not any("киім" in t for t in event["topics"])


# --- formats -----------------------------------------------------------------------------------------


def test_a_format_word_before_a_generic_head_gives_the_format():
    event = _event("Кеше аудандық кітапханада «Көктем шуағы» әдеби этноауыл іс-шарасы іске асырылды.")
    assert event["format"] == "cultural_event"


def test_a_russian_frame_before_a_format_is_not_the_event():
    text = "Вчера в рамках областного форума прошла встреча с молодёжью."
    assert [e["format"] for e in extract_events(text)] == ["meeting"]


# --- audiences ---------------------------------------------------------------------------------------


def test_audiences_the_event_was_for_and_whom_it_brought_together():
    assert _event("Кеше мектеп оқушылары үшін танымдық сағат өтті.")["audiences"] == ["мектеп оқушылары"]
    assert "жастар" in _event("Кеше ардагерлер мен жастардың басын қосқан кездесу өтті.")["audiences"]


def test_the_official_who_met_people_is_not_part_of_their_group():
    event = _event("Аудан әкімі ауыл тұрғындарымен кездесті.")
    assert event["audiences"] == ["ауыл тұрғындары"]


# --- positions and names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "language", "name", "position"),
    [
        ("Лекцию прочитал член экспертной группы при областном акимате Марат Сейтов.", "ru", "Марат Сейтов",
         "член экспертной группы при областном акимате"),
        ("Кездесуге полиция бөлімінің бастығы Ержан Қасымов қатысты.", "kk", "Ержан Қасымов", "полиция бөлімінің бастығы"),
        ("Алмас Серікұлы (аудан әкімі) тұрғындармен кездесті.", "kk", "Алмас Серікұлы", "аудан әкімі"),
        ("Встречу провела Айгуль Бекова (руководитель отдела культуры).", "ru", "Айгуль Бекова",
         "руководитель отдела культуры"),
        ("Жиынға Ерлан Қасымов – облыстық мәслихаттың депутаты қатысты.", "kk", "Ерлан Қасымов",
         "облыстық мәслихаттың депутаты"),
        ("Кездесуге облыс әкімінің міндетін атқарушы Алмаз Темірұлы қатысты.", "kk", "Алмаз Темірұлы",
         "облыс әкімінің міндетін атқарушы"),
        ("Іс-шараны ауыл әкімі Бауыржан Тұрсын ашты.", "kk", "Бауыржан Тұрсын", "ауыл әкімі"),
        ("Сахнада филармонияның артисі Нұрай Бекенов ән айтты.", "kk", "Нұрай Бекенов", "филармонияның артисі"),
        ("Кездесу аудан әкімі Ержан Сапаровтың қатысуымен өтті.", "kk", "Ержан Сапаров", "аудан әкімі"),
        ("Жастар ақын Болат Жақыповпен кездесті.", "kk", "Болат Жақыпов", "ақын"),
        ("Ардагерлер кеңесінің төрағасы Қ.Сейітов сөз сөйледі.", "kk", "Қ.Сейітов", "Ардагерлер кеңесінің төрағасы"),
        ("Ішкі саясат бөлімінің басшысы, Ермек Нұрланұлы сөз сөйледі.", "kk", "Ермек Нұрланұлы",
         "Ішкі саясат бөлімінің басшысы"),
        ("Ермек Сапаров, руководитель КГУ «Достық үйі», выступил с докладом.", "ru", "Ермек Сапаров",
         "руководитель КГУ «Достық үйі»"),
        ("Ақын Болат Ерланұлы өлең оқыды.", "kk", "Болат Ерланұлы", "Ақын"),
        ("Выступил председатель корейского центра Виктор Ким.", "ru", "Виктор Ким", "председатель корейского центра"),
        ("Бағдарламаны Алмагүл Серікбайқызы жүргізді.", "kk", "Алмагүл Серікбайқызы", None),
    ],
)  # fmt: skip
def test_positions_before_after_and_around_names(sentence, language, name, position):
    people = find_people(sentence, language)
    assert [(p.name, p.position) for p in people] == [(name, position)]


def test_the_next_persons_name_is_no_position():
    people = find_people("Кездесуге Махаббат Орынова, Асқар Бейсенов бастаған жастар қатысты.", "kk")
    assert [p.position for p in people] == [None, None]


def test_a_word_with_a_case_ending_is_no_surname_of_a_three_part_name():
    people = find_people("Жиынға Әсел Бақытжанқызы Мұқанова қатысты.", "kk")
    assert [p.name for p in people] == ["Әсел Бақытжанқызы Мұқанова"]


# --- districts as settings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("Кеше облыс орталығында Жуалы ауданынан келген жастармен кездесу өтті.", "kk"),
        ("Вчера в областном центре прошла встреча с гостями из Жуалынского района.", "ru"),
        ("Вчера в областном центре прошёл концерт, посвящённый Дню Жуалынского района.", "ru"),
        ("Кеше облыс орталығында Жуалы ауданының күніне арналған концерт өтті.", "kk"),
        ("Вчера прошла ярмарка. Жуалынский район представляли пять хозяйств.", "ru"),
    ],
)
def test_a_district_the_guests_came_from_or_presented_is_not_the_setting(sentence, language):
    assert extract_events(sentence, language)[0]["district"] is None


def test_a_district_named_as_the_place_is_the_setting():
    assert _event("Кеше Жуалы ауданында жастармен кездесу өтті.")["district"] == "Жуалы ауданы"


# --- bodies ------------------------------------------------------------------------------------------


def test_a_russian_body_ends_before_the_neuter_past_of_its_verb():
    event = _event("Вчера управление внутренней политики области провело круглый стол с молодёжью.")
    assert event["organizations"] == ["управление внутренней политики области"]


def test_those_who_gathered_are_not_part_of_the_topic():
    event = _event("Кеше мектепте кездесу өтті. Кездесуге жиналғандар ауылдың тарихы жайлы пікір алмасты.")
    assert event["topics"] == ["ауылдың тарихы"]


# --- the genre lexicon -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "format_"),
    [
        ("Вчера в школе прошла олимпиада по казахскому языку.", "other"),
        ("Вчера в Доме дружбы прошёл этнодиктант.", "other"),
        ("Вчера в библиотеке состоялась презентация книги местного автора.", "other"),
        ("Вчера в университете прошёл симпозиум по вопросам этнополитики.", "conference"),
        ("Вчера в кинотеатре состоялся показ фильма о депортации народов.", "cultural_event"),
        ("Вчера юристы провели бесплатные консультации для жителей села.", "citizen_reception"),
        ("Кеше мектепте тарихи фильм көрсетілімі өтті.", "cultural_event"),
        ("Кеше колледжде студенттер арасында дебат өтті.", "other"),
        ("Вчера в парке открыли памятник поэту.", "other"),
        ("Вчера аким района отчитался перед населением о проделанной работе.", "meeting"),
        ("Кеше аудан әкімі халық алдында есеп берді.", "meeting"),
        ("Кеше ауылда ақынға арналған ескерткіш тақта ашылды.", "other"),
        (
            "Сегодня в Доме дружбы установили памятную доску. В торжественном мероприятии приняли участие ветераны.",
            "other",
        ),
    ],
)
def test_formats_grown_from_the_synonyms(text, format_):
    assert [e["format"] for e in extract_events(text)] == [format_]


def test_a_conversation_named_in_passing_is_no_event():
    # "беседа" is also an interview someone gave: it stays out of the lexicon
    assert extract_events("Вчера в газете вышла беседа главы региона с журналистом.", "ru") == []


@pytest.mark.parametrize(
    "text",
    [
        "Кеше мәдениет үйінде Ұлттық домбыра күні салтанатты түрде атап өтілді.",
        "Кеше ауылда Ораза айт мерекесі тойланды.",
        "Вчера в районе торжественно отметили День благодарности.",
    ],
)
def test_a_day_or_holiday_celebrated_is_a_cultural_event(text):
    assert [e["format"] for e in extract_events(text)] == ["cultural_event"]


def test_a_holiday_celebrated_every_year_is_no_event():
    assert extract_events("Жыл сайын 1 наурызда Алғыс айту күні атап өтіледі.", "kk") == []


def test_a_format_noun_in_the_genitive_of_another_noun_is_no_second_event():
    text = "Вчера в Доме дружбы состоялось награждение победителей конкурса."
    assert [e["format"] for e in extract_events(text)] == ["other"]


def test_proposals_voiced_in_a_discussion_still_give_its_topics():
    event = _event(
        "Кеше ауылда кездесу өтті. Жиында ел бірлігін нығайту бағытында ойлар мен ұсыныстар айтылды."
    )
    assert "ел бірлігін нығайту" in event["topics"]
    later = _event("Кеше ауылда кездесу өтті. Тұрғындар жаңа саябақ салуды ұсынды.")
    assert not any("саябақ" in t for t in later["topics"])


def test_a_relative_clause_before_a_generic_head_is_one_topic():
    event = _event(
        "Кеше ауылда кездесу өтті. Тұрғындар жаңа жобалар мен жастарды толғандырған мәселелерге қатысты "
        "сұрақтар қойды."
    )
    assert "жастарды толғандырған мәселелер" in event["topics"]


def test_the_events_own_noun_is_no_part_of_its_audience():
    event = _event("Кеше мәдениет үйінде концерт өтті. Концертті ауыл тұрғындары тамашалады.")
    assert event["audiences"] == ["ауыл тұрғындары"]


def test_a_body_named_only_by_its_kind_is_no_organisation():
    # a title that ends in a body's word ("… қауымдастығы»") leaves the kind after it on its own
    event = _event(
        "Кеше ауылда «Өзбек мәдени қауымдастығы» қоғамдық бірлестігінің ұйымдастыруымен кездесу өтті."
    )
    assert "қоғамдық бірлестігі" not in event["organizations"]


# --- venues ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "venue"),
    [
        ("Дөңгелек үстел аудандық кітапханада өтті.", "аудандық кітапхана"),
        ("Кеше концерт залында кездесу өтті.", "концерт залы"),
        ("Кеше облыстық филармонияда концерт өтті.", "облыстық филармония"),
        ("Вчера круглый стол прошёл на базе Дома дружбы.", "Дом дружбы"),
        ("Круглый стол прошёл в стенах университета.", "университет"),
        ("Вчера в этнопарке прошёл фестиваль.", "этнопарк"),
    ],
)
def test_venues_without_the_events_noun_and_after_na_baze(text, venue):
    assert _event(text)["venue"] == venue


# --- settlements -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "settlement"),
    [
        ("Кеше Бауыржан Момышұлы ауылында кездесу өтті.", "Бауыржан Момышұлы ауылы"),
        ("Вчера в Усть-Каменогорске прошла встреча с молодёжью.", "город Усть-Каменогорск"),
        ("Кеше Нұр-Сұлтан қаласында кездесу өтті.", "Нұр-Сұлтан қаласы"),
        ("Вчера во Дворце культуры Тараза прошёл концерт.", "город Тараз"),
    ],
)
def test_settlements_named_after_a_person_and_hyphenated_cities(text, settlement):
    assert _event(text)["settlement"] == settlement


def test_a_given_name_with_a_patronymic_is_the_same_official_as_with_the_surname():
    event = _event(
        "Кеше ауылда аудан әкімі Ертай Алтаев тұрғындармен кездесті. Жиын барысында Ертай Кенжебекұлы "
        "тұрғындардың сұрақтарына жауап берді."
    )
    assert event["officials"] == [{"name": "Ертай Алтаев", "position": "аудан әкімі"}]
    two = _event("Кеше ауылда Ертай Алтаев пен Айдос Кенжебекұлы тұрғындармен кездесті.")
    assert [o["name"] for o in two["officials"]] == ["Ертай Алтаев", "Айдос Кенжебекұлы"]


def test_a_sentence_the_excerpt_cut_short_is_no_signature():
    from kelisim.text.extract.segment import segment

    doc = segment(
        "Кеше ауылда кездесу өтті.\nІс-шарада «Ақ ниет» қоғамдық бірлестігінің төрағасы Дина Мирман, қоғамд"
    )
    assert doc.signature is None
    assert (
        segment("Кеше ауылда кездесу өтті.\nАудандық ішкі саясат бөлімі").signature
        == "Аудандық ішкі саясат бөлімі"
    )


def test_a_discourse_marker_is_no_topic():
    event = _event("Кеше мектепте кездесу өтті. Атап айтсақ, тіл, дін, салт-дәстүр туралы айтылды.")
    assert not any("айтсақ" in t.lower() for t in event["topics"])
    assert {"тіл", "дін", "салт-дәстүр"} <= set(event["topics"])  # three letters make a topic too


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Кеше ауылда концерт өтті. Концерт соңында белсенді жастар алғыс хатпен марапатталды.", "алғыс хатпен марапаттау"),
        ("Кеше ауылда концерт өтті. Аудан әкімі белсенді жастарды марапаттады.", "жастарды марапаттау"),
        ("Вчера в селе прошёл концерт. Аким района вручил благодарственные письма активистам.",
         "вручение благодарственные письма"),
        ("Кеше ауылда концерт өтті. Шара Тәуелсіздік күніне арналды.", "Тәуелсіздік күні"),
        ("Вчера в селе прошла встреча. Участники обменялись опытом.", "обмен опытом"),
        ("Вчера в селе прошла встреча, на которой подвели итоги года.", "итоги года"),
        ("Кеше ауылда кездесу өтті. Қатысушылар тәжірибе алмасты.", "тәжірибе алмасу"),
    ],
)  # fmt: skip
def test_awards_handed_out_and_what_an_event_was_dedicated_to_are_topics(text, topic):
    assert topic in _event(text)["topics"]


def test_gifts_are_no_award_topic():
    assert _event("Кеше ауылда жарыс өтті. Жеңімпаздар бағалы сыйлықтармен марапатталды.")["topics"] == []


@pytest.mark.parametrize(
    ("text", "format_"),
    [
        ("За круглым столом состоялась встреча руководителей общин.", "round_table"),
        ("Встреча прошла в формате круглого стола.", "round_table"),
        ("Кездесу дөңгелек үстел форматында өтті.", "round_table"),
        ("Кеше ауылда диалог алаңы форматында кездесу өтті.", "dialogue_platform"),
        ("Кеше ауылда кездесу өтті. Кейін дөңгелек үстелде жастар сөйледі.", "meeting"),
    ],
)
def test_a_meeting_held_as_a_round_table_is_a_round_table(text, format_):
    assert [e["format"] for e in extract_events(text)] == [format_]


@pytest.mark.parametrize(
    ("text", "audiences"),
    [
        (
            "Вчера в школе прошла встреча. На встречу пришли родители учеников и учителя.",
            ["родители учеников", "учителя"],
        ),
        (
            "Вчера в школе прошла встреча. Участниками встречи стали представители этнокультурных объединений.",
            ["представители этнокультурных объединений"],
        ),
        ("Вчера в школе прошла встреча старшеклассников с ветеранами.", ["старшеклассники", "ветераны"]),
        (
            "Вчера прошёл семинар для сотрудников акиматов сельских округов.",
            ["сотрудники акиматов сельских округов"],
        ),
        ("Вчера специалисты отдела культуры провели встречу с молодёжью.", ["молодёжь"]),
        ("Вчера в школе прошла встреча. Встреча собрала более 50 активистов.", ["активисты"]),
    ],
)
def test_russian_attendees_who_came_became_participants_or_met(text, audiences):
    assert _event(text)["audiences"] == audiences


def test_kazakh_groups_whose_meeting_it_was_are_its_audience():
    assert _event("Кеше мектепте оқушылар мен ардагерлердің кездесуі өтті.")["audiences"] == [
        "оқушылар",
        "ардагерлер",
    ]


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("Кеше ауылда Абай Құнанбаевтың 180 жылдығына арналған кеш өтті.", "kk"),
        ("Кеше ауылда ақын Мұқағали Мақатаевтың туғанына 90 жыл толуына орай кеш өтті.", "kk"),
        ("Вчера прошёл вечер, посвящённый 180-летию Абая Кунанбаева.", "ru"),
        ("Вчера прошёл вечер к юбилею поэта Мукагали Макатаева.", "ru"),
    ],
)
def test_a_person_commemorated_is_no_participant(sentence, language):
    assert find_people(sentence, language) == []


@pytest.mark.parametrize(
    ("text", "venue"),
    [
        ("Ақтау қаласында этномәдени бірлестіктерге арналған «Достық үйі» ашылды.", "«Достық үйі»"),
        ("Кеше оқушылар үшін Достық үйіне экскурсия ұйымдастырылды.", "Достық үйі"),
        ("Вчера в Актау открылся Дом дружбы.", None),
    ],
)
def test_a_building_opened_is_an_opening_and_its_place(text, venue):
    event = _event(text)
    assert (event["format"], event["venue"]) == ("other", venue)


def test_a_building_reported_opened_is_no_venue():
    assert _event("Кеше ауылда кездесу өтті. Онда жаңа мектеп ашылды деп айтылды.")["venue"] is None


def test_the_activity_of_a_body_is_no_organisation():
    event = _event("Кеше ауылда кездесу өтті. Кездесуде ішкі саясат бөлімінің қызметі таныстырылды.")
    assert not any(o.endswith("қызметі") for o in event["organizations"])


def test_a_persons_genitive_is_no_part_of_a_bodys_name():
    from kelisim.text.extract.organizations import find_orgs

    sentence = "Жиында Мемлекет басшысы Қасым-Жомарт Тоқаевтың Қазақстан халқы Ассамблеясының сессиясындағы сөзі талқыланды."
    assert not any("Тоқаев" in o.name for o in find_orgs(sentence, "kk"))
