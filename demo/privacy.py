"""The demo conference's privacy notice (version 1, three languages) and retention policy.

The demo keeps its July 2023 dates, long past every retention: its policy pauses the daily purge (allowed where
``PRIVACY_ALLOW_PAUSE`` is on, as in the embedded mode), so a beat running beside ``make run`` does not empty the
demo; ``manage.py purge_personal_data --conference sharm2023 --dry-run`` shows what a purge would remove.

(Being named ``privacy.py``, this module is also imported by the privacy registry's autodiscovery; the demo has
no models to declare.)
"""

from __future__ import annotations

from collections import Counter

NOTICE = {
    "text": (
        "The secretariat processes your personal data only to organize your participation in the meeting: "
        "registration, badges, visa support letters, travel and accommodation. Passport data is seen only by "
        "the visa officers and is deleted 30 days after the meeting; photos after 90 days; travel and hotel "
        "details after 60 days; contact details and the directory after one year; the rest after two years, "
        "keeping only anonymous counts. Every reading of your passport data, photo or travel is logged, and you "
        "can see who read it, download your data or ask for its deletion from the page \"My data\"."
    ),
    "text_fr": (
        "Le secrétariat traite vos données personnelles dans le seul but d'organiser votre participation à la "
        "réunion : inscription, badges, lettres d'appui à la demande de visa, voyage et hébergement. Les données "
        "de passeport ne sont vues que par les agents chargés des visas et sont supprimées 30 jours après la "
        "réunion ; les photos après 90 jours ; le voyage et l'hôtel après 60 jours ; les coordonnées et "
        "l'annuaire après un an ; le reste après deux ans, seuls des décomptes anonymes étant conservés. Chaque "
        "consultation de vos données de passeport, de votre photo ou de votre voyage est enregistrée : la page "
        "« Mes données » vous montre qui les a consultées et vous permet de les télécharger ou d'en demander "
        "la suppression."
    ),
    "text_ar": (
        "لا تعالج الأمانة بياناتك الشخصية إلا لتنظيم مشاركتك في الاجتماع: التسجيل والشارات ورسائل دعم التأشيرة "
        "والسفر والإقامة. لا يطّلع على بيانات جواز السفر إلا الموظفون المكلفون بالتأشيرات، وتُحذف بعد 30 يومًا من "
        "الاجتماع؛ والصور بعد 90 يومًا؛ وبيانات السفر والفندق بعد 60 يومًا؛ وبيانات الاتصال والدليل بعد سنة؛ "
        "والباقي بعد سنتين، ولا يُحتفظ إلا بأعداد مجهولة الهوية. ويُسجَّل كل اطلاع على بيانات جواز سفرك أو صورتك "
        "أو سفرك، وتتيح لك صفحة «بياناتي» معرفة من اطّلع عليها وتنزيلها وطلب حذفها."
    ),
}

RETENTION = {
    "sensitive_days": 30, "photos_days": 90, "travel_hotel_days": 60, "contacts_directory_days": 365,
    "rest_days": 730,
}


def seed_privacy(conference) -> Counter:
    """Publish the notice and set the policy when the conference has none (a second run writes nothing)."""
    from django.conf import settings

    from privacy.models import PrivacyNotice, RetentionPolicy
    from privacy.services.notices import notice_publish
    from privacy.services.purge import retention_policy_set

    created: Counter = Counter()
    if not PrivacyNotice.objects.filter(conference=conference).exists():
        notice_publish(conference, actor=None, **NOTICE)
        created["privacy notice"] += 1
    if not RetentionPolicy.objects.filter(conference=conference).exists():
        retention_policy_set(conference, actor=None, automatic_purge=not settings.PRIVACY_ALLOW_PAUSE, **RETENTION)
        created["retention policy"] += 1
    return created
