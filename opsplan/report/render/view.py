"""What a renderer is given beside the figures: the options of one rendering, the plan's display
names, and the goals view drawn before rendering (so no renderer builds a graph or runs
Graphviz). :func:`draw_goals_view` calls the graph feature's public functions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from opsplan.model import Plan
from opsplan.report.model import Report
from opsplan.report.sections.shared import Tone


@dataclass(frozen=True, slots=True)
class Names:
    """Display names of the plan's entities by id (the id itself where the plan has none)."""

    departments: Mapping[str, str] = field(default_factory=dict)
    goals: Mapping[str, str] = field(default_factory=dict)
    programs: Mapping[str, str] = field(default_factory=dict)
    processes: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, plan: Plan) -> Names:
        return cls({key: value.name for key, value in plan.departments.items()},
                   {key: value.title for key, value in plan.goals.items()},
                   {key: value.name for key, value in plan.programs.items()},
                   {key: value.name for key, value in plan.processes.items()})

    def department(self, department_id: str | None) -> str:
        return "" if department_id is None else self.departments.get(department_id, department_id)

    def goal(self, goal_id: str) -> str:
        return self.goals.get(goal_id, goal_id)

    def program(self, program_id: str) -> str:
        return self.programs.get(program_id, program_id)

    def process(self, process_id: str) -> str:
        return self.processes.get(process_id, process_id)


@dataclass(frozen=True, slots=True)
class OutlinedGoal:
    """A goal as the goals view's list shows it when nothing can draw: its label and, per
    relation (``part of``, ``supported by``, ``measured by``), the labels linked to it."""

    label: str
    links: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class GoalsView:
    """The goals view: a drawing (SVG as Graphviz wrote it) with each goal's node key and the
    tone of its pace, or, without a drawing, the same content as an outline."""

    drawing: bytes | None
    tones: Mapping[str, Tone]
    outline: tuple[OutlinedGoal, ...] = ()


@dataclass(frozen=True, slots=True)
class RenderOptions:
    colour: bool = False  # terminal colours (text)
    names: Names = field(default_factory=Names)
    goals_view: GoalsView | None = None  # the HTML page's drawing


def draw_goals_view(report: Report, plan: Plan) -> GoalsView:
    """The goals view drawn by Graphviz, each goal labelled with its pace; an outline when
    nothing can draw."""
    from opsplan.graph.build import build_graph, choose_layout, node_key
    from opsplan.graph.render import image
    from opsplan.graph.render.dot import FORCE_DIRECTED, render_dot

    graph = build_graph(plan, "goals")
    tones: dict[str, Tone] = {}
    for goal in report.goals:
        key = node_key("goal", goal.id)
        if key in graph:
            graph.nodes[key]["label"] = f"{graph.nodes[key]['label']}\n[{goal.status.value}]"
        tones[key] = goal.status.tone
    layout = choose_layout(graph, None)  # the goals view has no departments to box: every goal is drawn
    try:
        dot_source = render_dot(layout.graph, spread=layout.engine in FORCE_DIRECTED)
        drawing = image.render_image(dot_source, "svg", layout.engine).data
    except (image.NoImageRenderer, ValueError, SyntaxError):  # ParseError is a SyntaxError
        drawing = None
    return GoalsView(drawing, tones, _outline(graph))


def _outline(graph: object) -> tuple[OutlinedGoal, ...]:
    """What the drawing shows, as data for a list: each goal with what supports it and what measures it."""
    import networkx as nx

    assert isinstance(graph, nx.DiGraph)
    goals = []
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        if data.get("kind") != "goal":
            continue
        links: dict[str, list[str]] = {}
        for source, _ in graph.in_edges(node):
            relation = str(graph.edges[source, node].get("relation", ""))
            links.setdefault(relation, []).append(str(graph.nodes[source]["label"]).replace("\n", " "))
        goals.append(OutlinedGoal(str(data["label"]).replace("\n", " "), tuple(
            (words, "; ".join(sorted(links[relation])))
            for relation, words in (("parent", "part of"), ("supported_by", "supported by"),
                                    ("measures", "measured by")) if relation in links)))
    return tuple(goals)


def html_options(report: Report, plan: Plan) -> RenderOptions:
    """What the HTML page needs beside the figures: names, and the goals view when there are goals."""
    return RenderOptions(names=Names.of(plan), goals_view=draw_goals_view(report, plan) if report.goals else None)
