"""Translations: the organizers' e-mail texts (French, Arabic)."""

T = {
    "Registration approved": ("Inscription approuvée", "الموافقة على التسجيل"),
    "Registration not approved": ("Inscription non approuvée", "عدم الموافقة على التسجيل"),
    "Registration cancelled": ("Inscription annulée", "إلغاء التسجيل"),
    "Promotion from a session waiting list": (
        "Passage de la liste d'attente d'une séance",
        "الانتقال من قائمة انتظار جلسة",
    ),
    "subject (English)": ("objet (anglais)", "الموضوع (بالإنكليزية)"),
    "subject (French)": ("objet (français)", "الموضوع (بالفرنسية)"),
    "subject (Arabic)": ("objet (arabe)", "الموضوع (بالعربية)"),
    "Leave empty to keep the default subject.": (
        "Laissez vide pour garder l'objet par défaut.",
        "اتركه فارغًا للإبقاء على الموضوع الافتراضي.",
    ),
    "message (English)": ("message (anglais)", "الرسالة (بالإنكليزية)"),
    "message (French)": ("message (français)", "الرسالة (بالفرنسية)"),
    "message (Arabic)": ("message (arabe)", "الرسالة (بالعربية)"),
    "A personal message from the organizers, shown at the top of the e-mail.": (
        "Un message personnel des organisateurs, affiché en haut de l'e-mail.",
        "رسالة شخصية من المنظمين تظهر في أعلى البريد الإلكتروني.",
    ),
    "e-mail text": ("texte d'e-mail", "نص البريد الإلكتروني"),
    "e-mail texts": ("textes d'e-mail", "نصوص البريد الإلكتروني"),
}
