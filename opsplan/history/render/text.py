"""History as text: one block per commit, one line per change."""

from __future__ import annotations

from opsplan.history.build import History
from opsplan.history.render.words import SUBJECT_WORDS, flags, what
from opsplan.render.escape import text
from opsplan.render.words import plural


def render_history(history: History) -> str:
    where = history.root or "."
    lines = [f"History of the plan in {text(where)}, first parent, oldest first: "
             f"{plural(len(history.changes), 'change')} in {plural(history.commits, 'commit')}"]
    shown: str | None = None
    for change in history.changes:
        commit = change.commit
        if commit.id != shown:
            shown = commit.id
            lines.append(f"{commit.id[:10]}  {commit.date.isoformat()}  {text(commit.author)}  {text(commit.subject)}")
        marks = flags(change)
        suffix = f"  [{', '.join(marks)}]" if marks else ""
        lines.append(f"  {SUBJECT_WORDS[change.subject]} {text(change.id)}: {text(what(change))}{suffix}")
    for unreadable in history.unreadable:
        lines.append(f"note: {text(unreadable.file)} could not be read at {unreadable.commit.id[:10]}; "
                     "its values are taken as unchanged until a later commit")
    return "\n".join(lines) + "\n"


