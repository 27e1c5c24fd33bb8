"""Round 5: visa support letters (PDF, e-mail, admin action, refusals)."""

T = {
    "Issue visa letters": ("Émettre les lettres de visa", "إصدار خطابات التأشيرة"),
    "No participant selected.": ("Aucun participant sélectionné.", "لم يتم اختيار أي مشارك."),
    "Your visa support letter: %(conference)s": (
        "Votre lettre d’appui pour le visa : %(conference)s",
        "خطاب دعم التأشيرة الخاص بك: %(conference)s",
    ),
    "the Arab Republic of Egypt": ("la République arabe d’Égypte", "جمهورية مصر العربية"),
    "%(name)s is not approved: a visa letter is issued only to approved participants.": (
        "%(name)s n’est pas approuvé·e : une lettre de visa n’est délivrée qu’aux participants approuvés.",
        "%(name)s غير معتمد: لا يصدر خطاب التأشيرة إلا للمشاركين المعتمدين.",
    ),
    "%(name)s did not ask for a visa letter.": (
        "%(name)s n’a pas demandé de lettre de visa.",
        "%(name)s لم يطلب خطاب تأشيرة.",
    ),
    "%(name)s has no passport number on file: add the travel document first.": (
        "Aucun numéro de passeport n’est enregistré pour %(name)s : ajoutez d’abord le document de voyage.",
        "لا يوجد رقم جواز سفر مسجل لـ %(name)s: أضف وثيقة السفر أولاً.",
    ),
    "Please find attached your visa support letter for <strong><bdi>%(conference_name)s</bdi></strong> "
    "(reference <bdi>%(reference)s</bdi>).": (
        "Veuillez trouver ci-joint votre lettre d’appui pour le visa pour <strong><bdi>%(conference_name)s</bdi>"
        "</strong> (référence <bdi>%(reference)s</bdi>).",
        "تجدون مرفقاً خطاب دعم التأشيرة الخاص بكم لحضور <strong><bdi>%(conference_name)s</bdi></strong> "
        "(المرجع <bdi>%(reference)s</bdi>).",
    ),
    "Please find attached your visa support letter for %(conference_name)s (reference %(reference)s).": (
        "Veuillez trouver ci-joint votre lettre d’appui pour le visa pour %(conference_name)s "
        "(référence %(reference)s).",
        "تجدون مرفقاً خطاب دعم التأشيرة الخاص بكم لحضور %(conference_name)s (المرجع %(reference)s).",
    ),
    "Present it with your visa application to the embassy or consulate. Keep it private: it contains your "
    "passport details.": (
        "Présentez-la avec votre demande de visa à l’ambassade ou au consulat. Gardez-la confidentielle : elle "
        "contient les données de votre passeport.",
        "قدّموه مع طلب التأشيرة إلى السفارة أو القنصلية. احتفظوا به بسرية: فهو يتضمن بيانات جواز سفركم.",
    ),
    "Reference:": ("Référence :", "المرجع:"),
    "Date:": ("Date :", "التاريخ:"),
    "To the Embassy/Consulate of %(host_country)s": (
        "À l’Ambassade/au Consulat de %(host_country)s",
        "إلى سفارة/قنصلية %(host_country)s",
    ),
    "To the Embassy/Consulate concerned": ("À l’Ambassade/au Consulat concerné", "إلى السفارة/القنصلية المعنية"),
    "Subject: request for an entry visa": (
        "Objet : demande de visa d’entrée",
        "الموضوع: طلب منح تأشيرة دخول",
    ),
    "Excellency,": ("Excellence,", "سعادة السفير/القنصل،"),
    "We have the honour to confirm that the person named below is registered and approved to attend "
    "%(conference_name)s, to be held at %(venue)s, %(city)s, from %(start)s to %(end)s.": (
        "Nous avons l’honneur de confirmer que la personne nommée ci-dessous est inscrite et admise à participer "
        "à %(conference_name)s, qui se tiendra à %(venue)s, %(city)s, du %(start)s au %(end)s.",
        "يشرفنا أن نؤكد أن الشخص المذكور أدناه مسجل ومعتمد لحضور %(conference_name)s، الذي سيعقد في "
        "%(venue)s، %(city)s، في الفترة من %(start)s إلى %(end)s.",
    ),
    "Full name (as in passport)": ("Nom complet (comme dans le passeport)", "الاسم الكامل (كما في جواز السفر)"),
    "We would be grateful if you could grant this person an entry visa for the duration of the conference. "
    "The organizers cover no costs other than those stated in the invitation.": (
        "Nous vous saurions gré de bien vouloir accorder à cette personne un visa d’entrée pour la durée de la "
        "conférence. Les organisateurs ne prennent en charge aucun frais autre que ceux indiqués dans "
        "l’invitation.",
        "نرجو التكرم بمنح هذا الشخص تأشيرة دخول طوال مدة المؤتمر. ولا يتحمل المنظمون أي تكاليف غير تلك "
        "المذكورة في الدعوة.",
    ),
    "Please accept, Excellency, the assurances of our highest consideration.": (
        "Veuillez agréer, Excellence, les assurances de notre très haute considération.",
        "وتفضلوا بقبول فائق الاحترام والتقدير.",
    ),
    "The organizers": ("Les organisateurs", "المنظمون"),
}

P = {
    "%(count)d visa letter issued and e-mailed.": (
        ("%(count)d lettre de visa émise et envoyée.", "%(count)d lettres de visa émises et envoyées."),
        (
            "لم يصدر أي خطاب تأشيرة (%(count)d).",
            "صدر خطاب تأشيرة واحد وأرسل بالبريد (%(count)d).",
            "صدر خطابا تأشيرة وأرسلا بالبريد (%(count)d).",
            "صدرت %(count)d خطابات تأشيرة وأرسلت بالبريد.",
            "صدر %(count)d خطاب تأشيرة وأرسل بالبريد.",
            "صدر %(count)d خطاب تأشيرة وأرسل بالبريد.",
        ),
    ),
}
