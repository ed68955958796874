"""Server-rendered pages: sign-in, CSRF, throttling, inbox, the task form keeping what was typed."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.platform.auth import accounts
from service.platform.persistence.models import AuditEvent
from service.platform.runtime import Actor, Runtime
from tests.conftest import csrf_from, login


def test_sign_in_page_speaks_kazakh_by_default(client: FlaskClient, seeded: Runtime) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'lang="kk"' in html and "Кіру" in html


def test_sign_in_and_out(client: FlaskClient, seeded: Runtime) -> None:
    response = login(client, "lawyer")
    assert response.status_code == 302
    inbox = client.get("/inbox")
    assert inbox.status_code == 200
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    token = csrf_from(inbox.get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/inbox").status_code == 302


def test_wrong_password_then_throttled(client: FlaskClient, seeded: Runtime) -> None:
    for _ in range(5):
        assert login(client, "lawyer", "wrong").status_code == 401
    assert login(client, "lawyer").status_code == 429  # even the right password waits now


def test_post_without_csrf_is_refused(client: FlaskClient, seeded: Runtime) -> None:
    response = client.post("/login", data={"username": "lawyer", "password": "demo-pass-2026"})
    assert response.status_code == 400


def test_language_switch(client: FlaskClient, seeded: Runtime) -> None:
    login(client, "staff1")
    page = client.get("/inbox")
    token = csrf_from(page.get_data(as_text=True))
    client.post("/language", data={"lang": "ru", "csrf_token": token, "next": "/inbox"})
    html = client.get("/inbox").get_data(as_text=True)
    assert 'lang="ru"' in html and "Мои задачи" in html
    client.post("/language", data={"lang": "en", "csrf_token": token, "next": "/inbox"})
    assert "My tasks" in client.get("/inbox").get_data(as_text=True)


def _start_order(client: FlaskClient) -> str:
    page = client.get("/processes")
    token = csrf_from(page.get_data(as_text=True))
    response = client.post("/processes/order_drafting/start", data={"csrf_token": token})
    assert response.status_code == 302
    return str(response.headers["Location"])


def test_task_form_keeps_what_was_typed_on_error(client: FlaskClient, seeded: Runtime) -> None:
    login(client, "wg_deputy")
    task_url = _start_order(client)
    assert re.search(r"/tasks/\d+$", task_url)
    page = client.get(task_url)
    html = page.get_data(as_text=True)
    assert 'name="title"' in html and 'name="body"' in html
    token = csrf_from(html)
    typed = "Бұйрықтың ұзын мәтіні <script>alert(1)</script>"
    response = client.post(task_url, data={"csrf_token": token, "body": typed, "order_type": "other"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Бұйрықтың ұзын мәтіні &lt;script&gt;" in html  # kept, and escaped
    assert "<script>alert(1)</script>" not in html
    assert 'aria-invalid="true"' in html and "field-error" in html
    ok = client.post(
        task_url,
        data={
            "csrf_token": token,
            "title": "Тақырып",
            "body": typed,
            "order_type": "other",
            "marking": "internal",
        },
    )
    assert ok.status_code == 302
    instance_page = client.get(ok.headers["Location"]).get_data(as_text=True)
    assert "Тақырып" in instance_page


def test_inbox_counts_and_claim_through_pages(client: FlaskClient, seeded: Runtime) -> None:
    login(client, "wg_deputy")
    task_url = _start_order(client)
    token = csrf_from(client.get(task_url).get_data(as_text=True))
    client.post(
        task_url,
        data={"csrf_token": token, "title": "T", "body": "B", "order_type": "other", "marking": "internal"},
    )
    lawyer = client.application.test_client()
    login(lawyer, "lawyer")
    html = lawyer.get("/inbox?scope=roles").get_data(as_text=True)
    assert re.search(r'data-testid="count-claimable">1<', html)
    task_id = re.search(r'href="/tasks/(\d+)"', html).group(1)  # type: ignore[union-attr]
    token = csrf_from(html)
    assert lawyer.post(f"/tasks/{task_id}/claim", data={"csrf_token": token}).status_code == 302
    mine = lawyer.get("/inbox?scope=mine").get_data(as_text=True)
    assert re.search(r'data-testid="count-mine">1<', mine)
    task_page = lawyer.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "T" in task_page and 'name="decision"' in task_page


def test_admin_pages_are_for_admins(client: FlaskClient, seeded: Runtime) -> None:
    login(client, "staff1")
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/processes").status_code == 403
    admin = client.application.test_client()
    login(admin, "admin")
    page = admin.get("/admin/processes").get_data(as_text=True)
    assert "order_drafting" in page and "v1" in page


def test_admin_creates_a_user_and_errors_keep_input(client: FlaskClient, seeded: Runtime) -> None:
    login(client, "admin")
    token = csrf_from(client.get("/admin/users").get_data(as_text=True))
    bad = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "new.teacher",
            "full_name": "Жаңа",
            "password": "short",
            "roles": ["staff"],
        },
    )
    assert bad.status_code == 422
    assert 'value="new.teacher"' in bad.get_data(as_text=True)
    good = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "new.teacher",
            "full_name": "Жаңа",
            "password": "long-enough-pw",
            "roles": ["staff", "council"],
        },
    )
    assert good.status_code == 302
    assert "new.teacher" in client.get("/admin/users").get_data(as_text=True)


def test_someone_elses_instance_is_not_found(client: FlaskClient, seeded: Runtime) -> None:
    login(client, "wg_deputy")
    task_url = _start_order(client)
    other = client.application.test_client()
    login(other, "staff2")
    assert other.get(task_url).status_code == 404


def test_change_password(client: FlaskClient, seeded: Runtime) -> None:
    login(client, "staff5")
    token = csrf_from(client.get("/profile").get_data(as_text=True))
    wrong = client.post(
        "/profile/password",
        data={"csrf_token": token, "current_password": "nope", "new_password": "a-new-password"},
    )
    assert wrong.status_code == 422 and 'id="current_password-error"' in wrong.get_data(as_text=True)
    ok = client.post(
        "/profile/password",
        data={"csrf_token": token, "current_password": "demo-pass-2026", "new_password": "a-new-password"},
    )
    assert ok.status_code == 302
    other = client.application.test_client()
    assert login(other, "staff5").status_code == 401
    assert login(other, "staff5", "a-new-password").status_code == 302


def test_api_token_from_the_profile_page(client: FlaskClient, seeded: Runtime) -> None:
    login(client, "ict")
    token = csrf_from(client.get("/profile").get_data(as_text=True))
    page = client.post("/profile", data={"csrf_token": token, "label": "script"}).get_data(as_text=True)
    match = re.search(r'data-testid="new-token"><code>(sag_[^<]+)</code>', page)
    assert match
    api = client.application.test_client()
    answer = api.get("/api/v1/tasks", headers={"Authorization": f"Bearer {match.group(1)}"})
    assert answer.status_code == 200


def test_security_headers(client: FlaskClient, seeded: Runtime) -> None:
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_reviewer_never_gets_an_earlier_reviewers_answers(client: FlaskClient, seeded: Runtime) -> None:
    from tests.conftest import Api

    api = Api(client.application, seeded)
    iid = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"]
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    api.post(
        f"/tasks/{draft['id']}/complete",
        "wg_deputy",
        json={"data": {"title": "Бұйрық", "order_type": "other", "body": "Мәтін", "basis": "Негіз"}},
    )
    review = api.open_task("lawyer", iid, "Task_legal_review", scope="roles")
    api.post(f"/tasks/{review['id']}/claim", "lawyer")
    api.post(
        f"/tasks/{review['id']}/complete", "lawyer", json={"data": {"decision": "return", "comment": "CMT-1"}}
    )
    rework = api.open_task("wg_deputy", iid, "Task_rework")
    login(client, "wg_deputy")
    page = client.get(f"/tasks/{rework['id']}").get_data(as_text=True)
    assert 'value="Бұйрық"' in page  # the drafter's own text comes back
    assert "CMT-1" in page  # the lawyer's reason is shown as an earlier step
    api.post(
        f"/tasks/{rework['id']}/complete",
        "wg_deputy",
        json={"data": {"title": "Бұйрық", "order_type": "other", "body": "Жаңа мәтін"}},
    )
    second = api.open_task("lawyer", iid, "Task_legal_review", scope="roles")
    api.post(f"/tasks/{second['id']}/claim", "lawyer")
    lawyer = client.application.test_client()
    login(lawyer, "lawyer")
    html = lawyer.get(f"/tasks/{second['id']}").get_data(as_text=True)
    assert not re.search(r'value="return"[^>]*checked', html)
    assert re.search(r'<textarea[^>]*name="comment"[^>]*>\s*</textarea>', html)
    assert "Жаңа мәтін" in html  # the latest edition of the draft
    assert 'name="basis"' not in html


def test_the_reviewer_sees_what_changed_since_the_last_round(client: FlaskClient, seeded: Runtime) -> None:
    from tests.conftest import Api

    api = Api(client.application, seeded)
    iid = api.post("/processes/order_drafting/instances", "wg_deputy").get_json()["id"]
    draft = api.open_task("wg_deputy", iid, "Task_draft")
    base = {"title": "Бұйрық", "order_type": "other", "body": "Мұғалімдер құралдарды ашық пайдаланады."}
    api.post(f"/tasks/{draft['id']}/complete", "wg_deputy", json={"data": base})
    review = api.open_task("lawyer", iid, "Task_legal_review", scope="roles")
    api.post(f"/tasks/{review['id']}/claim", "lawyer")
    login(client, "lawyer")
    assert 'data-testid="edition-diff"' not in client.get(f"/tasks/{review['id']}").get_data(as_text=True)
    api.post(
        f"/tasks/{review['id']}/complete",
        "lawyer",
        json={"data": {"decision": "return", "comment": "Толықтыр"}},
    )
    rework = api.open_task("wg_deputy", iid, "Task_rework")
    changed = {**base, "body": "Мұғалімдер құралдарды ашық және қауіпсіз пайдаланады."}
    api.post(f"/tasks/{rework['id']}/complete", "wg_deputy", json={"data": changed})
    second = api.open_task("lawyer", iid, "Task_legal_review", scope="roles")
    api.post(f"/tasks/{second['id']}/claim", "lawyer")
    html = client.get(f"/tasks/{second['id']}").get_data(as_text=True)
    assert 'data-testid="edition-diff"' in html
    assert "<ins>және қауіпсіз </ins>" in html and "<del>" not in html


def test_an_attachment_of_a_refused_type_or_size_keeps_the_draft(
    client: FlaskClient, seeded: Runtime
) -> None:
    import io

    login(client, "wg_deputy")
    task_url = _start_order(client)
    token = csrf_from(client.get(task_url).get_data(as_text=True))
    typed = {"csrf_token": token, "title": "Қосымшасы бар бұйрық", "body": "Мәтін", "order_type": "other"}
    bad_type = client.post(
        task_url,
        data={**typed, "attachment": (io.BytesIO(b"MZ..."), "virus.exe", "application/x-msdownload")},
        content_type="multipart/form-data",
    )
    assert bad_type.status_code == 422
    html = bad_type.get_data(as_text=True)
    assert 'value="Қосымшасы бар бұйрық"' in html and 'id="f-attachment-error"' in html
    too_big = client.post(
        task_url,
        data={
            **typed,
            "attachment": (io.BytesIO(b"%PDF" + b"0" * (10 * 1024 * 1024)), "big.pdf", "application/pdf"),
        },
        content_type="multipart/form-data",
    )
    assert too_big.status_code == 422 and 'id="f-attachment-error"' in too_big.get_data(as_text=True)
    ok = client.post(
        task_url,
        data={**typed, "attachment": (io.BytesIO(b"%PDF-1.4 small"), "negiz.pdf", "application/pdf")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    from sqlalchemy import select

    from service.features.orders.models import OrderEdition

    with seeded.db.session() as session:
        edition = session.execute(select(OrderEdition)).scalar_one()
        assert edition.attachment is not None and edition.attachment.startswith("sha256:")
    assert client.get(f"/files/{edition.attachment.removeprefix('sha256:')}").status_code == 200


def test_comment_from_the_task_page(client: FlaskClient, seeded: Runtime) -> None:
    login(client, "wg_deputy")
    task_url = _start_order(client)
    token = csrf_from(client.get(task_url).get_data(as_text=True))
    empty = client.post(f"{task_url}/comments", data={"csrf_token": token, "body": "   "})
    assert empty.status_code == 422
    posted = client.post(f"{task_url}/comments", data={"csrf_token": token, "body": "Заңгерге сұрақ бар"})
    assert posted.status_code == 302
    assert "Заңгерге сұрақ бар" in client.get(task_url).get_data(as_text=True)


def test_one_persons_failures_do_not_lock_out_a_colleague_behind_the_same_address(
    app: Flask, seeded: Runtime
) -> None:
    """Throttling is per account; the shared school address has a far higher bar (issue 17.8)."""
    mistaken = app.test_client()
    for _ in range(20):
        assert login(mistaken, "lawyer", "wrong").status_code in (401, 429)
    refused = login(mistaken, "lawyer")
    assert refused.status_code == 429
    assert "Try again after" in refused.get_data(as_text=True) or "кейін" in refused.get_data(as_text=True)
    colleague = app.test_client()  # the same 127.0.0.1, as a whole school behind one NAT
    assert login(colleague, "director").status_code == 302


def test_an_admin_unlocks_an_account_and_it_is_audited(app: Flask, seeded: Runtime) -> None:
    person = app.test_client()
    for _ in range(5):
        login(person, "hr", "wrong")
    assert login(person, "hr").status_code == 429
    admin = app.test_client()
    assert login(admin, "admin").status_code == 302
    page = admin.get("/admin/users").get_data(as_text=True)
    assert 'data-testid="unlock-hr"' in page and 'data-testid="unlock-director"' not in page
    assert admin.post("/admin/users/hr/unlock", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert login(person, "hr").status_code == 302
    with seeded.db.session() as session:
        query = select(AuditEvent.action).where(AuditEvent.actor == "admin")
        actions = session.execute(query).scalars().all()
    assert "user.unlock" in actions


def test_an_api_call_acts_as_its_token_and_a_page_as_its_cookie(client: FlaskClient, seeded: Runtime) -> None:
    """A signed-in browser that also sends another person's token: the API acts as the token's person
    (the cookie is not even read for it), a page as the signed-in one."""
    login(client, "ict")
    token = accounts.create_token(seeded, Actor.system(), "wg_deputy", "test")
    headers = {"Authorization": f"Bearer {token}"}
    started = client.post(
        "/api/v1/processes/order_drafting/instances", json={"data": {"title": "Т"}}, headers=headers
    )
    assert started.status_code == 201 and started.get_json()["started_by"] == "wg_deputy"
    page = client.get("/profile", headers=headers)
    assert page.status_code == 200 and "ict" in page.get_data(as_text=True)
    assert "wg_deputy" not in page.get_data(as_text=True)
    refused = client.application.test_client().get("/api/v1/tasks", headers={"Authorization": "Bearer nope"})
    assert refused.status_code == 401


def test_an_api_call_with_a_token_neither_reads_nor_writes_the_cookie(
    client: FlaskClient, seeded: Runtime
) -> None:
    """The API call's session is empty (the signed-in cookie is not opened) and its reply sets no cookie,
    so the browser stays signed in as before; a page with the same headers still reads the cookie."""
    from flask import request

    login(client, "ict")
    token = accounts.create_token(seeded, Actor.system(), "wg_deputy", "test")
    headers = {"Authorization": f"Bearer {token}"}
    app = client.application
    with app.test_request_context("/api/v1/tasks", headers=headers):
        assert not app.session_interface.open_session(app, request)
    reply = client.get("/api/v1/tasks", headers=headers)
    assert reply.status_code == 200 and "Set-Cookie" not in reply.headers
    with client.session_transaction() as cookie_session:
        assert cookie_session.get("_user_id")  # still signed in
    page = client.get("/profile", headers=headers)
    assert page.status_code == 200 and "ict" in page.get_data(as_text=True)
