"""The waivers section of the HTML report: a short table of the findings the plan accepts for
now, the ones expiring within 30 days of the report's date first and marked."""

from __future__ import annotations

from opsplan.report.model import Report
from opsplan.report.render.html_page import Column, Html, element, join, table
from opsplan.report.sections.waivers import EXPIRING_WITHIN, expiring

WAIVER_COLUMNS = (Column("waiver"), Column("rule"), Column("about", wide=True), Column("owner"),
                  Column("expires"), Column("days left", numeric=True), Column("reason", wide=True))


def waivers_section(report: Report) -> Html:
    rows = [[waiver.id, waiver.rule, waiver.about, waiver.owner,
             element("strong", waiver.expires.isoformat()) if waiver.expiring else waiver.expires.isoformat(),
             waiver.days_left, waiver.reason] for waiver in report.waivers]
    soon = len(expiring(report.waivers))
    note = element("p", f"{soon} expiring within {EXPIRING_WITHIN.days} days: their owners renew them in a "
                   "reviewed change or fix the finding." if soon else
                   f"None expires within {EXPIRING_WITHIN.days} days.")
    return join([note, table(WAIVER_COLUMNS, rows, caption="Findings the plan accepts for now (waivers), "
                             "soonest to expire first", table_id="waiver-table",
                             empty="The plan waives no finding.")])
