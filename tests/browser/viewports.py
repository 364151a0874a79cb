"""Pages of the report at a given width: a phone (390 px, mobile, touch) or a desktop window, and
the checks of their layout run in the page (no column cut, no inner scroll box, no sideways
scrolling of the page)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from conftest import Guard, open_guarded
from udsat.report import ReportBundle
from udsat.report.bundle import designated_areas
from udsat.report.pages import area_page, housing_page

PHONE = 390
WIDTHS = (PHONE, 1366, 1920)
HEIGHTS = {PHONE: 844, 1366: 900, 1920: 1080}
MAIN_PAGES = (
    "index.html",
    "criteria.html",
    "goals.html",
    "lists.html",
    "method.html",
    "downloads.html",
)
PAGES = (*MAIN_PAGES, "area", "housing", "compare.html")  # axe, reflow and columns: one place


def page_path(name: str, bundle: ReportBundle) -> str:
    """A page of the site by name; "area" and "housing" are the first profile of each kind."""
    if name == "area":
        return area_page(designated_areas(bundle)["area_id"].iloc[0])
    if name == "housing":
        return housing_page(bundle.housing_areas["housing_area_id"].iloc[0])
    return name


def open_at(context: Any, root: Path, width: int) -> tuple[Any, Guard]:
    """A guarded page of `context` laid out at `width`. At 390 px the page is a phone's: a mobile
    viewport (the page's viewport meta decides its layout width, as on a phone; a page without
    one is laid out 980 px wide) with touch, as Playwright's is_mobile and has_touch set them
    (through the same DevTools calls: the shared context is a persistent one, fixed at 1280 px)."""
    page, guard = open_guarded(context, root)
    if width == PHONE:
        cdp = context.new_cdp_session(page)
        _phone(cdp, HEIGHTS[PHONE])
        cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
        _PHONES[page] = cdp
    else:
        page.set_viewport_size({"width": width, "height": HEIGHTS.get(width, 900)})
    return page, guard


_PHONES: dict[Any, Any] = {}  # the phone pages' DevTools sessions


def _phone(cdp: Any, height: int) -> None:
    metrics = {"width": PHONE, "height": height, "deviceScaleFactor": 1, "mobile": True}
    cdp.send("Emulation.setDeviceMetricsOverride", metrics)


def screenshot(page: Any, path: Path) -> None:
    """The whole page. On the phone Playwright's capture would lay the page out again at the
    context's desktop width, so the phone's screen is made as tall as the page and captured
    through DevTools."""
    cdp = _PHONES.get(page)
    if cdp is None:
        page.screenshot(path=str(path), full_page=True)
        return
    _phone(cdp, min(int(page.evaluate("document.documentElement.scrollHeight")), 16000))
    shot = cdp.send("Page.captureScreenshot", {"format": "png"})
    path.write_bytes(base64.b64decode(shot["data"]))
    _phone(cdp, HEIGHTS[PHONE])


# Every table of the page, rendered: each cell is shown (no column hidden), inside its table and
# either inside the window or inside a box that scrolls sideways and that a keyboard can reach
# (focusable, a labelled region); no table sits in a box that scrolls vertically (rows hidden
# below a fold) or that clips it. Returns the problems found, in words.
CLIPPED_JS = """
() => {
  const problems = [];
  const view = document.documentElement.clientWidth;
  const boxOf = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX !== 'visible' || s.overflowY !== 'visible') return p;
    }
    return null;
  };
  const text = (el) => el.textContent.replace(/\\u00ad/g, '').replace(/\\s+/g, ' ').trim();
  document.querySelectorAll('table').forEach((table, i) => {
    if (!table.getClientRects().length) return;  // not rendered (a closed <details>)
    const name = (table.caption ? text(table.caption) : '') || `table ${i + 1}`;
    const box = boxOf(table);
    let reach = view;
    if (box) {
      const s = getComputedStyle(box);
      const b = box.getBoundingClientRect();
      if (box.scrollHeight > box.clientHeight + 1) {
        problems.push(`${name}: in a box that scrolls vertically (${box.clientHeight} of ` +
                      `${box.scrollHeight} px shown)`);
      }
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!['auto', 'scroll'].includes(s.overflowX)) {
          problems.push(`${name}: cut sideways by a box that does not scroll`);
        } else if (!(box.tabIndex >= 0 && box.getAttribute('tabindex') !== null &&
                     box.getAttribute('role') === 'region' &&
                     (box.getAttribute('aria-label') || box.getAttribute('aria-labelledby')))) {
          problems.push(`${name}: scrolls sideways in a box that is not a focusable, ` +
                        'labelled region');
        }
        reach = b.left + box.scrollWidth - box.scrollLeft;
      } else {
        reach = Math.min(view, b.right);
      }
    }
    const t = table.getBoundingClientRect();
    for (const cell of table.querySelectorAll('th, td')) {
      const r = cell.getBoundingClientRect();
      const what = `${name}: cell "${text(cell).slice(0, 30)}"`;
      const cs = getComputedStyle(cell);
      if (!cell.getClientRects().length || r.width < 1 || cs.visibility === 'hidden') {
        problems.push(`${what} is not shown`);
        continue;
      }
      if (r.right > t.right + 1) problems.push(`${what} sticks out of its table`);
      if (r.right > reach + 1) problems.push(`${what} is cut off at ${Math.round(reach)} px`);
      if (cs.overflowX !== 'visible' && cell.scrollWidth > cell.clientWidth + 1) {
        problems.push(`${what} has its text cut`);
      }
    }
  });
  return problems;
}
"""


def clipped(page: Any) -> list[str]:
    """The problems of the page's tables (CLIPPED_JS), in words; [] when every column shows."""
    return list(page.evaluate(CLIPPED_JS))


def page_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))
