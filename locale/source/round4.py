"""Translations: fourth extraction (badge batch leases) (French, Arabic)."""

T = {
    "last sign of life": ("dernier signe d'activité", "آخر مؤشر على النشاط"),
    "This batch is not failed or stalled; it cannot be run again.": (
        "Ce lot n'a pas échoué et n'est pas bloqué ; il ne peut pas être relancé.",
        "هذه الدفعة لم تفشل ولم تتوقف؛ لا يمكن تشغيلها مرة أخرى.",
    ),
    "The batch was queued again.": ("Le lot a été remis en file d'attente.", "أُعيدت الدفعة إلى قائمة الانتظار."),
    "Stalled: run again": ("Bloqué : relancer", "متوقفة: أعد التشغيل"),
    "Run again": ("Relancer", "إعادة التشغيل"),
}
