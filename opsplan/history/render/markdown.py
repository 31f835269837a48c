"""History as a Markdown table, for a pull request or a wiki page."""

from __future__ import annotations

from opsplan.history.build import History
from opsplan.history.render.words import SUBJECT_WORDS, flags, what
from opsplan.render.escape import markdown_code, markdown_text


def render_history(history: History) -> str:
    where = history.root or "."
    lines = [f"## Plan history: {markdown_code(where)}", "",
             f"{len(history.changes)} changes in {history.commits} commits, first parent, oldest first.", ""]
    if history.changes:
        lines += ["| commit | date | author | entity | change | flags |", "|---|---|---|---|---|---|"]
        for change in history.changes:
            commit = change.commit
            lines.append(
                f"| {markdown_code(commit.id[:10], in_table=True)} | {commit.date.isoformat()} "
                f"| {markdown_text(commit.author)} "
                f"| {SUBJECT_WORDS[change.subject]} {markdown_code(change.id, in_table=True)} "
                f"| {markdown_text(what(change))} | {' '.join(f'**{flag}**' for flag in flags(change))} |")
    for unreadable in history.unreadable:
        lines += ["", f"{markdown_code(unreadable.file)} could not be read at "
                      f"{markdown_code(unreadable.commit.id[:10])}; its values are taken as unchanged."]
    return "\n".join(lines) + "\n"
