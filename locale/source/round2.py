"""Translations added after the first extraction (French, Arabic)."""

T = {
    "Render badges for selected participants": (
        "Générer les badges des participants sélectionnés",
        "إنشاء شارات المشاركين المحددين",
    ),
    "Rendering %(count)d badges: follow the progress on the desk's batch page.": (
        "Génération de %(count)d badges : suivez l'avancement sur la page des lots de l'accueil.",
        "جارٍ إنشاء %(count)d شارة: تابع التقدم في صفحة الدفعات في مكتب الاستقبال.",
    ),
    "%(email)s has a newer invitation; resend that one instead.": (
        "%(email)s a une invitation plus récente ; renvoyez plutôt celle-ci.",
        "لدى %(email)s دعوة أحدث؛ أعد إرسالها بدلًا من ذلك.",
    ),
    "A bilateral meeting needs two different delegations.": (
        "Une réunion bilatérale nécessite deux délégations différentes.",
        "يتطلب الاجتماع الثنائي وفدين مختلفين.",
    ),
    "The meeting must end after it starts.": (
        "La réunion doit se terminer après son début.",
        "يجب أن ينتهي الاجتماع بعد بدئه.",
    ),
    "The meeting must take place within the conference dates.": (
        "La réunion doit avoir lieu pendant la conférence.",
        "يجب أن يُعقد الاجتماع خلال مواعيد المؤتمر.",
    ),
    "%(room)s is already booked at that time.": (
        "%(room)s est déjà réservée à cette heure.",
        "القاعة %(room)s محجوزة بالفعل في هذا الوقت.",
    ),
    "public identifier": ("identifiant public", "المعرّف العام"),
    "decided by": ("décidé par", "صاحب القرار"),
    "checked in by": ("arrivée enregistrée par", "سجَّل الوصول"),
    "created": ("créé le", "تاريخ الإنشاء"),
    "updated": ("mis à jour le", "تاريخ التحديث"),
    "fingerprint": ("empreinte", "البصمة"),
    "file": ("fichier", "الملف"),
    "rendered": ("généré le", "تاريخ الإنشاء"),
    "agenda file": ("fichier de l'ordre du jour", "ملف جدول الأعمال"),
    "agenda files": ("fichiers de l'ordre du jour", "ملفات جدول الأعمال"),
    "offline": ("hors ligne", "غير متصل"),
    "list separator\x04, ": (", ", "، "),
}
