"""`flask plan load FILE`: load a school year's plan from a text in the seed's layout."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

plan_cli = AppGroup("plan", help="The school's yearly plan.")


@plan_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--year", type=int, default=None, help="School year by its first year (default: the title's).")
def plan_load(path: str, year: int | None) -> None:
    """Load a plan text (the seed's layout) for its school year; a year that has a plan is left alone."""
    from service.features.plan.rules import PlanTextError
    from service.features.plan.usecases import load_plan

    try:
        loaded = load_plan(current_app.extensions["runtime"], Path(path), year)
    except PlanTextError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    click.echo("plan loaded" if loaded else "that school year already has a plan: unchanged")
