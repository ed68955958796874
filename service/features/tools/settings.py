"""The tool evaluation's school settings: its deadlines and the commission's decision rule."""

from service.platform.registry import Setting

TOOL_VOTE_QUORUM = "tool_vote_quorum"
TOOL_VOTE_MAJORITY = "tool_vote_majority"

SETTINGS = {
    "tool_vote_deadline": Setting(
        "duration",
        "P7D",
        {
            "kk": "Комиссия мүшелерінің дауыс беру мерзімі",
            "ru": "Срок голосования членов комиссии",
            "en": "Time for the commission members to vote",
        },
    ),
    "tool_review_period": Setting(
        "duration",
        "P1Y",
        {
            "kk": "Рұқсат етілген құралды қайта бағалау мерзімі",
            "ru": "Срок до повторной оценки разрешённого инструмента",
            "en": "Time until a permitted tool is evaluated again",
        },
    ),
    TOOL_VOTE_QUORUM: Setting(
        "fraction",
        "1/2",
        {
            "kk": "Комиссияның кворумы: дауыс берген мүшелер осы үлестен көп болуы керек",
            "ru": "Кворум комиссии: проголосовать должно больше этой доли членов",
            "en": "Commission quorum: more than this share of the members must vote",
        },
        env="TOOL_VOTE_QUORUM",
        below_one=True,
    ),
    TOOL_VOTE_MAJORITY: Setting(
        "fraction",
        "1/2",
        {
            "kk": "Комиссияның шешімі: берілген дауыстардың осы үлесінен көбі",
            "ru": "Решение комиссии: больше этой доли поданных голосов",
            "en": "Commission decision: more than this share of the votes cast",
        },
        env="TOOL_VOTE_MAJORITY",
        below_one=True,
    ),
}
