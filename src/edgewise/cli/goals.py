"""``edgewise goals list|accept|dismiss|review``: a client's goals record at the command
line, read and decided as the clinician ``--user`` names (their access, audited in their
name), the same use cases as the goals page (docs/goals.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from edgewise.cli.acting import as_user
from edgewise.cli.serve import DataDir, DbUrl

__all__ = ["goals_app"]

goals_app = typer.Typer(
    help="A client's goals and action steps: list them, accept or dismiss a proposed step, "
    "confirm or correct follow-through.",
    no_args_is_help=True,
)

User = Annotated[str, typer.Option("--user", help="The clinician acting (their access).")]
StepId = Annotated[int, typer.Argument(help="The step's id (#N on the goals page).")]
T = TypeVar("T")

if TYPE_CHECKING:  # imports stay lazy at run time (a fast --help)
    pass


@goals_app.command("list")
def list_goals(
    client_id: Annotated[int, typer.Argument(help="The client's id (as the web app shows).")],
    user: User,
    json_out: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """The client's goals and steps, each step with its latest follow-through."""
    from edgewise.services.goals import view_goals

    found = as_user(user, data_dir, db_url, lambda s, a: view_goals(s, a, client_id))
    if json_out:
        document = {
            "client_id": client_id,
            "goals": [
                {"id": g.id, "title": g.title, "value": g.value, "status": g.status}
                for g in found.goals
            ],
            "steps": [
                {
                    "id": s.id,
                    "goal_id": s.goal_id,
                    "what": s.what,
                    "when": s.when,
                    "due_on": None if s.due_on is None else s.due_on.isoformat(),
                    "status": s.status,
                    "session_number": s.session_number,
                    "turn": None if s.turn_index is None else s.turn_index + 1,
                    "follow_through": [
                        {
                            "id": f.id,
                            "session_number": f.session_number,
                            "outcome": f.final,
                            "reviewed": f.outcome is not None,
                        }
                        for f in found.follow_of(s.id)
                    ],
                }
                for s in found.steps
            ],
        }
        typer.echo(json.dumps(document, ensure_ascii=False))
        return
    for goal in found.goals:
        typer.echo(f"goal {goal.id}\t{goal.status}\t{goal.title}")
    for step in found.steps:
        latest = found.follow_of(step.id)[-1:]
        said = f"\tsession {latest[0].session_number}: {latest[0].final}" if latest else ""
        under = f"\tgoal {step.goal_id}" if step.goal_id is not None else ""
        typer.echo(f"step {step.id}\t{step.status}{under}\t{step.what}{said}")


@goals_app.command("accept")
def accept(
    step_id: StepId,
    user: User,
    what: Annotated[str | None, typer.Option("--what", help="The step in new words.")] = None,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Accept a proposed step (in new words with --what): later sessions follow it up."""
    _decide(step_id, user, "accepted", what, data_dir, db_url)


@goals_app.command("dismiss")
def dismiss(step_id: StepId, user: User, data_dir: DataDir = None, db_url: DbUrl = None) -> None:
    """Dismiss a step: it is no longer followed up."""
    _decide(step_id, user, "dismissed", None, data_dir, db_url)


@goals_app.command("review")
def review(
    follow_id: Annotated[int, typer.Argument(help="The follow-through entry's id.")],
    outcome: Annotated[str, typer.Argument(help="done, partly, not_done or not_mentioned.")],
    user: User,
    data_dir: DataDir = None,
    db_url: DbUrl = None,
) -> None:
    """Confirm or correct what a later session said about a step."""
    from edgewise.services.goals import review_follow_through

    found = as_user(
        user, data_dir, db_url, lambda s, a: review_follow_through(s, a, follow_id, outcome)
    )
    verdict = "corrected" if found.corrected else "confirmed"
    typer.echo(f"follow-through {found.id} {verdict}: {found.final}")


def _decide(
    step_id: int,
    user: str,
    status: str,
    what: str | None,
    data_dir: Path | None,
    db_url: str | None,
) -> None:
    from edgewise.services.goals import update_step
    from edgewise.store.goals import KEEP

    found = as_user(
        user,
        data_dir,
        db_url,
        lambda s, a: update_step(s, a, step_id, what=KEEP if what is None else what, status=status),
    )
    typer.echo(f"step {found.id} {found.status}")
