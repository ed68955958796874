"""A second school beside the default one, with its demo users (`school2.director`, …) and processes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from service.platform import schools
from service.platform.auth import accounts
from service.platform.auth.demo import load_demo_users
from service.platform.persistence import tenancy
from service.platform.processes import deploy
from service.platform.runtime import Actor, Runtime
from tests.conftest import Api

SECOND = schools.NewSchool("school2", "№2 мектеп", "Школа №2")


def add_school(rt: Runtime, new: schools.NewSchool = SECOND) -> int:
    """The school, its demo users prefixed with its code and the shipped processes; returns its id."""
    info, _ = schools.ensure_school(rt, new)
    with tenancy.acting_as(info.id):
        load_demo_users(rt, prefix=f"{new.code}.")
        deploy.deploy_directory(rt, Actor.system())
    return info.id


@contextmanager
def acting(school: int) -> Iterator[None]:
    with tenancy.acting_as(school):
        yield


def token_in(api: Api, school: int, username: str) -> str:
    """A real API token of a user of `school` (the Api helper makes tokens in the default school)."""
    if username not in api._tokens:
        with tenancy.acting_as(school):
            api._tokens[username] = accounts.create_token(api.rt, Actor.system(), username, "test")
    return api._tokens[username]
