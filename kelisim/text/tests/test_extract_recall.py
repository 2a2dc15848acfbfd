"""The recall round of the extractor: each mechanism on Kazakh and Russian sentences written for the
tests (none taken from a corpus)."""

from __future__ import annotations

from kelisim.text.extract import extract_events


def _formats(text: str) -> list[str]:
    return [e["format"] for e in extract_events(text)]


# --- a list of kinds of activity sums up a project ------------------------------------------------


def test_a_plural_list_of_formats_is_a_summary_not_events():
    text = (
        "Ауданда жоба аяқталды. Жоба барысында семинарлар, кездесулер, концерттер өтті. "
        "Кеше жастар арасында эссе байқауының нәтижелері шығарылды."
    )
    assert _formats(text) == ["other"]


def test_one_plural_format_is_still_reported():
    assert _formats("Кеше ауылда кездесулер өтті.") == ["meeting"]


# --- a surname in capitals -------------------------------------------------------------------------


def test_a_surname_in_capitals_is_a_name():
    from kelisim.text.extract.people import find_people

    sentence = (
        "В форуме приняли участие аким области Марат КАСЫМОВ и член ассоциации психологов Лола ШАКИРОВА."
    )
    names = [p.name for p in find_people(sentence, "ru")]
    assert names == ["Марат КАСЫМОВ", "Лола ШАКИРОВА"]


def test_an_abbreviation_is_no_surname():
    from kelisim.text.extract.people import find_people

    assert find_people("Члены АНК области провели встречу со студентами.", "ru") == []


# --- an event in several places, told place by place -----------------------------------------------


def test_a_meeting_in_listed_okrugs_told_one_by_one_is_one_event_per_okrug():
    text = (
        "Аким района встретился с жителями Акбулакского, Жанатурмысского, Жамбылского сельских округов. "
        "Жители Жанатурмысского сельского округа рассказали о ремонте дороги. "
        "В Жамбылском сельском округе сельчане задавали вопросы по водоснабжению."
    )
    events = extract_events(text)
    assert [e["format"] for e in events] == ["meeting", "meeting"]
    assert [e["settlement"].split()[0] for e in events] == ["Жанатурмысский", "Жамбылский"]


def test_a_kazakh_meeting_series_by_okrug():
    text = (
        "Аудан әкімі Ақтоған, Қызылжар ауылдық округтерін аралап, тұрғындармен кездесті. "
        "Ақтоған ауылдық округінің тұрғындарымен кездесу барысында әкім жоспармен бөлісті. "
        "Ал Қызылжар ауылдық округінің тұрғындарымен кездесуінде жол мәселесі көтерілді."
    )
    events = extract_events(text)
    assert [e["settlement"] for e in events] == ["Ақтоған ауылдық округі", "Қызылжар ауылдық округі"]


def test_latin_lookalikes_inside_a_cyrillic_word_are_read_as_cyrillic():
    from kelisim.text.extract.segment import cyrillic_lookalikes

    assert cyrillic_lookalikes("ауылдaрының тұрғындары, Coca-Cola") == "ауылдарының тұрғындары, Coca-Cola"


# --- venues named by where people gathered or went, or only in the headline --------------------------


def test_a_venue_where_people_gathered_or_that_was_visited():
    kk = extract_events("Кеше ауыл тұрғындары мәдениет үйінің ауласына жиналып, мерекелік концерт өтті.")
    assert kk[0]["venue"] == "мәдениет үйінің ауласы"
    ru = extract_events(
        "Аким области посетил Дом дружбы и встретился с руководителями этнокультурных объединений."
    )
    assert ru[0]["venue"] == "Дом дружбы"


def test_another_building_is_no_venue():
    events = extract_events(
        "Аким встретился с жителями села. Жители просили о переезде школы в другое здание."
    )
    assert events[0]["venue"] is None


def test_the_headline_places_a_release_of_one_event():
    text = "Достық үйінде өткен мереке\n\nКеше этномәдени бірлестіктердің ұжымдары концерт берді."
    assert extract_events(text)[0]["venue"] == "Достық үйі"


# --- positions ---------------------------------------------------------------------------------------


def _positions(sentence: str, language: str) -> list[tuple[str, str | None]]:
    from kelisim.text.extract.people import find_people

    return [(p.name, p.position) for p in find_people(sentence, language)]


def test_the_head_of_states_adviser_takes_part():
    sentence = "Советник президента Казахстана Ерлан Сапаров встретился с жителями района."
    assert _positions(sentence, "ru") == [("Ерлан Сапаров", "Советник президента Казахстана")]


def test_an_honorary_citizen_and_a_laureate_are_positions():
    sentence = "Выступили почетный гражданин района Болат Оспанов и лауреат конкурса Асель Нурова."
    assert [p for _, p in _positions(sentence, "ru")] == ["почетный гражданин района", "лауреат конкурса"]


def test_a_plural_position_set_off_by_a_dash_goes_to_each_name():
    sentence = (
        "Кеште ҚР еңбек сіңірген әртістері – Айгүл Сапарова, Болат Ерланов, "
        "байқаулардың лауреаттары – Әсел Нұрова, Марат Қасымов өнер көрсетті."
    )
    assert [p for _, p in _positions(sentence, "kk")] == [
        "ҚР еңбек сіңірген әртістері",
        "ҚР еңбек сіңірген әртістері",
        "байқаулардың лауреаттары",
        "байқаулардың лауреаттары",
    ]


# --- audiences ---------------------------------------------------------------------------------------


def test_spectators_and_the_elderly_are_audiences():
    text = "Кеше ауылда мерекелік концерт өтті. Ансамбль қарттар мен көрермендерге жақсы көңіл-күй сыйлады."
    assert "көрермендер" in extract_events(text)[0]["audiences"]


def test_people_a_matter_was_discussed_with_are_the_audience():
    text = "Кеше ауылда кездесу өтті. Кездесу барысында тұрғындармен жер қатынастары, инфрақұрылым мәселелері талқыланды."
    assert "тұрғындар" in extract_events(text)[0]["audiences"]


def test_russian_spectators_and_listeners():
    event = extract_events("Вчера в селе прошел концерт для зрителей и слушателей музыкальной школы.")[0]
    assert event["audiences"][:1] == ["зрители"]


# --- one of a series, a sentence typed without a space ----------------------------------------------


def test_one_meeting_of_a_series_is_the_event():
    text = (
        "Ауылдық округте тұрғындармен кездесулер ұйымдастырылды.Кезекті жиынның бірі №5 мектепте өтіп, "
        "ата-аналарға заң талаптары түсіндірілді."
    )
    events = extract_events(text)
    assert [(e["format"], e["venue"]) for e in events] == [("meeting", "№5 мектеп")]


def test_a_full_stop_without_a_space_ends_a_sentence_but_not_an_initial():
    from kelisim.text.extract.segment import split_sentences

    assert split_sentences("Кездесу өтті.Оған Л.Жолдасов қатысты.") == [
        "Кездесу өтті.",
        "Оған Л.Жолдасов қатысты.",
    ]


def test_one_of_the_russian_meetings():
    from kelisim.text.extract.formats import format_mentions

    mention = format_mentions("Одна из встреч прошла в школе.", "ru")[0]
    assert (mention.format, mention.core, mention.plural) == ("meeting", True, False)


# --- phrase fragments ---------------------------------------------------------------------------------


def test_fragments_are_no_phrases():
    from kelisim.text.extract.phrases import tidy_all

    phrases = [
        "том",
        "отметив",
        "проводимых в стране политических",
        "укреплению межэтнического",
        "итоги года",
    ]
    assert tidy_all(phrases, "ru") == ["итоги года"]
    assert tidy_all(["ресоциализация осуждённых", "курсы для взрослых"], "ru") == [
        "ресоциализация осуждённых",
        "курсы для взрослых",
    ]


# --- anniversaries ----------------------------------------------------------------------------------


def test_an_anniversary_marked_is_a_topic():
    kk = extract_events(
        "Кеше ауылдық клубта өткен кездесуде әкім тұрғындарды Жетісу облысының 80 жылдығымен құттықтады."
    )
    assert "Жетісу облысының 80 жылдығы" in kk[0]["topics"]
    ru = extract_events(
        "Вчера в Доме дружбы прошел концерт, посвящённый 25-летию Ассамблеи народа Казахстана."
    )
    assert any(t.startswith("25-лет") and "Ассамблеи" in t for t in ru[0]["topics"])


def test_what_was_reported_or_visited_is_a_topic():
    kk = extract_events(
        "Кеше ауылда кездесу өтті. Әкім ұлттық-мәдени орталықтардың қызметімен танысып, пікір алмасты."
    )
    assert any(t.startswith("ұлттық-мәдени орталықтардың қызмет") for t in kk[0]["topics"])
    ru = extract_events(
        "Вчера аким района встретился с жителями. Он ознакомился с работой сельской библиотеки."
    )
    assert any("работ" in t and "библиотеки" in t for t in ru[0]["topics"])


def test_a_conjunction_ends_a_russian_venue():
    from kelisim.text.extract.venues import find_venues

    assert [v.name for v in find_venues("Аким посетил Дом дружбы Как рассказала заведующая", "ru")] == [
        "Дом дружбы"
    ]


def test_a_pronoun_or_a_position_is_no_half_of_a_name():
    from kelisim.text.extract.people import find_people

    assert [p.name for p in find_people("Оған Алтын алқа иегері Айткүл Көшекова қатысты.", "kk")] == [
        "Айткүл Көшекова"
    ]
    assert find_people("Поэт Тыныштықбек өлеңдерін оқыды.", "ru") == []


def test_a_given_name_and_patronymic_is_the_person_named_in_full():
    text = (
        "Вчера в колледже прошла лекция. Спикером выступила Уразбаева Айнур Азырхановна, заместитель "
        "руководителя центра. Айнур Азырхановна подчеркнула важность мира."
    )
    names = [o["name"] for o in extract_events(text)[0]["officials"]]
    assert names == ["Уразбаева Айнур Азырхановна"]


def test_odd_blanks_are_spaces():
    from kelisim.text.extract.segment import segment

    assert segment("Кеше\u2800ауылда кездесу өтті.").sentences[0].text == "Кеше ауылда кездесу өтті."


def test_an_oblasts_own_assembly_names_the_oblast():
    event = extract_events("Кеше Қазақстан халқы Павлодар ассамблеясының мүшелері студенттермен кездесті.")[0]
    assert event["region"] == "Павлодар облысы"


def test_an_occasion_in_the_next_sentence_dates_the_event():
    text = "Ауылдық клубта музыкалық кеш өтті. Ұлыстың ұлы күні қарсаңында ұйымдастырылған шарада әртістер ән салды."
    assert extract_events(text)[0]["date_text"] == "Ұлыстың ұлы күні қарсаңында"


def test_whom_a_lecture_was_read_to_is_the_audience():
    text = "Вчера член научно-экспертной группы Марат Касымов прочитал лекцию студентам колледжа о согласии."
    assert "студенты колледжа" in extract_events(text)[0]["audiences"]


def test_a_russian_body_named_by_its_kind_alone_is_no_organisation():
    from kelisim.text.extract.events import _unnamed_ru

    assert _unnamed_ru("этнокультурное объединение", "ru")
    assert not _unnamed_ru("департамент полиции", "ru")
    assert not _unnamed_ru("областной АНК", "ru")


def test_a_russian_bodys_name_agrees_and_stops_at_a_verb():
    from kelisim.text.extract.organizations import find_orgs

    names = [o.name for o in find_orgs("Выступил верховный муфтий духовного управления мусульман.", "ru")]
    assert names == ["духовное управление мусульман"]
    assert [o.name for o in find_orgs("Поэтому областная ассамблея проводится работа.", "ru")] == [
        "областная ассамблея"
    ]


def test_a_kazakh_clause_without_its_head_or_an_indirect_question_is_no_phrase():
    from kelisim.text.extract.phrases import tidy_all

    assert tidy_all(
        ["тұрғындарды алаңдатқан", "азаматтардың қалай қатыса алатыны", "дауыс беру тәртібі"], "kk"
    ) == ["дауыс беру тәртібі"]


def test_a_russian_prepositional_object_is_no_phrase():
    from kelisim.text.extract.phrases import tidy_all

    assert tidy_all(["у сельчан", "с руководителями органов", "итоги года"], "ru") == ["итоги года"]


def test_a_dangling_modifier_or_a_generic_event_noun_is_no_topic():
    from kelisim.text.extract.phrases import tidy_all

    assert tidy_all(
        ["азаматтарды жеке", "Салтанатты шара", "мерекелік жиын", "ұлттық тағамдар көрмесі"], "kk"
    ) == ["ұлттық тағамдар көрмесі"]


# --- a performance told by its verb -------------------------------------------------------------------


def test_songs_performed_are_a_cultural_event():
    kk = extract_events(
        "14 наурыз күні мәдениет үйінің қызметкерлері мекемелерге барып, қазақ халық әндерін орындады."
    )
    assert [e["format"] for e in kk] == ["cultural_event"]
    ru = extract_events("Вчера артисты филармонии исполнили народные песни для жителей села.")
    assert [e["format"] for e in ru] == ["cultural_event"]


def test_a_festive_table_or_a_feast_is_a_cultural_event_and_a_yurt_a_venue():
    text = "Қаладағы 20 аулада дастархан жайылды. Сонымен қатар, тігілген киіз үйде қарттарға ас берілді."
    events = extract_events(text)
    assert [e["format"] for e in events] == ["cultural_event", "cultural_event"]
    assert events[1]["venue"] == "киіз үй"


def test_two_letter_kazakh_nouns_take_case_endings():
    from kelisim.text.extract.morph_kk import case_of

    assert [case_of(w) for w in ("үйде", "үйге", "елдің", "үй")] == ["loc", "dat", "gen", "nom"]


def test_a_headline_event_the_body_tells_only_in_passing_is_an_event():
    text = (
        "Аудандық мәдениет үйінде облыстық аналар форумы өтті\n\n"
        "Ғимараттың фойесінде қолөнершілердің көрмесі ұйымдастырылды. "
        "Форум алдында келіндер аналарға ақ орамал табыс етті. "
        "Шараны ашқан аудан әкімі Болат Сапаров форум жұмысына сәттілік тіледі."
    )
    events = extract_events(text)
    assert [e["format"] for e in events] == ["cultural_event", "conference"]
    assert events[1]["venue"] == "Аудандық мәдениет үйі"
    assert [o["name"] for o in events[1]["officials"]] == ["Болат Сапаров"]
    assert events[0]["officials"] == []


def test_a_demonstrative_is_no_part_of_a_position():
    from kelisim.text.extract.people import find_people

    people = find_people("Мұндай рәсім аудан әкімі Болат Сапаров бастаған қонақтарға да жасалды.", "kk")
    assert people[0].position == "аудан әкімі"


def test_a_year_summed_up_is_a_meeting():
    ru = extract_events("Сегодня, 25 декабря, члены ассамблеи подвели итоги года и поделились планами.")
    assert [e["format"] for e in ru] == ["meeting"]
    kk = extract_events("Кеше ардагерлер кеңесінің мүшелері жылдың қорытындысын шығарды.")
    assert [e["format"] for e in kk] == ["meeting"]


def test_a_place_named_after_a_titled_person():
    from kelisim.text.extract.places import find_places

    names = [
        p.name for p in find_places("Кездесу Төле би, Қабанбай батыр ауылдарының тұрғындарымен өтті.", "kk")
    ]
    assert names == ["Төле би, Қабанбай батыр ауылдары"]


def test_a_caption_line_naming_an_office_is_the_position_of_the_name_below():
    text = (
        "Қалада палау фестивалі өтті\n\nКеше қалада халықаралық палау фестивалі өтті.\n"
        "Қала әкімінің орынбасары\nМарат Сапаров ұйымдастырушыларға алғыс айтты."
    )
    officials = extract_events(text)[0]["officials"]
    assert officials == [{"name": "Марат Сапаров", "position": "Қала әкімінің орынбасары"}]


def test_a_possessed_plural_alone_is_no_phrase():
    from kelisim.text.extract.phrases import tidy_all

    assert tidy_all(["мүшелері", "ауыл тұрғындары", "жастар"], "kk") == ["ауыл тұрғындары", "жастар"]


def test_the_people_among_whom_the_visitors_were_are_the_audience():
    from kelisim.text.extract.audiences import _kk_attendees

    sentence = "Олардың арасында зейнеткерлер, көпбалалы аналар, жұмыссыздар болды."
    assert _kk_attendees(sentence, []) == ["зейнеткерлер", "көпбалалы аналар", "жұмыссыздар"]


def test_a_person_at_the_end_of_an_attendee_list_does_not_hide_the_groups():
    from kelisim.text.extract.audiences import _kk_attendees

    sentence = (
        "Шараға этнос-өкілдері, ақын-жазушылар мен студент жастар, директор орынбасары Болат Сапаров қатысты."
    )
    person = (sentence.index("директор"), sentence.index(" қатысты"))
    assert _kk_attendees(sentence, [person]) == ["этнос-өкілдері", "ақын-жазушылар", "студент жастар"]


def test_the_russian_subject_of_a_plural_past_verb_took_part():
    text = "Сегодня, 25 декабря, члены районной ассамблеи подвели итоги года и поделились планами."
    assert "члены районной ассамблеи" in extract_events(text)[0]["audiences"]


def test_a_kazakh_agencys_regional_department_is_part_of_a_position():
    from kelisim.text.extract.people import find_people

    sentence = (
        "Оған агенттіктің Жамбыл облысы бойынша Департаменті басшысының орынбасары Болат Сапаров қатысты."
    )
    assert find_people(sentence, "kk")[0].position == (
        "агенттіктің Жамбыл облысы бойынша Департаменті басшысының орынбасары"
    )


def test_a_bodys_name_ends_at_a_comma_outside_its_guillemets():
    text = "Вчера в Доме дружбы прошла встреча, в которой участвовали областная Ассамблея, представители центров."
    orgs = extract_events(text)[0]["organizations"]
    assert not any("," in o and "«" not in o for o in orgs)


def test_a_plural_venue_noun_is_a_venue():
    text = "14 наурыз күні мәдениет үйінің қызметкерлері аудандық мекемелерге барып, халық әндерін орындады."
    assert extract_events(text)[0]["venue"] == "аудандық мекемелер"


def test_what_the_residents_said_is_needed_is_a_topic():
    from kelisim.text.extract.topics import _ru_topics

    sentence = "Жители рассказали акиму о том, что необходимы ремонт моста и перенос водозабора."
    assert _ru_topics(sentence, []) == ["ремонт моста", "перенос водозабора"]


def test_an_adjective_that_looks_like_a_verb_stays_in_a_position():
    from kelisim.text.extract.people import find_people

    sentence = "Кездесуге аудандық газеттің жауапты хатшысы Айнагүл Төлеутаева қатысты."
    assert find_people(sentence, "kk")[0].position == "аудандық газеттің жауапты хатшысы"


def test_a_surname_that_starts_like_a_position_is_still_a_surname():
    from kelisim.text.extract.people import find_people

    people = find_people("Екінші орынды Ряжское ауылынан Батыргареева Аида иеленді.", "kk")
    assert [p.name for p in people] == ["Батыргареева Аида"]
    poet = find_people("Поэт Тыныштықбек Әбдікәкімов встретился с читателями.", "ru")
    assert [(p.name, p.position) for p in poet] == [("Тыныштықбек Әбдікәкімов", "Поэт")]
