"""The seed's Korday visit (10–12 May 2023) as far as the loaded issues' models can hold it.

Sources: shared/seed/press-release-kk.txt. Names of departments follow the glossary.
"""

ZHAMBYL = "310000000"
KORDAY = "314800000"
SHU = "316600000"

# (code, kind, sector, name_kk, name_ru, name_en, territory)
DEPARTMENTS = [
    (
        "internal_policy",
        "department",
        "internal_policy",
        "Жамбыл облысы әкімдігінің ішкі саясат басқармасы",
        "Управление внутренней политики акимата Жамбылской области",
        "Internal policy department",
        ZHAMBYL,
    ),
    (
        "culture",
        "department",
        "culture",
        "Мәдениет басқармасы",
        "Управление культуры",
        "Culture department",
        ZHAMBYL,
    ),
    (
        "education",
        "department",
        "education",
        "Білім басқармасы",
        "Управление образования",
        "Education department",
        ZHAMBYL,
    ),
    ("sport", "department", "sport", "Спорт басқармасы", "Управление спорта", "Sport department", ZHAMBYL),
    (
        "religion",
        "department",
        "religion",
        "Дін істері басқармасы",
        "Управление по делам религий",
        "Religious affairs department",
        ZHAMBYL,
    ),
    (
        "languages",
        "department",
        "languages",
        "Тілдерді дамыту басқармасы",
        "Управление по развитию языков",
        "Language development department",
        ZHAMBYL,
    ),
    (
        "youth",
        "department",
        "youth",
        "Жастар саясаты басқармасы",
        "Управление молодёжной политики",
        "Youth policy department",
        ZHAMBYL,
    ),
    (
        "employment",
        "department",
        "employment",
        "Жұмыспен қамту басқармасы",
        "Управление занятости",
        "Employment department",
        ZHAMBYL,
    ),
    (
        "veterinary",
        "department",
        "veterinary",
        "Ветеринария басқармасы",
        "Управление ветеринарии",
        "Veterinary department",
        ZHAMBYL,
    ),
    (
        "energy_housing",
        "department",
        "energy_housing",
        "Энергетика және тұрғын үй-коммуналдық шаруашылық басқармасы",
        "Управление энергетики и жилищно-коммунального хозяйства",
        "Energy and housing department",
        ZHAMBYL,
    ),
    (
        "natural_resources",
        "department",
        "natural_resources",
        "Табиғи ресурстар басқармасы",
        "Управление природных ресурсов",
        "Natural resources department",
        ZHAMBYL,
    ),
    (
        "police",
        "law_enforcement",
        "law_enforcement",
        "Жамбыл облысының Полиция департаменті",
        "Департамент полиции Жамбылской области",
        "Police department of Zhambyl region",
        ZHAMBYL,
    ),
    (
        "public_accord",
        "institution",
        "internal_policy",
        "«Қоғамдық келісім» КММ",
        "КГУ «Қоғамдық келісім»",
        "“Public Accord” institution",
        ZHAMBYL,
    ),
    (
        "religious_studies_centre",
        "institution",
        "religion",
        "«Дін проблемаларын зерттеу орталығы» КММ",
        "КГУ «Центр изучения проблем религий»",
        "Centre for the study of religious problems",
        ZHAMBYL,
    ),
    (
        "information_work",
        "institution",
        "internal_policy",
        "Ақпараттық жұмыс және қоғаммен байланыс бөлімі",
        "Отдел информационной работы и связей с общественностью",
        "Information work and public relations division",
        ZHAMBYL,
    ),
    (
        "korday_internal_policy",
        "division",
        "internal_policy",
        "Қордай ауданы әкімдігінің ішкі саясат бөлімі",
        "Отдел внутренней политики акимата Кордайского района",
        "Internal policy division of Korday district",
        KORDAY,
    ),
    (
        "shu_internal_policy",
        "division",
        "internal_policy",
        "Шу ауданы әкімдігінің ішкі саясат бөлімі",
        "Отдел внутренней политики акимата Шуского района",
        "Internal policy division of Shu district",
        SHU,
    ),
]

# (username, first, last, role, territory or None, department code, position)
# The demo's survey collector: ODK Collect on her phone gets a collection credential of its own.
COLLECTOR = "specialist.korday"
COLLECTOR_DEVICE = "Қордай, жинаушының телефоны (ODK Collect)"

USERS = [
    ("admin", "Әкімші", "Жүйе", "system_admin", None, None, "Жүйе әкімшісі"),
    (
        "coordinator.zhambyl",
        "Айгерім",
        "Сейітова",
        "regional_coordinator",
        ZHAMBYL,
        "internal_policy",
        "Бөлім басшысы",
    ),
    (
        "coordinator.korday",
        "Нұрлан",
        "Омаров",
        "district_coordinator",
        KORDAY,
        "korday_internal_policy",
        "Бас маман",
    ),
    ("specialist.korday", "Дана", "Әлиева", "specialist", KORDAY, "culture", "Бас маман"),
    ("analyst.zhambyl", "Ерлан", "Байжанов", "analyst", ZHAMBYL, "public_accord", "Сарапшы"),
    ("press.zhambyl", "Мадина", "Қасымова", "press_officer", ZHAMBYL, "information_work", "Баспасөз хатшысы"),
    (
        "coordinator.shu",
        "Бауыржан",
        "Серіков",
        "district_coordinator",
        SHU,
        "shu_internal_policy",
        "Бас маман",
    ),
]
