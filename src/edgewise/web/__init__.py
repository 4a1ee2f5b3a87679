"""The clinician web app (FastAPI + Jinja2): caseload, client record, sessions, measures.

``create_app(store)`` builds the app; ``edgewise serve`` runs it on 127.0.0.1.
"""

from __future__ import annotations

from edgewise.web.app import create_app

__all__ = ["create_app"]
