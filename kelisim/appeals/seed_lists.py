"""Appeal categories (also the Open311 services) and the first consent text; administrators extend them."""

from typing import Any

CATEGORIES = [
    (
        "housing_utilities",
        "Тұрғын үй-коммуналдық шаруашылық",
        "Жилищно-коммунальное хозяйство",
        "Housing and utilities",
    ),
    ("land", "Жер қатынастары", "Земельные отношения", "Land"),
    ("employment", "Жұмыспен қамту", "Занятость", "Employment"),
    ("social_support", "Әлеуметтік қолдау", "Социальная поддержка", "Social support"),
    ("education", "Білім беру", "Образование", "Education"),
    ("culture_sport", "Мәдениет және спорт", "Культура и спорт", "Culture and sport"),
    ("religion", "Дін істері", "Вопросы религии", "Religious affairs"),
    ("interethnic", "Ұлтаралық қатынастар", "Межнациональные отношения", "Interethnic relations"),
    ("languages", "Тілдерді дамыту", "Развитие языков", "Languages"),
    ("veterinary", "Ветеринария", "Ветеринария", "Veterinary"),
    ("energy", "Энергетика", "Энергетика", "Energy"),
    ("natural_resources", "Табиғи ресурстар", "Природные ресурсы", "Natural resources"),
    ("law_enforcement", "Құқық тәртібі", "Правопорядок", "Law and order"),
    ("other", "Басқа", "Другое", "Other"),
]
CONSENT_KK = (
    "Мен «Дербес деректер және оларды қорғау туралы» Қазақстан Республикасының Заңына сәйкес өтінішімді қарау "
    "мақсатында аты-жөнімді және байланыс деректерімді өңдеуге келісім беремін."
)
CONSENT_RU = (
    "Я даю согласие на обработку моих фамилии, имени и контактных данных в целях рассмотрения моего обращения "
    "в соответствии с Законом Республики Казахстан «О персональных данных и их защите»."
)


def ensure_lists(apps: Any) -> None:
    Category = apps.get_model("appeals", "Category")
    for code, kk, ru, en in CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en})
    Consent = apps.get_model("appeals", "ConsentText")
    Consent.objects.get_or_create(
        code="reception-2023", defaults={"text_kk": CONSENT_KK, "text_ru": CONSENT_RU}
    )
