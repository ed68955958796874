"""What schools share without sharing it: file bytes stored once by their hash, and the deployed
definitions cached once per application. Neither lets one school learn of another's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.platform.clock import utcnow
from service.platform.errors import NotFound
from service.platform.files import storage
from service.platform.persistence import tenancy
from service.platform.persistence.models import ProcessDefinition
from service.platform.processes.definitions import definition_parts
from service.platform.runtime import Runtime
from tests.conftest import Api, actor_named
from tests.integration.school_steps import add_school, token_in

PDF = b"%PDF-1.4\n% the same bytes in two schools\n"
YESTERDAY = (utcnow() - timedelta(days=1)).date().isoformat()


def test_the_same_bytes_keep_their_name_in_the_school_that_named_them(seeded: Runtime) -> None:
    second = add_school(seeded)
    ref = storage.store_upload(
        seeded, actor_named(seeded, "staff1"), "f", "Мұхтарова 9А.pdf", "application/pdf", PDF
    )
    with tenancy.acting_as(second):
        theirs = actor_named(seeded, "school2.staff1")
        assert storage.store_upload(seeded, theirs, "f", "жоспар.pdf", "application/pdf", PDF) == ref
        meta, content = storage.open_file(seeded, theirs, ref.removeprefix("sha256:"))
    # school2 reads its own upload, but never under the name the first school gave the same bytes.
    assert content == PDF and meta.filename == "file.pdf"
    meta, _ = storage.open_file(seeded, actor_named(seeded, "staff1"), ref.removeprefix("sha256:"))
    assert meta.filename == "Мұхтарова 9А.pdf"


def test_a_file_first_uploaded_in_another_school_is_still_ones_own_material(api: Api) -> None:
    """The consultation's material must be the recorder's own upload: their reference row decides, not
    who uploaded the same bytes first (which told school2 that someone had, and refused it)."""
    second = add_school(api.rt)
    storage.store_upload(api.rt, actor_named(api.rt, "responsible"), "f", "a.pdf", "application/pdf", PDF)
    with tenancy.acting_as(second):
        recorder = actor_named(api.rt, "school2.responsible")
        ref = storage.store_upload(api.rt, recorder, "material", "b.pdf", "application/pdf", PDF)
    headers = {"Authorization": f"Bearer {token_in(api, second, 'school2.responsible')}"}
    body = {
        "staff_member": "school2.staff2",
        "held_on": YESTERDAY,
        "topic": "Аударма",
        "advice": "DeepL-ді тексеріп қолданыңыз",
        "material": ref,
    }
    answer = api.client.post("/api/v1/consultations/record", headers=headers, json=body)
    assert answer.status_code == 201, answer.get_json()
    # Someone else's bytes (here the first school's upload, not this person's) are still refused.
    other = storage.store_upload(
        api.rt, actor_named(api.rt, "staff1"), "f", "c.pdf", "application/pdf", b"%PDF x"
    )
    refused = api.client.post(
        "/api/v1/consultations/record", headers=headers, json={**body, "material": other}
    )
    assert refused.status_code == 422 and set(refused.get_json()["fields"]) == {"material"}


def test_a_cached_definition_serves_only_the_school_that_read_it(seeded: Runtime) -> None:
    second = add_school(seeded)
    with seeded.db.read() as session:
        mine = session.execute(select(ProcessDefinition.id).limit(1)).scalar_one()
        assert definition_parts(seeded, session, mine).id == mine  # now cached
    with tenancy.acting_as(second), seeded.db.read() as session, pytest.raises(NotFound):
        definition_parts(seeded, session, mine)
