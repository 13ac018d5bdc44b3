"""A notice page's facts box and plan table, from its document record and the projects made from it.

The notice's text is hand-written Markdown in content/notices/; what the data holds about it
is not retyped there. The facts box heads the page; the projects recorded from the notice
appear where the page marks PLAN_MARKER (the place its attachment's table had), or after the
text when it has no such place.
"""

from __future__ import annotations

from jinja2 import Environment

PLAN_MARKER = "<!-- gp:plan-table -->"

# Fields of the facts box in the order of a 版头 and 版记; a missing one says so, once.
FACTS = (("doc_number", "文号"), ("issuer", "发文机关"), ("date", "成文日期"), ("published", "印发日期"))


def facts(document: dict) -> list[tuple[str, str | None]]:
    """(label, value or None when the original does not carry it) for the facts box."""
    return [(label, str(document[key]) if document.get(key) else None) for key, label in FACTS]


def notice_markdown(markdown: str, document: dict, projects: list, env: Environment, base: str) -> str:
    """The notice's Markdown with its facts box after the title and its plan table in place."""
    box = env.get_template("notice_facts.j2").render(document=document, facts=facts(document), base=base)
    head, _, body = markdown.partition("\n")
    markdown = f"{head}\n\n{box}\n{body}" if head.startswith("# ") else f"{box}\n{markdown}"
    json_link = env.get_template("_data_links.j2").module.record_json_link(base, "documents", document["id"])
    if projects:
        table = env.get_template("notice_plan.j2").render(projects=projects, base=base, marked=PLAN_MARKER in markdown)
        markdown = markdown.replace(PLAN_MARKER, table) if PLAN_MARKER in markdown else f"{markdown}\n\n{table}\n"
    return f"{markdown.replace(PLAN_MARKER, '')}\n\n{json_link}\n"
