"""The dashboard's scoreboard panel (``projects/scoreboard_panel.html``): the year's unit
scoreboard, lean, for the plan the dashboard shows (already read and allowed by its view).
A tag, so the dashboard takes the panel with one include line."""

from django import template

from projects.scoreboard import dashboard_panel

register = template.Library()


@register.simple_tag(name="scoreboard_panel")
def scoreboard_panel(plan):
    """The scoreboard (None when the plan has no report periods yet)."""
    return dashboard_panel(plan)
