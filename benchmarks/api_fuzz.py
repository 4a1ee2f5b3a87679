"""Fuzz the REST API from its own OpenAPI schema with schemathesis; print the counts.

Two clinicians are seeded: ann, with a client, an analysed session, a PHQ-9 response and
an open alert, and bob, with a client of his own. Every operation of
``/api/v1/openapi.json`` is then called with examples schemathesis generates from the
schema, once with ann's write token and once with bob's: requests that fit the schema,
requests that do not (negative mode), and requests that fit it with their path ids
pinned to ann's records. Every response is checked:

* no 5xx;
* status code, content type, headers and body as the schema documents them;
* bob's token never gets ann's data: no 2xx for a request naming ann's records, and no
  response carrying ann's marker words (her client's alias, a word of her transcript)
  or her record ids.

    python benchmarks/api_fuzz.py [--examples 50]

prints operations, examples and failures (each failure's operation, status and check).
``tests/web/api/test_fuzz.py`` runs the same with a small ``--examples``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import checks

from edgewise.services.tokens import issue_token
from edgewise.store import Store, upgrade
from edgewise.web import create_app
from edgewise.web.api import api_of
from edgewise.web.api.ratelimit import RateLimiter

#: Words only ann's records hold: bob's token must never see them.
ANN_ALIAS = "Annsonly Quokka"
ANN_WORD = "zephyrquill"
ANN_SESSION = f"""T: Thanks for coming in. What would you like to focus on today?
C: The {ANN_WORD} project at work keeps me up at night, and I drink to switch off.
T: It sounds like the evenings are when it gets hardest.
C: Yes. I want to cut down before the summer, I really do.
T: What has helped before, even a little?
C: Walking after work helped. I could try that again.
"""
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@dataclass
class Seeded:
    """The two clinicians' tokens and ann's record ids."""

    ann_token: str
    bob_token: str
    ann_ids: dict[str, int]


@dataclass
class FuzzResult:
    """What a run did: operations, examples (requests) and the failures found."""

    operations: int = 0
    examples: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        """The counts in one line, for the lead to quote."""
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return (
            f"operations {self.operations}, examples {self.examples}, "
            f"failures {len(self.failures)} (statuses {codes})"
        )


def seed(app: Any, store: Store) -> Seeded:
    """ann's record (through the API, so analysed as uploads are) and bob's client."""
    from fastapi.testclient import TestClient

    ann, bob = store.create_user("ann", "-"), store.create_user("bob", "-")  # no sign-in
    ann_token = issue_token(store, ann.id, "fuzz", "write").secret
    bob_token = issue_token(store, bob.id, "fuzz", "write").secret
    with TestClient(app) as http:
        auth = {"Authorization": f"Bearer {ann_token}"}
        client = http.post("/api/v1/clients", json={"alias": ANN_ALIAS}, headers=auth).json()
        files = {"transcript": ("ann.txt", ANN_SESSION.encode(), "text/plain")}
        upload = http.post(f"/api/v1/clients/{client['id']}/sessions", files=files, headers=auth)
        session = upload.json()["sessions"][0]
        answers = {str(i): 2 for i in range(1, 9)} | {"9": 1}
        url = f"/api/v1/clients/{client['id']}/measures/phq9/responses"
        recorded = http.post(url, json={"answers": answers}, headers=auth).json()
        alerts = http.get(f"/api/v1/alerts?client_id={client['id']}", headers=auth).json()
        goal = http.post(
            f"/api/v1/clients/{client['id']}/goals", json={"title": ANN_WORD}, headers=auth
        ).json()
        step = http.post(
            f"/api/v1/clients/{client['id']}/steps",
            json={"what": ANN_WORD, "goal_id": goal["id"]},
            headers=auth,
        ).json()
        bob_auth = {"Authorization": f"Bearer {bob_token}"}
        http.post("/api/v1/clients", json={"alias": "Bobs client"}, headers=bob_auth)
    ids = {
        "client_id": client["id"],
        "session_id": session["id"],
        "alert_id": alerts["items"][0]["id"],
        "response_id": recorded["response_id"],
        "goal_id": goal["id"],
        "step_id": step["id"],
    }
    return Seeded(ann_token, bob_token, ids)


def _pin(ids: dict[str, int]) -> Callable[[Any], Any]:
    """Point a case's path ids at ann's records (and its measure at the PHQ-9)."""

    def pin(case: Any) -> Any:
        params = dict(case.path_parameters or {})
        for name in params:
            if name in ids:
                params[name] = ids[name]
            elif name == "measure":
                params[name] = "phq9"
        case.path_parameters = params
        return case

    return pin


def _leaks(response: Any, case: Any, seeded: Seeded) -> str | None:
    """Why bob's response shows ann's data, or None."""
    text = response.text
    if ANN_ALIAS in text or ANN_WORD in text:
        return "ann's words in bob's response"
    named = set((case.path_parameters or {}).items())
    theirs = {(k, v) for k, v in seeded.ann_ids.items() if k != "response_id"}
    if named & theirs and 200 <= response.status_code < 300:
        return f"bob got {response.status_code} for ann's record"
    if response.status_code == 200:
        try:
            found = _ids_in(json.loads(text))
        except ValueError:
            found = set()
        if seeded.ann_ids["client_id"] in found:
            return "ann's client id in bob's response"
    return None


def _ids_in(data: Any) -> set[int]:
    """Every ``client_id`` in a JSON document (and ``id`` of client-shaped objects)."""
    found: set[int] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "client_id" and isinstance(value, int):
                found.add(value)
            found |= _ids_in(value)
        if "alias" in data and isinstance(data.get("id"), int):
            found.add(data["id"])
    elif isinstance(data, list):
        for item in data:
            found |= _ids_in(item)
    return found


def fuzz(app: Any, seeded: Seeded, *, examples: int = 50) -> FuzzResult:
    """Run every operation ``examples`` times with each token; the counts and failures."""
    api_of(app).state.limiter = RateLimiter(burst=1_000_000, per_second=1_000_000.0)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    result = FuzzResult()
    operations = [found.ok() for found in schema.get_all_operations()]
    result.operations = len(operations)
    for who, token in (("ann", seeded.ann_token), ("bob", seeded.bob_token)):
        for operation in operations:
            _fuzz_one(operation, who, token, seeded, examples, result)
    return result


def _fuzz_one(
    operation: Any,
    who: str,
    token: str,
    seeded: Seeded,
    examples: int,
    result: FuzzResult,
) -> None:
    generated = operation.as_strategy()
    invalid = operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE)
    strategy = st.one_of(generated, invalid, generated.map(_pin(seeded.ann_ids)))

    @given(case=strategy)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples every run: counts that can be compared
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        result.examples += 1
        result.statuses[response.status_code] = result.statuses.get(response.status_code, 0) + 1
        where = f"{who} {operation.label} -> {response.status_code}"
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:  # a check failed: record it, go on
            result.failures.append(f"{where}: {type(exc).__name__}: {str(exc)[:300]}")
        if who == "bob":
            leak = _leaks(response, case, seeded)
            if leak:
                result.failures.append(f"{where}: {leak}")

    run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=50, help="examples per operation")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="edgewise-fuzz-"))
    url = f"sqlite:///{folder / 'fuzz.db'}"
    upgrade(url)
    store = Store.from_url(url)
    app = create_app(store, secret_key="f" * 48, analyse_inline=True, upload_dir=folder / "up")
    started = time.perf_counter()
    seeded = seed(app, store)
    result = fuzz(app, seeded, examples=args.examples)
    took = time.perf_counter() - started
    print(f"api_fuzz: {result.line()} in {took:.1f} s (--examples {args.examples} a token)")
    for failure in result.failures:
        print(f"  FAIL {failure}")
    store.close()


if __name__ == "__main__":
    main()
