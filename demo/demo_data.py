"""The demo conference: Sharm El Sheikh, 10–13 July 2023. Pure data and deterministic generators, no writes.

Everyone here is fictitious; e-mail addresses use example.org / example.net only.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
import zoneinfo
from dataclasses import dataclass, field

SEED = 20230710
TZ = zoneinfo.ZoneInfo("Africa/Cairo")

CONFERENCE = {
    "slug": "sharm2023",
    "short_name": "Sharm El Sheikh 2023",
    "name": (
        "Inter-regional Conference on International Cooperation against Trafficking in Persons "
        "and Smuggling of Migrants"
    ),
    "name_fr": (
        "Conférence interrégionale sur la coopération internationale contre la traite des personnes "
        "et le trafic illicite de migrants"
    ),
    "name_ar": "المؤتمر الأقاليمي للتعاون الدولي في مكافحة الاتجار بالأشخاص وتهريب المهاجرين",
    "description": (
        "Prosecutors, judges, investigators and policy makers from North Africa, the Sahel, West Africa, "
        "the Middle East and Europe meet to strengthen international cooperation in criminal matters "
        "against trafficking in persons and the smuggling of migrants."
    ),
    "description_fr": (
        "Procureurs, juges, enquêteurs et décideurs d'Afrique du Nord, du Sahel, d'Afrique de l'Ouest, "
        "du Moyen-Orient et d'Europe se réunissent pour renforcer la coopération internationale en matière "
        "pénale contre la traite des personnes et le trafic illicite de migrants."
    ),
    "description_ar": (
        "يجتمع أعضاء النيابة العامة والقضاة والمحققون وصانعو السياسات من شمال أفريقيا ومنطقة الساحل وغرب "
        "أفريقيا والشرق الأوسط وأوروبا لتعزيز التعاون الدولي في المسائل الجنائية لمكافحة الاتجار بالأشخاص "
        "وتهريب المهاجرين."
    ),
    "start_date": datetime.date(2023, 7, 10),
    "end_date": datetime.date(2023, 7, 13),
    "time_zone": "Africa/Cairo",
    "venue": "Sharm El Sheikh International Congress Centre",
    "venue_fr": "Centre international des congrès de Charm el-Cheikh",
    "venue_ar": "مركز شرم الشيخ الدولي للمؤتمرات",
    "city": "Sharm El Sheikh",
    "city_fr": "Charm el-Cheikh",
    "city_ar": "شرم الشيخ",
    "country": "EG",
    "languages": ["ar", "fr", "en"],
    "registration_opens_at": datetime.datetime(2023, 4, 16, 9, 0, tzinfo=TZ),
    # The real conference closed registration on 30 June 2023; the demo leaves the closing time empty so a
    # newcomer can still walk through invitation, registration, approval, sign-up and the desk. An organizer
    # closes it in the admin (closing time or "registration locked").
    "registration_closes_at": None,
    "contact_email": "sharm2023@example.org",
}

# The closing time that earlier versions of the demo set: a demo conference still holding it was never edited
# there, and seed_demo clears it so registration is open again.
PAST_REGISTRATION_CLOSES_AT = datetime.datetime(2023, 6, 30, 23, 59, tzinfo=TZ)

# (role, name, name_fr, name_ar)
PARTNERS = [
    (
        "host",
        "National Coordinating Committee for Combating and Preventing Illegal Migration and Trafficking in "
        "Persons (NCCPIM&TIP), Government of Egypt",
        "Comité national de coordination pour la prévention et la lutte contre la migration illégale et "
        "la traite des personnes (NCCPIM&TIP), Gouvernement égyptien",
        "اللجنة الوطنية التنسيقية لمكافحة ومنع الهجرة غير الشرعية والاتجار بالبشر، حكومة جمهورية مصر العربية",
    ),
    (
        "host",
        "UNODC Regional Office for the Middle East and North Africa",
        "Bureau régional de l'ONUDC pour le Moyen-Orient et l'Afrique du Nord",
        "المكتب الإقليمي لمكتب الأمم المتحدة المعني بالمخدرات والجريمة للشرق الأوسط وشمال أفريقيا",
    ),
    ("funder", "European Union", "Union européenne", "الاتحاد الأوروبي"),
]


@dataclass(frozen=True)
class DelegationSpec:
    code: str
    kind: str
    country: str = ""
    organization: str = ""
    organization_fr: str = ""
    organization_ar: str = ""
    size: int = 0  # 0: drawn at random for member states
    pools: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)


MEMBER_STATES = [
    # code, ISO alpha-2, name pool, preferred languages
    ("DZA", "DZ", "DZ", ("fr", "ar")),
    ("TCD", "TD", "TD", ("fr", "fr", "ar")),
    ("EGY", "EG", "EG", ("ar",)),
    ("IRQ", "IQ", "IQ", ("ar",)),
    ("CIV", "CI", "CI", ("fr",)),
    ("LBY", "LY", "LY", ("ar",)),
    ("MLI", "ML", "ML", ("fr",)),
    ("MAR", "MA", "MA", ("ar", "fr")),
    ("NER", "NE", "NE", ("fr",)),
    ("NGA", "NG", "NG", ("en",)),
    ("SSD", "SS", "SS", ("en",)),
    ("TUN", "TN", "TN", ("ar", "fr")),
]
EU_EXPERTS = [
    ("FRA", "FR", ("fr",)),
    ("GRC", "GR", ("en",)),
    ("ITA", "IT", ("en",)),
    ("MLT", "MT", ("en",)),
    ("ESP", "ES", ("en", "fr")),
    ("NLD", "NL", ("en",)),
]


def delegation_specs() -> list[DelegationSpec]:
    specs = [
        DelegationSpec(code, "member_state", country=iso, pools=(pool,), languages=langs)
        for code, iso, pool, langs in MEMBER_STATES
    ]
    specs.append(
        DelegationSpec(
            "NCCPIM", "host", country="EG",
            organization="National Coordinating Committee for Combating and Preventing Illegal Migration and "
            "Trafficking in Persons (NCCPIM&TIP)",
            organization_fr="Comité national de coordination pour la prévention et la lutte contre la "
            "migration illégale et la traite des personnes (NCCPIM&TIP)",
            organization_ar="اللجنة الوطنية التنسيقية لمكافحة ومنع الهجرة غير الشرعية والاتجار بالبشر",
            size=28, pools=("EG",), languages=("ar",),
        )
    )
    specs += [
        DelegationSpec(code, "eu_expert", country=iso, pools=(iso,), languages=langs, size=3 + (i % 2))
        for i, (code, iso, langs) in enumerate(EU_EXPERTS)
    ]
    specs.append(
        DelegationSpec(
            "UNODC", "un",
            organization="United Nations Office on Drugs and Crime (UNODC)",
            organization_fr="Office des Nations Unies contre la drogue et le crime (ONUDC)",
            organization_ar="مكتب الأمم المتحدة المعني بالمخدرات والجريمة",
            size=26, pools=("EG", "TN", "MA", "IT", "FR", "NG", "NL", "IQ"), languages=("en", "en", "fr", "ar"),
        )
    )
    specs += [
        DelegationSpec(
            "LAS", "regional_body", organization="League of Arab States", organization_fr="Ligue des États arabes",
            organization_ar="جامعة الدول العربية", size=3, pools=("EG", "IQ", "TN"), languages=("ar",),
        ),
        DelegationSpec(
            "AU", "regional_body", organization="African Union", organization_fr="Union africaine",
            organization_ar="الاتحاد الأفريقي", size=3, pools=("NG", "CI", "SS"), languages=("en", "fr"),
        ),
        DelegationSpec(
            "ECOWAS", "regional_body", organization="Economic Community of West African States (ECOWAS)",
            organization_fr="Communauté économique des États de l'Afrique de l'Ouest (CEDEAO)",
            organization_ar="الجماعة الاقتصادية لدول غرب أفريقيا (إيكواس)", size=2, pools=("NG", "NE", "CI"),
            languages=("en", "fr"),
        ),
        DelegationSpec(
            "INTERPOL", "regional_body", organization="INTERPOL", organization_fr="INTERPOL",
            organization_ar="الإنتربول", size=2, pools=("FR", "ES", "MA"), languages=("en", "fr"),
        ),
        DelegationSpec(
            "EU", "regional_body", organization="European Union", organization_fr="Union européenne",
            organization_ar="الاتحاد الأوروبي", size=3, pools=("IT", "NL", "GR", "FR"), languages=("en",),
        ),
        DelegationSpec(
            "IOM", "observer", organization="International Organization for Migration (IOM)",
            organization_fr="Organisation internationale pour les migrations (OIM)",
            organization_ar="المنظمة الدولية للهجرة", size=2, pools=("IT", "EG", "NL"), languages=("en",),
        ),
    ]
    return specs


# Rooms: (name, name_fr, name_ar, capacity, interpretation languages, order)
ROOMS = [
    ("Nefertiti Plenary Hall", "Salle plénière Néfertiti", "قاعة نفرتيتي للجلسات العامة", 300, ["ar", "fr", "en"], 1),
    ("Luxor Room", "Salle Louxor", "قاعة الأقصر", 80, ["ar", "fr", "en"], 2),
    ("Aswan Room", "Salle Assouan", "قاعة أسوان", 60, ["ar", "en"], 3),
    ("Abu Simbel Room", "Salle Abou Simbel", "قاعة أبو سمبل", 40, [], 4),
]
PLENARY, LUXOR, ASWAN, ABU_SIMBEL = (room[0] for room in ROOMS)

# --- Names ---------------------------------------------------------------------------------------
# Arabic-script pools hold (Latin, Arabic) pairs; the others Latin only.
NAME_POOLS: dict[str, dict[str, list]] = {
    "EG": {
        "male": [("Ahmed", "أحمد"), ("Mohamed", "محمد"), ("Omar", "عمر"), ("Youssef", "يوسف"), ("Khaled", "خالد"),
                 ("Tarek", "طارق"), ("Hassan", "حسن"), ("Mahmoud", "محمود"), ("Mostafa", "مصطفى"), ("Amr", "عمرو"),
                 ("Hisham", "هشام"), ("Sherif", "شريف"), ("Karim", "كريم"), ("Waleed", "وليد")],
        "female": [("Amina", "أمينة"), ("Nour", "نور"), ("Mariam", "مريم"), ("Salma", "سلمى"), ("Rania", "رانيا"),
                   ("Dina", "دينا"), ("Yasmine", "ياسمين"), ("Hoda", "هدى"), ("Mona", "منى"), ("Heba", "هبة"),
                   ("Nermine", "نرمين"), ("Aya", "آية")],
        "surname": [("El-Sayed", "السيد"), ("Abdel Rahman", "عبد الرحمن"), ("Mansour", "منصور"), ("Fahmy", "فهمي"),
                    ("Hamdy", "حمدي"), ("Soliman", "سليمان"), ("Farouk", "فاروق"), ("Gamal", "جمال"),
                    ("Nasser", "ناصر"), ("Shaker", "شاكر"), ("Ezzat", "عزت"), ("Lotfy", "لطفي"),
                    ("Hegazy", "حجازي"), ("Ragab", "رجب"), ("Osman", "عثمان"), ("Abdel Aziz", "عبد العزيز")],
    },
    "DZ": {
        "male": [("Abdelkader", "عبد القادر"), ("Rachid", "رشيد"), ("Mehdi", "مهدي"), ("Yacine", "ياسين"),
                 ("Sofiane", "سفيان"), ("Karim", "كريم"), ("Mourad", "مراد"), ("Nassim", "نسيم")],
        "female": [("Nadia", "نادية"), ("Samira", "سميرة"), ("Meriem", "مريم"), ("Imane", "إيمان"),
                   ("Lamia", "لمياء"), ("Souad", "سعاد")],
        "surname": [("Benali", "بن علي"), ("Bouzid", "بوزيد"), ("Belkacem", "بلقاسم"), ("Zeroual", "زروال"),
                    ("Boudiaf", "بوضياف"), ("Haddad", "حداد"), ("Mansouri", "منصوري"), ("Saidi", "سعيدي")],
    },
    "MA": {
        "male": [("Mohammed", "محمد"), ("Youssef", "يوسف"), ("Hamza", "حمزة"), ("Driss", "إدريس"),
                 ("Anas", "أنس"), ("Othmane", "عثمان"), ("Abdellah", "عبد الله")],
        "female": [("Khadija", "خديجة"), ("Zineb", "زينب"), ("Fatima Zahra", "فاطمة الزهراء"), ("Houda", "هدى"),
                   ("Salma", "سلمى"), ("Ghizlane", "غزلان")],
        "surname": [("Amrani", "العمراني"), ("Bennani", "بناني"), ("El Idrissi", "الإدريسي"), ("Tazi", "التازي"),
                    ("Alaoui", "العلوي"), ("Berrada", "برادة"), ("Chraibi", "الشرايبي"), ("Fassi", "الفاسي")],
    },
    "TN": {
        "male": [("Anis", "أنيس"), ("Slim", "سليم"), ("Mehdi", "مهدي"), ("Walid", "وليد"), ("Skander", "إسكندر"),
                 ("Hatem", "حاتم")],
        "female": [("Ines", "إيناس"), ("Soumaya", "سمية"), ("Rim", "ريم"), ("Olfa", "ألفة"), ("Asma", "أسماء"),
                   ("Leila", "ليلى")],
        "surname": [("Trabelsi", "الطرابلسي"), ("Jaziri", "الجزيري"), ("Gharbi", "الغربي"), ("Ben Salem", "بن سالم"),
                    ("Mejri", "المجري"), ("Chaabane", "شعبان"), ("Ayari", "العياري")],
    },
    "IQ": {
        "male": [("Ali", "علي"), ("Haider", "حيدر"), ("Mustafa", "مصطفى"), ("Hussein", "حسين"), ("Ammar", "عمار"),
                 ("Saad", "سعد")],
        "female": [("Zainab", "زينب"), ("Noor", "نور"), ("Shahad", "شهد"), ("Rusul", "رسل"), ("Huda", "هدى")],
        "surname": [("Al-Jubouri", "الجبوري"), ("Al-Obaidi", "العبيدي"), ("Al-Tamimi", "التميمي"),
                    ("Al-Rubaie", "الربيعي"), ("Al-Khafaji", "الخفاجي"), ("Al-Saadi", "الساعدي")],
    },
    "LY": {
        "male": [("Salem", "سالم"), ("Abdulhamid", "عبد الحميد"), ("Faraj", "فرج"), ("Osama", "أسامة"),
                 ("Nouri", "نوري"), ("Mohamed", "محمد")],
        "female": [("Fatima", "فاطمة"), ("Huda", "هدى"), ("Amal", "أمل"), ("Najla", "نجلاء"), ("Sara", "سارة")],
        "surname": [("Al-Mahdi", "المهدي"), ("Ben Omran", "بن عمران"), ("Al-Warfalli", "الورفلي"),
                    ("Al-Misrati", "المصراتي"), ("Ghadamsi", "الغدامسي"), ("Al-Zintani", "الزنتاني")],
    },
    "TD": {
        "male": [("Mahamat", "محمد"), ("Idriss", "إدريس"), ("Abakar", "أبكر"), ("Moussa", "موسى"),
                 ("Zakaria", "زكريا"), ("Hassan", "حسن")],
        "female": [("Achta", "أشطة"), ("Halimé", "حليمة"), ("Fatimé", "فاطمة"), ("Khadidja", "خديجة"),
                   ("Zenaba", "زينب")],
        "surname": [("Abdelkerim", "عبد الكريم"), ("Djibrine", "جبرين"), ("Adoum", "آدم"), ("Haroun", "هارون"),
                    ("Brahim", "إبراهيم"), ("Saleh", "صالح")],
    },
    "SS": {
        "male": ["John", "Peter", "James", "Daniel", "Joseph", "Michael", "Santino"],
        "female": ["Mary", "Rebecca", "Grace", "Martha", "Nyandeng", "Achol"],
        "surname": ["Deng", "Garang", "Akol", "Mayen", "Lual", "Majok", "Kuol", "Machar"],
    },
    "CI": {
        "male": ["Kouadio", "Serge", "Jean-Baptiste", "Yves", "Franck", "Koffi", "Didier"],
        "female": ["Aya", "Adjoua", "Awa", "Affoué", "Christelle", "Mariam"],
        "surname": ["Kouassi", "Koné", "Yao", "Ouattara", "Bamba", "Kouamé", "N'Guessan", "Touré"],
    },
    "ML": {
        "male": ["Moussa", "Boubacar", "Oumar", "Modibo", "Seydou", "Mamadou"],
        "female": ["Aminata", "Fatoumata", "Kadiatou", "Assétou", "Oumou", "Mariam"],
        "surname": ["Keïta", "Traoré", "Coulibaly", "Diarra", "Sangaré", "Maïga", "Cissé", "Dembélé"],
    },
    "NE": {
        "male": ["Ibrahim", "Hamidou", "Abdoulaye", "Souleymane", "Issa", "Amadou"],
        "female": ["Zeinabou", "Hadiza", "Salamatou", "Mariama", "Rakia"],
        "surname": ["Issoufou", "Abdou", "Hamani", "Ousmane", "Mahamadou", "Idrissa", "Garba"],
    },
    "NG": {
        "male": ["Chinedu", "Emeka", "Tunde", "Oluwaseun", "Musa", "Ibrahim", "Babatunde"],
        "female": ["Ngozi", "Aisha", "Funmilayo", "Hauwa", "Ifeoma", "Chiamaka"],
        "surname": ["Okafor", "Adeyemi", "Bello", "Okonkwo", "Eze", "Abubakar", "Adebayo", "Nwosu", "Usman"],
    },
    "FR": {
        "male": ["Julien", "Nicolas", "Antoine", "Mathieu", "Thomas", "François"],
        "female": ["Claire", "Sophie", "Camille", "Élise", "Hélène", "Juliette"],
        "surname": ["Martin", "Bernard", "Dubois", "Laurent", "Moreau", "Lefebvre", "Girard", "Mercier"],
    },
    "GR": {
        "male": ["Georgios", "Dimitris", "Nikos", "Yannis", "Konstantinos"],
        "female": ["Eleni", "Maria", "Katerina", "Sofia", "Despina"],
        "surname": ["Papadakis", "Nikolaidis", "Georgiou", "Dimitriou", "Vasileiou", "Konstantinou"],
    },
    "IT": {
        "male": ["Marco", "Luca", "Alessandro", "Giovanni", "Matteo"],
        "female": ["Giulia", "Francesca", "Chiara", "Paola", "Sara"],
        "surname": ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"],
    },
    "MT": {
        "male": ["Joseph", "Mark", "Daniel", "Luke", "Christian"],
        "female": ["Maria", "Christine", "Roberta", "Rachel", "Josianne"],
        "surname": ["Borg", "Camilleri", "Vella", "Farrugia", "Zammit", "Galea", "Micallef", "Grech"],
    },
    "ES": {
        "male": ["Javier", "Pablo", "Alejandro", "Sergio", "Miguel"],
        "female": ["Lucía", "Carmen", "Marta", "Elena", "Laura"],
        "surname": ["García", "Fernández", "López", "Martínez", "Sánchez", "Gómez", "Navarro", "Ruiz"],
    },
    "NL": {
        "male": ["Pieter", "Daan", "Joost", "Bram", "Ruben"],
        "female": ["Anna", "Sanne", "Lotte", "Femke", "Eva"],
        "surname": ["de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer"],
    },
}
ARABIC_SCRIPT_POOLS = {"EG", "DZ", "MA", "TN", "IQ", "LY", "TD"}
POOL_LANGUAGES = {
    "EG": ["ar", "en"], "DZ": ["ar", "fr"], "MA": ["ar", "fr"], "TN": ["ar", "fr"], "IQ": ["ar", "en"],
    "LY": ["ar", "en"], "TD": ["fr", "ar"], "SS": ["en", "ar"], "CI": ["fr"], "ML": ["fr"], "NE": ["fr"],
    "NG": ["en"], "FR": ["fr", "en"], "GR": ["en"], "IT": ["en", "fr"], "MT": ["en"], "ES": ["en", "fr"],
    "NL": ["en", "fr"],
}

# (position, organization) by category; member-state organizations are national institutions.
NATIONAL_POSITIONS = [
    ("Public Prosecutor", "Public Prosecution"),
    ("Senior Public Prosecutor", "Office of the Attorney General"),
    ("Investigating Judge", "Ministry of Justice"),
    ("Judge, Court of Appeal", "Court of Appeal"),
    ("Police Investigator, Anti-Trafficking Unit", "Ministry of Interior"),
    ("Border Police Officer", "Border Police"),
    ("Financial Intelligence Analyst", "Financial Intelligence Unit"),
    ("Legal Adviser", "Ministry of Foreign Affairs"),
    ("Director, Victim Support Department", "Ministry of Social Affairs"),
    ("Cybercrime Investigator", "National Police"),
    ("Coast Guard Officer", "Coast Guard"),
    ("Labour Inspector", "Ministry of Labour"),
    ("Head of International Cooperation in Criminal Matters", "Ministry of Justice"),
]
HEAD_POSITIONS = [
    ("Director of International Cooperation", "Ministry of Justice"),
    ("Assistant Attorney General", "Office of the Attorney General"),
    ("Ambassador", "Ministry of Foreign Affairs"),
    ("Head of the National Anti-Trafficking Committee", "National Anti-Trafficking Committee"),
]
EXPERT_POSITIONS = [
    ("Liaison Magistrate", "Ministry of Justice"),
    ("Senior Prosecutor, Organised Crime Division", "Public Prosecution"),
    ("Detective Inspector, Migrant Smuggling Unit", "National Police"),
    ("Asset Recovery Expert", "Asset Recovery Office"),
    ("Digital Forensics Expert", "National Police"),
]
UNODC_POSITIONS = [
    "Crime Prevention and Criminal Justice Officer", "Programme Officer", "Project Coordinator",
    "Regional Adviser on Trafficking in Persons and Smuggling of Migrants", "Programme Assistant", "Legal Officer",
    "Communications Officer", "Finance Assistant",
]
SPEAKER_POSITIONS = [
    ("Professor of Criminal Law", "University"), ("Senior Researcher", "Institute for Security Studies"),
    ("Chief Prosecutor", "Public Prosecution"), ("Judge, Supreme Court", "Supreme Court"),
]
STAFF_POSITIONS = {
    "organizer": ["Conference Officer", "Protocol Officer", "Logistics Coordinator", "Registration Desk Officer"],
    "support": ["IT Support Officer", "Transport Coordinator", "Hospitality Assistant", "Documents Officer"],
    "security": ["Security Officer", "Venue Security Coordinator"],
    "interpreter": ["Conference Interpreter (Arabic booth)", "Conference Interpreter (French booth)",
                    "Conference Interpreter (English booth)"],
    "media": ["Journalist", "Photographer", "Camera Operator", "Correspondent"],
}
MEDIA_OUTLETS = ["Nile Daily News", "Sinai Broadcasting", "Mediterranean Press Agency", "Sahel Radio", "Red Sea TV"]


@dataclass
class ParticipantSpec:
    delegation: str | None
    category: str
    status: str
    title: str
    first_name: str
    last_name: str
    badge_name_ar: str
    gender: str
    position: str
    organization: str
    email: str
    nationality: str
    preferred_language: str
    languages_spoken: list[str]
    needs_visa_letter: bool
    hotel_needed: bool
    transfer_needed: bool
    consent_directory: bool
    consent_photos: bool
    arrival_date: datetime.date | None
    departure_date: datetime.date | None
    extra: dict = field(default_factory=dict)


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower().replace(" ", "-") if ch.isalnum() or ch == "-").strip("-")


def _composition(spec: DelegationSpec, size: int) -> list[str]:
    """The categories of a delegation's members, head first."""
    if spec.kind == "host":
        return ["head", *["organizer"] * 10, *["support"] * 6, *["security"] * 5, "speaker", "speaker",
                *["delegate"] * (size - 24)]
    if spec.kind == "un":
        return ["head", *["unodc"] * 12, "speaker", "speaker", "speaker", *["organizer"] * 3,
                *["interpreter"] * (size - 19)]
    if spec.kind == "eu_expert":
        return ["head", "speaker", *["expert"] * (size - 2)]
    if spec.kind in {"regional_body", "observer"}:
        return ["head", *["expert" if i % 2 else "delegate" for i in range(size - 1)]]
    experts = 2 if size >= 8 else 1
    return ["head", "speaker", *["expert"] * experts, *["delegate"] * (size - 2 - experts)]


def _status(rng: random.Random, category: str) -> str:
    if category in {"head", "speaker", "organizer", "unodc", "interpreter", "security", "support"}:
        return "approved"
    return rng.choices(
        ["approved", "submitted", "invited", "rejected", "cancelled"], weights=[80, 9, 6, 3, 2]
    )[0]


def participant_specs() -> list[ParticipantSpec]:
    """150–300 fictitious participants, the same on every call (seeded random)."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not secrets
    used_emails: set[str] = set()
    specs: list[ParticipantSpec] = []

    def person(pool_code: str, gender: str) -> tuple[str, str, str]:
        pool = NAME_POOLS[pool_code]
        given = rng.choice(pool[gender])
        surname = rng.choice(pool["surname"])
        if pool_code in ARABIC_SCRIPT_POOLS:
            return given[0], surname[0], f"{given[1]} {surname[1]}"
        return given, surname, ""

    def email_for(first: str, last: str) -> str:
        base = f"{_ascii(first)}.{_ascii(last)}"
        domain = rng.choice(["example.org", "example.net"])
        candidate, n = f"{base}@{domain}", 1
        while candidate in used_emails:
            n += 1
            candidate = f"{base}{n}@{domain}"
        used_emails.add(candidate)
        return candidate

    def add(delegation: DelegationSpec | None, category: str, pool_code: str, language: str) -> None:
        gender = rng.choices(["female", "male", "undisclosed"], weights=[46, 52, 2])[0]
        first, last, name_ar = person(pool_code, "male" if gender == "undisclosed" else gender)
        organization = delegation.organization if delegation and delegation.organization else ""
        if category == "head":
            position, org = rng.choice(HEAD_POSITIONS)
        elif category == "expert":
            position, org = rng.choice(EXPERT_POSITIONS)
        elif category == "speaker":
            position, org = rng.choice(SPEAKER_POSITIONS)
        elif category == "delegate":
            position, org = rng.choice(NATIONAL_POSITIONS)
        elif category == "unodc":
            position, org = rng.choice(UNODC_POSITIONS), "UNODC"
        elif category == "media":
            position, org = rng.choice(STAFF_POSITIONS["media"]), rng.choice(MEDIA_OUTLETS)
        else:
            position, org = rng.choice(STAFF_POSITIONS[category]), ""
        organization = organization or org
        if category == "head" and rng.random() < 0.35:
            title = "he"
        elif position.startswith("Judge") or position == "Investigating Judge":
            title = "judge"
        elif category in {"speaker", "expert"} and rng.random() < 0.4 or position.startswith("Professor"):
            title = "prof" if position.startswith("Professor") else "dr"
        else:
            title = {"female": "ms", "male": "mr"}.get(gender, "")
        local = pool_code == "EG"
        arrival = None if local else datetime.date(2023, 7, rng.choice([8, 9, 9, 9, 10]))
        departure = None if local else datetime.date(2023, 7, rng.choice([13, 14, 14]))
        spoken = sorted(set(POOL_LANGUAGES[pool_code]) | {language})
        specs.append(
            ParticipantSpec(
                delegation=delegation.code if delegation else None,
                category=category,
                status=_status(rng, category),
                title=title,
                first_name=first,
                last_name=last,
                badge_name_ar=name_ar,
                gender=gender,
                position=position,
                organization=organization,
                email=email_for(first, last),
                nationality=pool_code,
                preferred_language=language,
                languages_spoken=spoken,
                needs_visa_letter=not local and pool_code not in {"FR", "GR", "IT", "MT", "ES", "NL"}
                and rng.random() < 0.6,
                hotel_needed=not local,
                transfer_needed=not local and rng.random() < 0.8,
                consent_directory=rng.random() < 0.7,
                consent_photos=rng.random() < 0.8,
                arrival_date=arrival,
                departure_date=departure,
            )
        )

    for spec in delegation_specs():
        size = spec.size or (12 if spec.code == "EGY" else rng.randint(6, 9))
        for category in _composition(spec, size):
            pool_code = rng.choice(spec.pools)
            if spec.kind == "member_state" or spec.kind == "eu_expert":
                language = rng.choice(spec.languages)
            elif category == "interpreter":
                language = rng.choice(["ar", "fr", "en"])
            else:
                language = rng.choice([*spec.languages, POOL_LANGUAGES[pool_code][0]])
            add(spec, category, pool_code, language)
    for _ in range(8):  # accredited media, not part of a delegation
        pool_code = rng.choice(["EG", "EG", "FR", "TN", "NG"])
        add(None, "media", pool_code, POOL_LANGUAGES[pool_code][0])
    return specs


# --- Programme -----------------------------------------------------------------------------------
# (day 0–3, start, end, kind, room, (title en, fr, ar), (description en, fr, ar) or None, capacity, signup)
COFFEE = ("Coffee break", "Pause café", "استراحة قهوة")
LUNCH = ("Lunch", "Déjeuner", "غداء")

SESSIONS = [
    (0, "08:00", "09:30", "break", PLENARY,
     ("Registration and welcome coffee", "Inscription et café d'accueil", "التسجيل وقهوة الترحيب"),
     ("Collect your badge at the registration desk in the main lobby.",
      "Retirez votre badge au bureau d'inscription, dans le hall principal.",
      "يرجى استلام الشارة من مكتب التسجيل في البهو الرئيسي."), None, False),
    (0, "09:30", "10:30", "opening", PLENARY,
     ("Opening ceremony", "Cérémonie d'ouverture", "الجلسة الافتتاحية"),
     ("Welcome addresses by the Government of Egypt, UNODC and the European Union.",
      "Allocutions de bienvenue du Gouvernement égyptien, de l'ONUDC et de l'Union européenne.",
      "كلمات ترحيبية من حكومة جمهورية مصر العربية ومكتب الأمم المتحدة المعني بالمخدرات والجريمة والاتحاد الأوروبي."),
     None, False),
    (0, "10:30", "11:00", "break", PLENARY, COFFEE, None, None, False),
    (0, "11:00", "12:30", "presentation", PLENARY,
     ("Regional trends in trafficking in persons and smuggling of migrants",
      "Tendances régionales de la traite des personnes et du trafic illicite de migrants",
      "الاتجاهات الإقليمية للاتجار بالأشخاص وتهريب المهاجرين"),
     ("Findings from recent research on routes, profiles of offenders and victims, and modus operandi.",
      "Résultats de recherches récentes sur les routes, les profils des auteurs et des victimes et les modes opératoires.",
      "نتائج البحوث الحديثة بشأن المسارات وسمات الجناة والضحايا وأساليب العمل."), None, False),
    (0, "12:30", "13:30", "presentation", PLENARY,
     ("National coordination mechanisms: the Egyptian experience",
      "Mécanismes nationaux de coordination : l'expérience égyptienne",
      "آليات التنسيق الوطنية: التجربة المصرية"),
     ("How a national committee brings together prosecution, police, social services and civil society.",
      "Comment un comité national réunit parquet, police, services sociaux et société civile.",
      "كيف تجمع لجنة وطنية بين النيابة العامة والشرطة والخدمات الاجتماعية والمجتمع المدني."), None, False),
    (0, "13:30", "14:30", "break", PLENARY, LUNCH, None, None, False),
    (0, "14:30", "16:00", "thematic", PLENARY,
     ("Thematic session 1: Legal frameworks and criminalisation",
      "Séance thématique 1 : Cadres juridiques et incrimination",
      "الجلسة المواضيعية 1: الأطر القانونية والتجريم"),
     ("Aligning national laws with the UNTOC protocols on trafficking in persons and smuggling of migrants.",
      "Harmoniser les lois nationales avec les protocoles de la CTO sur la traite et le trafic illicite de migrants.",
      "مواءمة القوانين الوطنية مع بروتوكولي اتفاقية الجريمة المنظمة بشأن الاتجار بالأشخاص وتهريب المهاجرين."),
     None, False),
    (0, "16:00", "16:15", "break", PLENARY, COFFEE, None, None, False),
    (0, "16:15", "17:30", "panel", PLENARY,
     ("Panel: Cooperation between countries of origin, transit and destination",
      "Réunion-débat : Coopération entre pays d'origine, de transit et de destination",
      "حلقة نقاش: التعاون بين بلدان المنشأ والعبور والمقصد"),
     ("Practitioners compare what works, and what does not, along the main migration routes.",
      "Des praticiens comparent ce qui fonctionne, et ce qui ne fonctionne pas, le long des principales routes.",
      "يقارن الممارسون ما ينجح وما لا ينجح على طول مسارات الهجرة الرئيسية."), None, False),
    (0, "19:00", "21:00", "side_event", LUXOR,
     ("Welcome reception", "Réception de bienvenue", "حفل الاستقبال"),
     ("Hosted by the National Coordinating Committee (NCCPIM&TIP).",
      "Offerte par le Comité national de coordination (NCCPIM&TIP).",
      "تستضيفه اللجنة الوطنية التنسيقية لمكافحة ومنع الهجرة غير الشرعية والاتجار بالبشر."), 80, True),
    (1, "09:00", "10:30", "thematic", PLENARY,
     ("Thematic session 2: Financial investigations and asset recovery",
      "Séance thématique 2 : Enquêtes financières et recouvrement des avoirs",
      "الجلسة المواضيعية 2: التحقيقات المالية واسترداد الأصول"),
     ("Following the money: parallel financial investigations, freezing and confiscation of proceeds.",
      "Suivre l'argent : enquêtes financières parallèles, gel et confiscation des produits du crime.",
      "تتبع الأموال: التحقيقات المالية الموازية وتجميد العائدات الإجرامية ومصادرتها."), None, False),
    (1, "10:30", "11:00", "break", PLENARY, COFFEE, None, None, False),
    (1, "11:00", "12:30", "thematic", PLENARY,
     ("Thematic session 3: Mutual legal assistance and extradition",
      "Séance thématique 3 : Entraide judiciaire et extradition",
      "الجلسة المواضيعية 3: المساعدة القانونية المتبادلة وتسليم المجرمين"),
     ("Central authorities, direct channels between prosecutors, and the use of the UNTOC as a legal basis.",
      "Autorités centrales, canaux directs entre procureurs et recours à la CTO comme base juridique.",
      "السلطات المركزية والقنوات المباشرة بين أعضاء النيابة العامة واستخدام اتفاقية الجريمة المنظمة أساسًا قانونيًا."),
     None, False),
    (1, "12:30", "13:30", "presentation", PLENARY,
     ("Case study: dismantling a smuggling network on the Central Mediterranean route",
      "Étude de cas : le démantèlement d'un réseau de passeurs sur la route de la Méditerranée centrale",
      "دراسة حالة: تفكيك شبكة تهريب على مسار وسط البحر الأبيض المتوسط"),
     ("Prosecutors from both shores of the Mediterranean present a joint case.",
      "Des procureurs des deux rives de la Méditerranée présentent une affaire commune.",
      "يعرض أعضاء نيابة من ضفتي البحر الأبيض المتوسط قضية مشتركة."), None, False),
    (1, "13:30", "14:30", "break", PLENARY, LUNCH, None, None, False),
    (1, "14:30", "16:00", "working_group", LUXOR,
     ("Working group A: North Africa – Sahel corridor", "Groupe de travail A : Corridor Afrique du Nord – Sahel",
      "الفريق العامل ألف: ممر شمال أفريقيا والساحل"),
     ("Case-based discussion for investigators and prosecutors working on the Sahel routes.",
      "Discussion à partir de cas pour les enquêteurs et procureurs travaillant sur les routes du Sahel.",
      "نقاش قائم على الحالات للمحققين وأعضاء النيابة العاملين على مسارات الساحل."), 80, True),
    (1, "14:30", "16:00", "working_group", ASWAN,
     ("Working group B: Eastern route and the Red Sea", "Groupe de travail B : Route orientale et mer Rouge",
      "الفريق العامل باء: المسار الشرقي والبحر الأحمر"),
     ("Smuggling and trafficking through the Horn of Africa, the Red Sea and the Middle East.",
      "Trafic illicite et traite via la Corne de l'Afrique, la mer Rouge et le Moyen-Orient.",
      "التهريب والاتجار عبر القرن الأفريقي والبحر الأحمر والشرق الأوسط."), 60, True),
    (1, "14:30", "16:00", "working_group", ABU_SIMBEL,
     ("Working group C: West African coastal route", "Groupe de travail C : Route côtière ouest-africaine",
      "الفريق العامل جيم: المسار الساحلي لغرب أفريقيا"),
     ("Cooperation between ECOWAS states and Mediterranean partners.",
      "Coopération entre les États de la CEDEAO et les partenaires méditerranéens.",
      "التعاون بين دول إيكواس وشركاء البحر الأبيض المتوسط."), 40, True),
    (1, "16:00", "16:30", "break", PLENARY, COFFEE, None, None, False),
    (1, "16:30", "17:45", "panel", PLENARY,
     ("Panel: Specialised prosecution units and judicial training",
      "Réunion-débat : Parquets spécialisés et formation judiciaire",
      "حلقة نقاش: وحدات النيابة المتخصصة والتدريب القضائي"),
     ("Building and keeping expertise in prosecution services and the judiciary.",
      "Constituer et préserver l'expertise au sein des parquets et de la magistrature.",
      "بناء الخبرات والحفاظ عليها في النيابة العامة والسلطة القضائية."), None, False),
    (2, "09:00", "10:30", "thematic", PLENARY,
     ("Thematic session 4: Protection of victims and the non-punishment principle",
      "Séance thématique 4 : Protection des victimes et principe de non-sanction",
      "الجلسة المواضيعية 4: حماية الضحايا ومبدأ عدم المعاقبة"),
     ("Identification, referral, protection in criminal proceedings, and compensation of victims.",
      "Identification, orientation, protection dans la procédure pénale et indemnisation des victimes.",
      "تحديد هوية الضحايا وإحالتهم وحمايتهم في الإجراءات الجنائية وتعويضهم."), None, False),
    (2, "10:30", "11:00", "break", PLENARY, COFFEE, None, None, False),
    (2, "11:00", "12:30", "thematic", PLENARY,
     ("Thematic session 5: Digital evidence and online exploitation",
      "Séance thématique 5 : Preuves numériques et exploitation en ligne",
      "الجلسة المواضيعية 5: الأدلة الرقمية والاستغلال عبر الإنترنت"),
     ("Recruitment and advertising online, requests to service providers, and electronic evidence abroad.",
      "Recrutement et publicité en ligne, demandes aux fournisseurs de services et preuves électroniques à l'étranger.",
      "التجنيد والإعلان عبر الإنترنت والطلبات الموجهة إلى مقدمي الخدمات والأدلة الإلكترونية في الخارج."),
     None, False),
    (2, "12:30", "13:30", "presentation", PLENARY,
     ("EU support to investigations and prosecutions", "L'appui de l'UE aux enquêtes et aux poursuites",
      "دعم الاتحاد الأوروبي للتحقيقات والملاحقات القضائية"),
     ("Tools available to partner countries for operational cooperation with EU member states.",
      "Les outils à la disposition des pays partenaires pour la coopération opérationnelle avec les États membres de l'UE.",
      "الأدوات المتاحة للبلدان الشريكة للتعاون العملياتي مع الدول الأعضاء في الاتحاد الأوروبي."), None, False),
    (2, "13:30", "14:30", "break", PLENARY, LUNCH, None, None, False),
    (2, "14:30", "16:00", "thematic", PLENARY,
     ("Thematic session 6: Joint investigation teams", "Séance thématique 6 : Équipes communes d'enquête",
      "الجلسة المواضيعية 6: فرق التحقيق المشتركة"),
     ("Setting up a joint investigation team with partners outside Europe: agreements, funding, evidence.",
      "Constituer une équipe commune d'enquête avec des partenaires hors d'Europe : accords, financement, preuves.",
      "إنشاء فريق تحقيق مشترك مع شركاء من خارج أوروبا: الاتفاقات والتمويل والأدلة."), None, False),
    (2, "14:30", "15:30", "side_event", ABU_SIMBEL,
     ("Side event: Survivors' voices in shaping policy",
      "Manifestation parallèle : La voix des survivants dans l'élaboration des politiques",
      "مناسبة جانبية: أصوات الناجين في صياغة السياسات"),
     ("Organised with civil society partners; places are limited.",
      "Organisée avec des partenaires de la société civile ; places limitées.",
      "تُنظم بالتعاون مع شركاء المجتمع المدني؛ عدد المقاعد محدود."), 40, True),
    (2, "16:00", "16:30", "break", PLENARY, COFFEE, None, None, False),
    (2, "16:30", "17:45", "panel", PLENARY,
     ("Panel: Gender-sensitive approaches to investigations",
      "Réunion-débat : Approches tenant compte des questions de genre dans les enquêtes",
      "حلقة نقاش: النُهج المراعية للمنظور الجنساني في التحقيقات"),
     ("Women and children as victims, witnesses and offenders in smuggling and trafficking cases.",
      "Femmes et enfants victimes, témoins et auteurs dans les affaires de trafic illicite et de traite.",
      "النساء والأطفال بوصفهم ضحايا وشهودًا وجناة في قضايا التهريب والاتجار."), None, False),
    (3, "09:00", "10:30", "panel", PLENARY,
     ("Panel: Towards an inter-regional cooperation roadmap",
      "Réunion-débat : Vers une feuille de route de coopération interrégionale",
      "حلقة نقاش: نحو خارطة طريق للتعاون الأقاليمي"),
     ("Heads of delegation discuss priorities for the next two years.",
      "Les chefs de délégation débattent des priorités pour les deux prochaines années.",
      "يناقش رؤساء الوفود أولويات العامين المقبلين."), None, False),
    (3, "10:30", "11:00", "break", PLENARY, COFFEE, None, None, False),
    (3, "11:00", "12:00", "plenary", PLENARY,
     ("Reports of the rapporteurs", "Rapports des rapporteurs", "تقارير المقررين"),
     ("Summaries of the thematic sessions and working groups.",
      "Synthèses des séances thématiques et des groupes de travail.",
      "ملخصات الجلسات المواضيعية والأفرقة العاملة."), None, False),
    (3, "12:00", "12:45", "plenary", PLENARY,
     ("Adoption of the recommendations", "Adoption des recommandations", "اعتماد التوصيات"), None, None, False),
    (3, "12:45", "13:30", "closing", PLENARY,
     ("Closing ceremony", "Cérémonie de clôture", "الجلسة الختامية"),
     ("Closing remarks by the hosts and the European Union.",
      "Allocutions de clôture des hôtes et de l'Union européenne.",
      "الكلمات الختامية للجهات المضيفة والاتحاد الأوروبي."), None, False),
    (3, "13:30", "14:30", "break", PLENARY, LUNCH, None, None, False),
]


def session_times(day: int, start: str, end: str) -> tuple[datetime.datetime, datetime.datetime]:
    """Conference-local (Africa/Cairo) times of a programme row, as aware UTC datetimes."""
    date = CONFERENCE["start_date"] + datetime.timedelta(days=day)

    def at(hhmm: str) -> datetime.datetime:
        hour, minute = (int(part) for part in hhmm.split(":"))
        return datetime.datetime(date.year, date.month, date.day, hour, minute, tzinfo=TZ).astimezone(datetime.UTC)

    return at(start), at(end)


# How many people of each role a session kind gets.
ROLE_PLAN = {
    "opening": {"chair": 1, "speaker": 3},
    "presentation": {"chair": 1, "speaker": 2},
    "thematic": {"chair": 1, "speaker": 3, "rapporteur": 1},
    "panel": {"moderator": 1, "panelist": 4},
    "working_group": {"moderator": 1, "rapporteur": 1},
    "plenary": {"chair": 1},
    "closing": {"chair": 1, "speaker": 2},
    "side_event": {"moderator": 1, "speaker": 2},
}


def role_assignments(specs: list[ParticipantSpec]) -> list[tuple[int, str, str, int]]:
    """(session index in SESSIONS, role, participant e-mail, order): the same on every call."""
    rng = random.Random(SEED + 1)  # noqa: S311 - reproducible demo data, not secrets
    approved = [spec for spec in specs if spec.status == "approved"]
    by_role = {
        "chair": [s.email for s in approved if s.category in {"head", "unodc"}],
        "moderator": [s.email for s in approved if s.category in {"unodc", "expert", "head"}],
        "speaker": [s.email for s in approved if s.category in {"speaker", "expert", "head"}],
        "panelist": [s.email for s in approved if s.category in {"head", "expert", "speaker"}],
        "rapporteur": [s.email for s in approved if s.category in {"unodc", "delegate", "expert"}],
    }
    rows = []
    for index, row in enumerate(SESSIONS):
        plan = ROLE_PLAN.get(row[3], {})
        chosen: set[str] = set()
        order = 0
        for role, count in plan.items():
            pool = [email for email in by_role[role] if email not in chosen]
            for email in rng.sample(pool, count):
                chosen.add(email)
                rows.append((index, role, email, order))
                order += 1
    return rows
