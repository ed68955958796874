"""Fixtures the integration tests share: the seeded service's administrator signed in to the pages."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.platform.runtime import Runtime
from tests.integration.modeler_helpers import signed_in_admin


@pytest.fixture
def admin(app: Flask, seeded: Runtime) -> FlaskClient:
    """The demo `admin` signed in (a page client) on the service with its demo people and processes."""
    return signed_in_admin(app)
