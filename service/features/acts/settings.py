"""The amendment process's school settings (read by `bpmn/regulation_amendment.bpmn`'s timers)."""

from service.platform.registry import Setting

SETTINGS = {
    "amendment_comment_deadline": Setting(
        "duration",
        "P3D",
        {
            "kk": "Жұмыс тобының өзгеріс жобасын талқылау мерзімі",
            "ru": "Срок обсуждения проекта изменений рабочей группой",
            "en": "Time for the working group to discuss an amendment",
        },
    ),
}
