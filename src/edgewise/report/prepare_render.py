"""A :class:`~edgewise.report.preparation.Preparation` as HTML or Markdown.

:func:`prepare_body` is the page's sections (the web app puts them inside its own page;
turns link to the session pages); :func:`prepare_html` is a self-contained, printable
document (its styles inline, no script, nothing fetched); :func:`prepare_markdown` is the
same content as Markdown. All three escape the client's and clinician's words.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import jinja2
from markupsafe import Markup, escape

from edgewise.report.preparation import Preparation

__all__ = ["prepare_body", "prepare_html", "prepare_markdown"]

#: The standalone document's policy: its inline styles only; nothing runs or loads.
_CSP = "default-src 'none'; style-src 'unsafe-inline'"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("edgewise.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


@cache
def _css() -> str:
    return (resources.files("edgewise.report") / "static" / "prepare.css").read_text("utf-8")


def prepare_body(preparation: Preparation, *, links: bool = True) -> Markup:
    """The sections of the page (escaped HTML); ``links``: turns link to session pages."""
    template = _environment().get_template("prepare.html.j2")
    return Markup(template.render(p=preparation, links=links))


def prepare_html(preparation: Preparation) -> str:
    """A self-contained HTML document, styled for screen and print."""
    title = escape(f"Preparing the next session · {preparation.alias}")
    body = prepare_body(preparation, links=False)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{_css()}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{title}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    """``text`` as literal Markdown: one line, its markup characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _total(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def prepare_markdown(preparation: Preparation) -> str:
    """The same sections as Markdown (words escaped; turns numbered from 1)."""
    p = preparation
    lines = [
        f"# Preparing the next session · {_md(p.alias)}",
        "",
        f"Prepared for {_md(p.viewer)} on {p.prepared_at.strftime('%Y-%m-%d %H:%M UTC')} · "
        f"{p.sessions} session{'' if p.sessions == 1 else 's'} on record · turns are "
        "numbered from 1. Health information: keep it as you keep the record.",
        "",
    ]
    for section in (_edge, _signals, _moments, _measures, _language):
        lines += section(p)
    return "\n".join(lines).rstrip() + "\n"


def _edge(p: Preparation) -> list[str]:
    out = ["## The growing edge", ""]
    edge = p.growing_edge
    if edge is None:
        return [*out, "No analysed session yet.", ""]
    out += [
        f"From session {edge.session_number} (the latest analysed of {edge.sessions_analysed}).",
        "",
    ]
    for theme in edge.themes:
        out.append(f"### {_md(theme.label)}")
        out.append("")
        for name, quotes in (("Ready", theme.ready), ("Holding back", theme.holding_back)):
            out.append(f"- **{name}:**" + ("" if quotes else " nothing said on this side"))
            out += [f"  - turn {q.turn}: “{_md(q.text)}”" for q in quotes]
        out.append("")
    if edge.drafts:
        out += ["### Drafts to adapt", ""]
        for d in edge.drafts:
            turns = ", ".join(str(n) for n in d.turns)
            out.append(f"- **{d.kind_label}** ({_md(d.theme)}; turns {turns}): {_md(d.text)}")
        out.append("")
    return out


def _signals(p: Preparation) -> list[str]:
    out = ["## Your last noted signals", ""]
    if not p.signals:
        return [*out, "You have not noted a signal in this client's sessions.", ""]
    out += [f"Your own journal entries of session {p.signals_session_number}.", ""]
    for s in p.signals:
        where = "whole session" if s.turn is None else f"turn {s.turn}"
        note = f": {_md(s.note)}" if s.note else ""
        out.append(f"- **{_md(s.label)}**, intensity {s.intensity}/5, {where}{note}")
    return [*out, ""]


def _moments(p: Preparation) -> list[str]:
    out = ["## The last session's key moments", ""]
    last = p.last_session
    if last is None:
        return [*out, "No analysed session yet.", ""]
    share = "—" if last.change_talk_share is None else f"{last.change_talk_share * 100:.0f}%"
    out += [
        f"Session {last.number}, {last.date.isoformat()}: optimal stress "
        f"{_num(last.optimal_stress)}, support {_num(last.support)}, challenge "
        f"{_num(last.challenge)}, change talk {share}.",
        "",
    ]
    for m in last.moments:
        said = f" {_md(m.speaker)}: “{_md(m.words)}”" if m.words else ""
        out.append(f"- **{m.label}**, turn {m.turn}.{said} {_md(m.explanation)}")
    if not last.moments:
        out.append("No key moments in that session.")
    return [*out, ""]


def _measures(p: Preparation) -> list[str]:
    out = ["## Measure trends", ""]
    if not p.measures:
        return [*out, "No measure recorded yet.", ""]
    out += ["| Measure | Totals, oldest first | Change |", "|---|---|---|"]
    for m in p.measures:
        points = " → ".join(f"{_total(pt.total)} ({pt.answered})" for pt in m.points)
        out.append(f"| {_md(m.label)} | {points} | {_md(m.change or '—')} |")
    return [*out, ""]


def _language(p: Preparation) -> list[str]:
    out = ["## Saved language", ""]
    if not p.language:
        return [*out, "No language saved for this client yet.", ""]
    for item in p.language:
        who = "" if item.mine else f" (shared by {_md(item.author)})"
        cited = "; ".join(f"session {c.session_number}, turn {c.turn}" for c in item.cited)
        where = f" — from {cited}" if cited else ""
        out.append(f"- **{item.kind_label}**{who}: {_md(item.text)}{where}")
    return [*out, ""]
