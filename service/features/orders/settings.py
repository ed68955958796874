"""The order process's school settings: its reminders (read by `bpmn/order_drafting.bpmn`'s timers)."""

from service.platform.registry import Setting

SETTINGS = {
    "legal_review_reminder": Setting(
        "duration",
        "P2D",
        {
            "kk": "Заңгерге құқықтық сараптаманы еске салу мерзімі",
            "ru": "Напоминание юристу о правовой экспертизе через",
            "en": "Remind the lawyer of a legal review after",
        },
    ),
    "acknowledgement_reminder": Setting(
        "duration",
        "P3D",
        {
            "kk": "Бұйрықпен немесе жаңа редакциямен танысуды еске салу мерзімі",
            "ru": "Напоминание об ознакомлении с приказом или новой редакцией через",
            "en": "Remind people to acknowledge an order or a new edition after",
        },
    ),
}
