"""The ready survey templates of plan items 1, 9 and 26, in Kazakh, Russian and English.

A template is data, not a record: loading one creates a draft survey its keeper may still edit. Its key
stays on every survey made from it, so September's and May's runs of the same template compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _t(kk: str, ru: str, en: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru, "en": en}


def _choice(
    kind: str, text: dict[str, str], options: list[dict[str, str]], dont_know: bool = False
) -> dict[str, Any]:
    return {
        "type": kind,
        "text": text,
        "options": [{"value": f"o{n}", "text": o} for n, o in enumerate(options, 1)],
        "dont_know": dont_know,
        "required": True,
    }


def _scale(text: dict[str, str], low: dict[str, str], high: dict[str, str]) -> dict[str, Any]:
    return {"type": "scale", "text": text, "low": low, "high": high, "dont_know": True, "required": True}


def _free(kind: str, text: dict[str, str]) -> dict[str, Any]:
    return {"type": kind, "text": text, "required": False}


_LOW = _t("Мүлде сенімсізбін", "Совсем не уверен(а)", "Not confident at all")
_HIGH = _t("Толық сенімдімін", "Полностью уверен(а)", "Fully confident")
_TOOLS = [
    _t("ChatGPT", "ChatGPT", "ChatGPT"),
    _t("Gemini", "Gemini", "Gemini"),
    _t("Microsoft Copilot", "Microsoft Copilot", "Microsoft Copilot"),
    _t("Аударма құралдары", "Инструменты перевода", "Translation tools"),
    _t("Презентация жасау құралдары", "Инструменты для презентаций", "Presentation makers"),
    _t("Пайдаланбаймын", "Не использую", "I do not use any"),
]
_PURPOSES = [
    _t("Мәтін дайындау", "Подготовка текстов", "Preparing texts"),
    _t("Сабақ жоспарлау", "Планирование уроков", "Lesson planning"),
    _t("Талдау және есептер", "Анализ и отчёты", "Analysis and reports"),
    _t("Презентациялар", "Презентации", "Presentations"),
    _t("Аударма", "Перевод", "Translation"),
]
_FORBIDDEN = _choice(
    "multiple",
    _t(
        "Ережеге сәйкес қайсысына тыйым салынған? (5.2-тармақ)",
        "Что запрещено Положением? (пункт 5.2)",
        "Which uses does the Regulation forbid? (clause 5.2)",
    ),
    [
        _t(
            "Мұғалімнің тексеруінсіз ЖИ арқылы бағалау",
            "Оценивание с помощью ИИ без проверки учителем",
            "Grading by AI without the teacher's review",
        ),
        _t(
            "Оқушылардың дербес деректерін заңды негізсіз енгізу",
            "Ввод персональных данных учеников без правового основания",
            "Entering students' personal data without legal basis",
        ),
        _t(
            "Сабаққа материал дайындауда ЖИ-ді пайдалану",
            "Использование ИИ при подготовке материалов к уроку",
            "Using AI to prepare lesson material",
        ),
    ],
    dont_know=True,
)
_TRAINING = _choice(
    "multiple",
    _t("Қандай оқыту қажет?", "Какое обучение вам нужно?", "What training do you need?"),
    [
        _t("ЖИ негіздері", "Основы ИИ", "AI basics"),
        _t("Промпт жазу", "Составление запросов (промптов)", "Writing prompts"),
        _t("Деректерді қорғау", "Защита данных", "Data protection"),
        _t("Академиялық адалдық", "Академическая честность", "Academic integrity"),
        _t("Рұқсат етілген құралдармен жұмыс", "Работа с разрешёнными инструментами", "Permitted tools"),
    ],
)


@dataclass(frozen=True)
class Template:
    key: str
    plan_item: int
    privacy: str
    title: dict[str, str]
    intro: dict[str, str]
    questions: list[dict[str, Any]]


TEMPLATES: tuple[Template, ...] = (
    Template(
        key="ai_knowledge",
        plan_item=1,
        privacy="anonymous",
        title=_t(
            "Педагогтердің ЖИ бойынша білім деңгейі",
            "Уровень знаний педагогов об ИИ",
            "Teachers' level of AI knowledge",
        ),
        intro=_t(
            "Сауалнама анонимді: жауаптарыңыз сіздің атыңызбен байланыстырылмайды.",
            "Опрос анонимный: ваши ответы не связываются с вашим именем.",
            "The survey is anonymous: your answers are never linked to your name.",
        ),
        questions=[
            _choice(
                "single",
                _t(
                    "Жасанды интеллект дегеніміз не екенін білесіз бе?",
                    "Знаете ли вы, что такое искусственный интеллект?",
                    "Do you know what artificial intelligence is?",
                ),
                [
                    _t("Иә, жақсы білемін", "Да, хорошо знаю", "Yes, well"),
                    _t("Жалпы түсінігім бар", "Имею общее представление", "I have a general idea"),
                    _t("Жоқ", "Нет", "No"),
                ],
                dont_know=True,
            ),
            _choice(
                "multiple",
                _t(
                    "Қандай ЖИ құралдарын пайдаланасыз?",
                    "Какими инструментами ИИ вы пользуетесь?",
                    "Which AI tools do you use?",
                ),
                _TOOLS,
            ),
            _choice(
                "multiple",
                _t("ЖИ-ді не үшін пайдаланасыз?", "Для чего вы используете ИИ?", "What do you use AI for?"),
                _PURPOSES,
            ),
            _FORBIDDEN,
            _scale(
                _t(
                    "ЖИ-ді жұмыста пайдалануға қаншалықты сенімдісіз?",
                    "Насколько вы уверены в использовании ИИ в работе?",
                    "How confident are you using AI at work?",
                ),
                _LOW,
                _HIGH,
            ),
            _TRAINING,
            _free("long_text", _t("Ұсыныстарыңыз", "Ваши предложения", "Your suggestions")),
        ],
    ),
    Template(
        key="competences",
        plan_item=9,
        privacy="named",
        title=_t(
            "Қызметкерлердің цифрлық және ЖИ құзыреттері",
            "Цифровые компетенции и компетенции в области ИИ сотрудников",
            "Staff digital and AI competences",
        ),
        intro=_t(
            "Сұхбат: кадр қызметі немесе басшының орынбасары қызметкермен бірге толтырады.",
            "Собеседование: заполняет отдел кадров или заместитель руководителя вместе с сотрудником.",
            "Interview: filled in by HR or a deputy director together with the staff member.",
        ),
        questions=[
            _scale(
                _t("Цифрлық сауаттылық деңгейі", "Уровень цифровой грамотности", "Level of digital literacy"),
                _t("Төмен", "Низкий", "Low"),
                _t("Жоғары", "Высокий", "High"),
            ),
            _scale(
                _t("ЖИ негіздерін білу", "Знание основ ИИ", "Knowledge of AI basics"),
                _t("Төмен", "Низкий", "Low"),
                _t("Жоғары", "Высокий", "High"),
            ),
            _choice(
                "multiple",
                _t(
                    "Қандай ЖИ құралдарын пайдаланады?",
                    "Какими инструментами ИИ пользуется?",
                    "Which AI tools does the person use?",
                ),
                _TOOLS,
            ),
            _FORBIDDEN,
            {
                "type": "number",
                "text": _t(
                    "Соңғы жылы ЖИ бойынша оқу сағаттары",
                    "Часы обучения по ИИ за последний год",
                    "Hours of AI training in the last year",
                ),
                "required": False,
            },
            _TRAINING,
            _free("long_text", _t("Сұхбат қорытындысы", "Итоги собеседования", "Interview notes")),
        ],
    ),
    Template(
        key="ai_usage",
        plan_item=26,
        privacy="anonymous",
        title=_t(
            "Қызметкерлердің оқу жылында ЖИ-ді пайдалануы",
            "Использование ИИ сотрудниками за учебный год",
            "How staff used AI this school year",
        ),
        intro=_t(
            "Мониторинг сауалнамасы анонимді.",
            "Мониторинговый опрос анонимный.",
            "The monitoring survey is anonymous.",
        ),
        questions=[
            _choice(
                "single",
                _t(
                    "ЖИ-ді қаншалықты жиі пайдаландыңыз?",
                    "Как часто вы использовали ИИ?",
                    "How often did you use AI?",
                ),
                [
                    _t("Күн сайын", "Ежедневно", "Daily"),
                    _t("Аптасына бірнеше рет", "Несколько раз в неделю", "Several times a week"),
                    _t("Айына бірнеше рет", "Несколько раз в месяц", "Several times a month"),
                    _t("Пайдаланбадым", "Не использовал(а)", "Not at all"),
                ],
            ),
            _choice(
                "multiple",
                _t(
                    "Қандай ЖИ құралдарын пайдаландыңыз?",
                    "Какими инструментами ИИ вы пользовались?",
                    "Which AI tools did you use?",
                ),
                _TOOLS,
            ),
            _choice(
                "multiple",
                _t(
                    "ЖИ-ді не үшін пайдаландыңыз?", "Для чего вы использовали ИИ?", "What did you use AI for?"
                ),
                _PURPOSES,
            ),
            _FORBIDDEN,
            _scale(
                _t(
                    "ЖИ-ді жұмыста пайдалануға қаншалықты сенімдісіз?",
                    "Насколько вы уверены в использовании ИИ в работе?",
                    "How confident are you using AI at work?",
                ),
                _LOW,
                _HIGH,
            ),
            {
                "type": "number",
                "text": _t(
                    "Аптасына ЖИ үнемдеген уақыт (сағат)",
                    "Сэкономленное благодаря ИИ время в неделю (часы)",
                    "Hours a week AI saved you",
                ),
                "required": False,
            },
            _TRAINING,
            _free(
                "long_text",
                _t("Қиындықтар мен ұсыныстар", "Трудности и предложения", "Difficulties and suggestions"),
            ),
        ],
    ),
)

BY_KEY = {t.key: t for t in TEMPLATES}
