"""The form builder and the full-window modeler in a real browser, on a 1366×768 school laptop.

The admin builds a new form of three fields (a short text, a choice, a long text shown and required only
for one choice) with labels in kk/ru/en, previews it in Russian, saves it, draws a process with one task
using it in the modeler (full window, readable zoom, palette clear of the diagram, hideable panel),
deploys, and a teacher fills it in Russian. Screenshots land in test-artifacts/e2e/.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_browser import NewContext, Shot, claim, instance_id_of, open_task_of, submit_task

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
FORM_KEY = "parent_meeting"
PROCESS_ID = "parent_meeting_request"

ADD_TASK = """
([label, pid]) => {
  const m = window.bpmnModeler;
  const reg = m.get('elementRegistry'), modeling = m.get('modeling'), factory = m.get('elementFactory');
  const start = reg.get('StartEvent_' + pid), end = reg.get('End_' + pid);
  const flow = reg.get('Flow_' + pid);
  modeling.moveElements([end], {x: 220, y: 0});
  const task = modeling.createShape(
    factory.createShape({type: 'bpmn:UserTask'}),
    {x: start.x + 170, y: start.y + start.height / 2},
    reg.get('Participant_' + pid));
  modeling.updateLabel(task, label);
  modeling.reconnectEnd(flow, task, {x: task.x, y: task.y + task.height / 2});
  modeling.connect(task, end);
  return task.id;
}
"""


def _card(page: Any, index: int) -> Any:
    return page.locator("[data-testid=builder-field]").nth(index)


def _labels(card: Any, kk: str, ru: str, en: str, prefix: str = "label") -> None:
    for lang, text in (("kk", kk), ("ru", ru), ("en", en)):
        card.locator(f"input[name={prefix}-{lang}]").fill(text)


def _rect(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box, selector
    return dict(box)


def test_admin_builds_a_form_uses_it_in_the_modeler_and_a_teacher_fills_it_in_russian(
    new_context: NewContext, shot: Shot
) -> None:
    admin = sign_in(new_context(viewport=LAPTOP), "admin")
    admin.goto("/admin/forms")
    admin.locator("[data-testid=new-form-key]").fill(FORM_KEY)
    with admin.expect_navigation():
        admin.locator("#new-form button[type=submit]").click()
    builder = admin.locator("[data-testid=form-builder]")
    builder.wait_for()

    # The form's title and its first field (the template's comment, turned into the meeting's topic).
    _labels(
        admin.locator("[data-testid=form-title]"),
        "Ата-анамен кездесу",
        "Встреча с родителями",
        "Parent meeting",
        prefix="form-title",
    )
    first = _card(admin, 0)
    first.locator("input[name=field-name]").fill("topic")
    _labels(first, "Кездесу тақырыбы", "Тема встречи", "Topic of the meeting")
    _labels(first, "Қысқаша жазыңыз", "Кратко опишите", "Say it briefly", prefix="help")
    first.locator("input[name=required]").check()
    first.locator("input[name=maxLength]").fill("200")

    # A choice by buttons with two options, each labelled in three languages.
    admin.locator("[data-testid=add-field]").click()
    second = _card(admin, 1)
    second.locator("select[name=kind]").select_option("radio")
    second.locator("input[name=field-name]").fill("format")
    _labels(second, "Кездесу түрі", "Формат встречи", "Format")
    second.locator("input[name=required]").check()
    options = second.locator("[data-testid=option]")
    for index, (value, kk, ru, en) in enumerate(
        (("in_person", "Бетпе-бет", "Очно", "In person"), ("online", "Онлайн", "Онлайн", "Online"))
    ):
        row = options.nth(index)
        row.locator("input[name=option-value]").fill(value)
        _labels(row, kk, ru, en, prefix="option")

    # A long text shown, and required, only when the meeting is online.
    admin.locator("[data-testid=add-field]").click()
    third = _card(admin, 2)
    third.locator("select[name=kind]").select_option("textarea")
    third.locator("input[name=field-name]").fill("link")
    _labels(third, "Сілтеме", "Ссылка на встречу", "Meeting link")
    third.locator("select[name=condition-field]").select_option("format")
    third = _card(admin, 2)
    third.locator("[data-testid=condition] label").filter(has_text="Онлайн").locator("input").check()
    third.locator("input[name=hide-otherwise]").check()
    third.locator("input[name=required]").check()

    # Moving the last field up and back down keeps all three.
    _card(admin, 2).locator("[data-testid=move-up]").click()
    assert _card(admin, 1).get_attribute("data-name") == "link"
    _card(admin, 1).locator("[data-testid=move-down]").click()
    assert [c.get_attribute("data-name") for c in admin.locator("[data-testid=builder-field]").all()] == [
        "topic",
        "format",
        "link",
    ]

    # The preview in Russian: the task page's macros with the Russian labels; the link only when online.
    admin.locator("[data-testid=preview-lang]").select_option("ru")
    preview = admin.locator("[data-testid=form-preview][data-lang=ru]")
    preview.wait_for()
    admin.locator("[data-testid=form-preview] label[for=f-topic]").filter(has_text="Тема встречи").wait_for()
    assert admin.locator("[data-testid=form-preview] [data-field=link]").is_hidden()
    admin.locator("[data-testid=form-preview] label[for=f-format-2]").click()
    assert admin.locator("[data-testid=form-preview] [data-field=link]").is_visible()
    shot(admin, "builder-01-three-fields-1366")

    # The JSON view edits the same form: standard if/then, not a private keyword.
    admin.locator("[data-testid=tab-json]").click()
    schema = json.loads(admin.locator("[data-testid=form-schema]").input_value())
    assert schema["required"] == ["topic", "format"]
    assert schema["allOf"] == [
        {
            "if": {"properties": {"format": {"const": "online"}}, "required": ["format"]},
            "then": {"required": ["link"]},
        }
    ]
    assert schema["properties"]["link"]["x-visible-if"] == {"format": ["online"]}
    online = schema["properties"]["format"]["x-enum-titles"]["online"]
    assert online == {"kk": "Онлайн", "ru": "Онлайн", "en": "Online"}
    admin.locator("[data-testid=tab-builder]").click()
    with admin.expect_navigation():
        admin.locator("[data-testid=save-form]").click()
    assert admin.locator(".flash-success").count() == 1, admin.content()[:2000]
    admin.goto("/admin/forms")
    assert admin.locator(f"tr[data-form={FORM_KEY}] strong").inner_text() == "Ата-анамен кездесу"

    # The modeler: the whole window, the diagram readable and clear of the palette, the panel hideable.
    admin.goto("/admin/editor/order_drafting")
    admin.locator("[data-testid=editor][data-ready='1']").wait_for()
    assert float(admin.locator("[data-testid=editor]").get_attribute("data-zoom") or 0) >= 0.8
    palette = _rect(admin, ".djs-palette")
    first_step = _rect(admin, ".djs-element[data-element-id=Task_draft]")
    assert first_step["x"] > palette["x"] + palette["width"], (first_step, palette)
    shot(admin, "modeler-00-order-drafting-opened-1366")
    admin.locator("[data-testid=zoom-fit]").click()
    shot(admin, "modeler-00-order-drafting-fit-1366")
    admin.goto(f"/admin/editor/new?process_id={PROCESS_ID}")
    editor = admin.locator("[data-testid=editor][data-ready='1']")
    editor.wait_for()
    canvas = _rect(admin, "#canvas")
    assert canvas["width"] >= 1000 and canvas["height"] >= 500, canvas
    assert canvas["y"] + canvas["height"] <= LAPTOP["height"] + 1
    assert float(editor.get_attribute("data-zoom") or 0) >= 0.8
    task_id = admin.evaluate(ADD_TASK, ["Ата-анамен кездесуді сұрау", PROCESS_ID])
    admin.locator("[data-testid=zoom-fit]").click()
    palette = _rect(admin, ".djs-palette")
    start = _rect(admin, f".djs-element[data-element-id=StartEvent_{PROCESS_ID}]")
    assert start["x"] > palette["x"] + palette["width"], (start, palette)
    admin.evaluate(
        "id => window.bpmnModeler.get('selection').select(window.bpmnModeler.get('elementRegistry').get(id))",
        task_id,
    )
    admin.locator("#properties select[name=form]").select_option(FORM_KEY)
    shot(admin, "modeler-01-full-window-1366")
    admin.locator("[data-testid=toggle-properties]").click()
    assert admin.locator("[data-testid=properties]").is_hidden()
    assert _rect(admin, "#canvas")["width"] > canvas["width"] + 200
    shot(admin, "modeler-02-panel-hidden-1366")
    admin.locator("[data-testid=toggle-properties]").click()
    admin.locator("[data-testid=check]").click()
    admin.locator("[data-testid=editor][data-checked=clean]").wait_for()
    admin.locator("[data-testid=deploy]").click()
    admin.locator("[data-testid=editor][data-deployed='1']").wait_for()
    admin.goto("/admin/forms")
    assert PROCESS_ID in admin.locator(f"[data-testid=uses-{FORM_KEY}]").inner_text() or (
        "Ата-анамен кездесуді сұрау" in admin.locator(f"[data-testid=uses-{FORM_KEY}]").inner_text()
    )

    # A teacher starts it in Russian and fills the form; the link is asked for once "online" is chosen.
    teacher = sign_in(new_context(viewport=LAPTOP), "staff3")
    teacher.goto("/processes")
    with teacher.expect_navigation():
        teacher.locator(".langswitch button[value=ru]").click()
    with teacher.expect_navigation():
        teacher.locator(".card.row").filter(has_text=PROCESS_ID).get_by_role("button").click()
    if not re.search(r"/tasks/\d+$", teacher.url):
        # A task of the teacher's role: it waits in "To claim" until someone takes it.
        open_task_of(teacher, "roles", instance_id_of(teacher))
    if teacher.locator("form[action$='/claim']").count():
        claim(teacher)
    task_url = teacher.url
    form = teacher.locator("form.taskform")
    assert form.locator("label[for=f-topic]").inner_text().startswith("Тема встречи")
    assert "Очно" in form.inner_text() and "Бетпе-бет" not in form.inner_text()
    form.locator("[name=topic]").fill("Итоги четверти")
    form.locator("[name=format][value=online]").check()
    form.locator("[name=link]").wait_for(state="visible")
    shot(teacher, "builder-02-task-in-russian")
    answer = submit_task(teacher)
    assert answer.status == 422  # the link is required when the meeting is online
    assert teacher.locator("[data-field=link] .field-error").count() == 1
    assert teacher.locator("form.taskform [name=topic]").input_value() == "Итоги четверти"  # kept
    teacher.locator("form.taskform [name=link]").fill("https://meet.example/abc")
    answer = submit_task(teacher)
    assert answer.status in (302, 303), answer.status
    assert "/instances/" in teacher.url
    teacher.goto(task_url)  # the completed task shows the answers with the Russian labels
    answers = teacher.locator("dl.form-values").inner_text()
    assert "Тема встречи" in answers and "Итоги четверти" in answers and "Онлайн" in answers
    assert "https://meet.example/abc" in answers
