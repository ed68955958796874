"""The incident process's school settings: its deadlines and the council's voting rule.

The quorum and the tie rule used to be parameters of the diagram's `open_council_vote` task; a diagram
parameter still applies where the admin and the environment set nothing.
"""

from service.platform.registry import Setting

COUNCIL_QUORUM = "council_quorum"
COUNCIL_TIE_BREAK = "council_tie_break"

SETTINGS = {
    "triage_deadline": Setting(
        "duration",
        "PT24H",
        {
            "kk": "Жауапты тұлғаның инцидентті қарау мерзімі",
            "ru": "Срок рассмотрения инцидента ответственным лицом",
            "en": "Time for the responsible person to triage an incident",
        },
    ),
    "vote_deadline": Setting(
        "duration",
        "P5D",
        {
            "kk": "Кеңес мүшелерінің дауыс беру мерзімі",
            "ru": "Срок голосования членов совета",
            "en": "Time for the council members to vote",
        },
    ),
    COUNCIL_QUORUM: Setting(
        "fraction",
        "2/3",
        {
            "kk": "Кеңестің кворумы: қатысуы керек мүшелердің үлесі",
            "ru": "Кворум совета: доля членов, которые должны участвовать",
            "en": "Council quorum: the share of members who must take part",
        },
        env="COUNCIL_VOTE_QUORUM",
    ),
    COUNCIL_TIE_BREAK: Setting(
        "choice",
        "chair",
        {
            "kk": "Кеңесте дауыстар тең болғанда",
            "ru": "При равенстве голосов в совете",
            "en": "When the council's votes are tied",
        },
        choices={
            "chair": {
                "kk": "төрағаның дауысы шешеді",
                "ru": "решает голос председателя",
                "en": "the chair's vote decides",
            },
            "none": {
                "kk": "шешім қабылданбайды",
                "ru": "решение не принимается",
                "en": "no decision is taken",
            },
        },
        env="COUNCIL_TIE_BREAK",
    ),
}
