"""A verified final act as HTML (Jinja2, autoescaped; `templates/final_act.html.j2`)."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from accord.core.final_act import FinalActReport
from accord.documents.final_act import final_act_context

_ENV = Environment(
    loader=PackageLoader("accord.documents", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
)


def final_act_html(report: FinalActReport) -> str:
    return _ENV.get_template("final_act.html.j2").render(**final_act_context(report))
