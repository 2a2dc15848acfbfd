"""The default words of the notices, in Kazakh and Russian, for e-mail and SMS. Administrators
change them on /manage/notices/; a text already there is never overwritten."""

from typing import Any

FOOT_KK = "\n\nБұл хабарлама автоматты түрде жіберілді, оған жауап жазудың қажеті жоқ."
FOOT_RU = "\n\nЭто сообщение отправлено автоматически, отвечать на него не нужно."

TEXTS = {
    ("registered", "kk", "email"): (
        "Өтінішіңіз тіркелді: № {number}",
        "Құрметті өтініш беруші!\n\nСіздің өтінішіңіз тіркелді.\nТіркеу нөмірі: {number}.\n"
        "Қабылданған күні: {received_on}.\nЖауап беру мерзімі: {due_date}.\n\n"
        "Өтініштің мәртебесін {status_url} мекенжайында тіркеу нөмірі мен {code} кодымен тексеруге болады."
        + FOOT_KK,
    ),
    ("registered", "ru", "email"): (
        "Ваше обращение зарегистрировано: № {number}",
        "Уважаемый заявитель!\n\nВаше обращение зарегистрировано.\nРегистрационный номер: {number}.\n"
        "Дата поступления: {received_on}.\nСрок ответа: {due_date}.\n\n"
        "Статус обращения можно проверить на {status_url} по регистрационному номеру и коду {code}."
        + FOOT_RU,
    ),
    ("registered", "kk", "sms"): ("", "Өтінішіңіз тіркелді, № {number}. Жауап беру мерзімі: {due_date}."),
    ("registered", "ru", "sms"): (
        "",
        "Ваше обращение зарегистрировано, № {number}. Срок ответа: {due_date}.",
    ),
    ("extended", "kk", "email"): (
        "№ {number} өтінішті қарау мерзімі ұзартылды",
        "Құрметті өтініш беруші!\n\n№ {number} өтінішіңізді қарау мерзімі ұзартылды.\n"
        "Жаңа мерзім: {due_date}.\nСебебі: {reason}" + FOOT_KK,
    ),
    ("extended", "ru", "email"): (
        "Срок рассмотрения обращения № {number} продлён",
        "Уважаемый заявитель!\n\nСрок рассмотрения Вашего обращения № {number} продлён.\n"
        "Новый срок: {due_date}.\nПричина: {reason}" + FOOT_RU,
    ),
    ("extended", "kk", "sms"): (
        "",
        "№ {number} өтінішті қарау мерзімі ұзартылды. Жаңа мерзім: {due_date}. Себебі: {reason}",
    ),
    ("extended", "ru", "sms"): (
        "",
        "Срок рассмотрения обращения № {number} продлён. Новый срок: {due_date}. Причина: {reason}",
    ),
    ("redirected", "kk", "email"): (
        "№ {number} өтініш басқа органға жіберілді",
        "Құрметті өтініш беруші!\n\n№ {number} өтінішіңіздегі мәселе біздің құзыретімізге жатпайды, "
        "сондықтан өтініш қарау үшін құзыретті органға жіберілді: {body}.\n"
        "Өтінішке жауапты сол орган береді." + FOOT_KK,
    ),
    ("redirected", "ru", "email"): (
        "Обращение № {number} направлено в другой орган",
        "Уважаемый заявитель!\n\nВопрос Вашего обращения № {number} не относится к нашей компетенции, "
        "поэтому обращение направлено на рассмотрение в компетентный орган: {body}.\n"
        "Ответ на обращение даст этот орган." + FOOT_RU,
    ),
    ("redirected", "kk", "sms"): (
        "",
        "№ {number} өтінішіңіз қарау үшін құзыретті органға жіберілді: {body}.",
    ),
    ("redirected", "ru", "sms"): (
        "",
        "Обращение № {number} направлено на рассмотрение в компетентный орган: {body}.",
    ),
    ("answered", "kk", "email"): (
        "№ {number} өтінішіңізге жауап",
        "Құрметті өтініш беруші!\n\n№ {number} өтінішіңізге жауап:\n\n{answer}\n\n"
        "Жауапты үш қысқа сұрақ арқылы бағалап беріңізші: {survey_url}" + FOOT_KK,
    ),
    ("answered", "ru", "email"): (
        "Ответ на Ваше обращение № {number}",
        "Уважаемый заявитель!\n\nОтвет на Ваше обращение № {number}:\n\n{answer}\n\n"
        "Пожалуйста, оцените ответ, ответив на три коротких вопроса: {survey_url}" + FOOT_RU,
    ),
    ("answered", "kk", "sms"): (
        "",
        # Not the answer itself: an SMS passes a third party's gateway, and an answer may speak of
        # faith or origin. The answer goes by e-mail or on paper; the SMS says it is there.
        "№ {number} өтінішіңізге жауап берілді. Мәртебесі: {status_url} (коды {code}). "
        "Жауапты бағалаңыз: {survey_url}",
    ),
    ("answered", "ru", "sms"): (
        "",
        "На обращение № {number} дан ответ. Статус: {status_url} (код {code}). Оцените ответ: {survey_url}",
    ),
}


def ensure_texts(apps: Any) -> None:
    NoticeTemplate = apps.get_model("notices", "NoticeTemplate")
    for (kind, language, channel), (subject, text) in TEXTS.items():
        NoticeTemplate.objects.get_or_create(
            kind=kind, language=language, channel=channel, defaults={"subject": subject, "text": text}
        )
