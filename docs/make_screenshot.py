"""Screenshot the HTML gap report of the example plan into docs/images/report.png (shown in the README).

Run from the repository root, with the test extra installed (it brings Playwright) and Debian's
`chromium` on the PATH:

    python docs/make_screenshot.py

The page is the one `opsplan report plans/acme --as-of 2027-03-31 --format html` writes, seen
1280 pixels wide; the picture is its top 1400 pixels (the whole page is many screens long).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from opsplan.check.pipeline import check_path
from opsplan.commands.report import render_html as render_report
from opsplan.output import write_atomic
from opsplan.report.build import build_report

REPO = Path(__file__).resolve().parent.parent
AS_OF = date(2027, 3, 31)
WIDTH, HEIGHT = 1280, 1400


def main() -> int:
    _, result = check_path(REPO / "plans" / "acme")
    if result.plan is None or result.errors:
        print("the example plan has errors: run `opsplan check plans/acme`", file=sys.stderr)
        return 1
    page_text = render_report(build_report(result.plan, result.actuals, AS_OF), result.plan)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("needs Chromium: apt-get install chromium", file=sys.stderr)
        return 2
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("needs Playwright: pip install -e '.[test]'", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "report.html"
        page_file.write_text(page_text, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            try:
                page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
                page.goto(page_file.as_uri(), wait_until="load")
                picture = page.screenshot(clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT})
            finally:
                browser.close()
    target = REPO / "docs" / "images" / "report.png"
    write_atomic(target, picture)
    print(f"{target.relative_to(REPO)} ({len(picture) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
