"""End to end: ``streamlit run app.py`` driven in headless Chromium, as a user would.

Create an assessment, answer, refresh the page, find the answers still there, reach the
results; survive a server crash right after an answer; two tabs that disagree. Screenshots
of the start, questionnaire and results pages go to artifacts/screenshots/ for a human look.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from checklist.loader import default_checklist
from checklist.schema import Item

pytestmark = pytest.mark.browser

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
VIEWPORT = {"width": 1366, "height": 900}  # a common laptop screen


def settle(page: Page) -> None:
    """Wait until the app has finished its run, and check it did not fail."""
    page.wait_for_selector(IDLE)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def widget(page: Page, key: str) -> Locator:
    """The element Streamlit renders for the widget with this key."""
    return page.locator(".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key))


def key(item: Item, part: str) -> str:
    return f"answer:{item.id}:{part}"


def first_section_items() -> tuple[Item, Item]:
    """An age item and a status item, both in the first section."""
    section = default_checklist().sections[0]
    age = next(i for i in section.items if i.answer.type == "number")
    status = next(i for i in section.items if i.answer.type == "status" and not i.applies_if)
    return age, status


NAME = "Tess Tester"


def create(page: Page, base_url: str, jurisdiction: str) -> None:
    """Create an assessment on the Start page; a browser that has not given its name yet gives
    it there (it is then kept in the browser, so a refresh does not ask again)."""
    page.goto(base_url)
    settle(page)
    page.get_by_label("Country or jurisdiction (required)").fill(jurisdiction)
    your_name = page.get_by_label("Your name (recorded with each change you make)")
    if your_name.count():
        your_name.fill(NAME)
    page.get_by_role("button", name="Create and start").click()
    expect(page.get_by_text(re.compile(r"^Section 1 of \d+$"))).to_be_visible()
    settle(page)


def to_results(page: Page) -> None:
    """Open Results by the top link and wait until it is drawn (an idle app alone may still
    be the page before: the switch has not started yet)."""
    page.get_by_role("link", name="Results").click()
    expect(page.get_by_role("heading", name="Gaps, gravest first")).to_be_visible()
    settle(page)


def answer_age(page: Page, item: Item, age: int) -> None:
    field = widget(page, key(item, "value")).locator("input")
    field.fill(str(age))
    field.press("Enter")
    expect(page.get_by_text(f"{age} years is below the threshold", exact=False)).to_be_visible()
    settle(page)


def choose(page: Page, item: Item, part: str, label: str) -> None:
    group = widget(page, key(item, part))
    group.get_by_text(label, exact=True).click()
    expect(group.get_by_role("radio", name=label, exact=True)).to_be_checked()
    settle(page)


def test_create_answer_refresh_and_reach_the_results(
    chromium: Any, servers: Any, screenshots: Path
) -> None:
    server = servers()
    page: Page = chromium.new_page(viewport=VIEWPORT)
    page.goto(server.url)
    settle(page)
    expect(page.get_by_role("heading", name="OPSC Gap Check")).to_be_visible()
    page.screenshot(path=screenshots / "start.png")

    create(page, server.url, "Ruritania")
    assert re.search(r"[?&]a=[0-9a-f]+", page.url), page.url
    age, status = first_section_items()
    answer_age(page, age, 16)
    choose(page, status, "status", "Partly covered")
    provisions = widget(page, key(status, "provisions")).locator("textarea")
    provisions.fill("Penal Code, art. 366 quater")
    provisions.blur()
    settle(page)
    expect(page.get_by_text(re.compile(r"2 of \d+ answered"))).to_be_visible()
    page.get_by_text(re.compile(r"^Section 1 of \d+$")).evaluate(
        "e => e.scrollIntoView({block: 'center'})"
    )
    page.screenshot(path=screenshots / "questionnaire.png")
    widget(page, f"item:{status.id}").evaluate("e => e.scrollIntoView({block: 'center'})")
    page.screenshot(path=screenshots / "questionnaire-item.png")

    page.reload()  # a new session: only the URL and the database are left
    settle(page)
    first = default_checklist().sections[0]
    current = page.locator(".st-key-nav-section-" + first.id).get_by_role("button")
    expect(current).to_have_attribute("data-testid", "stBaseButton-primary")
    expect(widget(page, key(age, "value")).locator("input")).to_have_value("16")
    expect(
        widget(page, key(status, "status")).get_by_role("radio", name="Partly covered")
    ).to_be_checked()
    expect(widget(page, key(status, "provisions")).locator("textarea")).to_have_value(
        "Penal Code, art. 366 quater"
    )

    second = default_checklist().sections[1]
    page.locator(".st-key-nav-section-" + second.id).get_by_role("button").click()
    expect(page.get_by_text(re.compile(r"^Section 2 of \d+$"))).to_be_visible()
    settle(page)
    page.get_by_role("button", name=re.compile("^Previous")).click()
    expect(page.get_by_text(re.compile(r"^Section 1 of \d+$"))).to_be_visible()
    settle(page)
    expect(widget(page, key(age, "value")).locator("input")).to_have_value("16")

    to_results(page)
    expect(
        page.locator("[data-testid='stVegaLiteChart'] canvas, .vega-embed svg").first
    ).to_be_visible()
    # the recommendation, shown with its gap (the action form beside it starts from it too)
    expect(page.get_by_text(age.recommendation[:50], exact=False).first).to_be_visible()
    page.screenshot(path=screenshots / "results.png")
    page.get_by_role("heading", name="Gaps, gravest first").evaluate(
        "e => e.scrollIntoView({block: 'center'})"
    )
    page.screenshot(path=screenshots / "results-gaps.png")

    for label, magic in (("Excel workbook (.xlsx)", b"PK"), ("PDF report (.pdf)", b"%PDF")):
        with page.expect_download() as download:
            page.get_by_role("button", name=label).click()
        assert Path(download.value.path()).read_bytes().startswith(magic), label
    page.close()


def test_answer_survives_kill_9_of_the_server_right_after_it_is_given(
    chromium: Any, servers: Any, screenshots: Path
) -> None:
    server = servers()
    page: Page = chromium.new_page(viewport=VIEWPORT)
    create(page, server.url, "Freedonia")
    age, _ = first_section_items()
    answer_age(page, age, 17)
    link = page.url
    server.kill_9()

    again = servers()
    page.goto(link.replace(f":{server.port}/", f":{again.port}/"))
    settle(page)
    expect(widget(page, key(age, "value")).locator("input")).to_have_value("17")

    page.goto(again.url)  # the start page lists it as saved work
    settle(page)
    expect(page.get_by_text("Freedonia").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"1 of \d+ answered")).first).to_be_visible()
    page.screenshot(path=screenshots / "start-saved-work.png")

    page.get_by_text("Back up or restore every saved assessment").click()
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Download a back-up")).click()
    with zipfile.ZipFile(download.value.path()) as archive:
        (name,) = archive.namelist()
    assert name.startswith("freedonia--") and name.endswith(".json")
    page.close()


def test_two_tabs__the_later_answer_is_not_saved_over_the_newer_one(
    chromium: Any, servers: Any, screenshots: Path
) -> None:
    server = servers()
    context = chromium.new_context(viewport=VIEWPORT)
    first: Page = context.new_page()
    create(first, server.url, "Elbonia")
    second: Page = context.new_page()
    second.goto(first.url)
    settle(second)
    _, status = first_section_items()

    provisions = widget(first, key(status, "provisions")).locator("textarea")
    provisions.fill("Penal Code, art. 366 quater\nChildren Act 2019, s. 12")
    provisions.blur()
    settle(first)
    choose(first, status, "status", "Covered")
    # the first tab's save has reached the database (its sidebar counts it) before the second
    # tab answers: otherwise the second tab's conflict is against an older save, and its
    # overwrite is rightly refused as a new conflict when the first save lands
    expect(first.get_by_text(re.compile(r"\b1 of \d+ answered"))).to_be_visible()
    choose(second, status, "status", "Not covered")
    expect(second.get_by_text("was changed in another tab")).to_be_visible()
    expect(second.get_by_text("Children Act 2019, s. 12", exact=False)).to_be_visible()
    widget(second, f"conflict:{status.id}:mine").evaluate(
        "e => e.scrollIntoView({block: 'center'})"
    )
    second.screenshot(path=screenshots / "conflict.png")

    second.get_by_role("button", name="Overwrite it with mine").click()
    settle(second)
    expect(second.get_by_text("was changed in another tab")).to_have_count(0)
    first.reload()
    settle(first)
    expect(
        widget(first, key(status, "status")).get_by_role("radio", name="Not covered")
    ).to_be_checked()
    context.close()


def test_clear_an_answer_then_delete_the_assessment_after_downloading_it(
    chromium: Any, servers: Any, screenshots: Path
) -> None:
    server = servers()
    page: Page = chromium.new_page(viewport=VIEWPORT)
    create(page, server.url, "Elbonia")
    _, status = first_section_items()
    choose(page, status, "status", "Partly covered")
    widget(page, f"item:{status.id}").evaluate("e => e.scrollIntoView({block: 'center'})")
    page.screenshot(path=screenshots / "clear-answer.png")
    widget(page, f"clear:{status.id}").get_by_role("button").click()
    expect(widget(page, f"clear:{status.id}")).to_have_count(0)
    settle(page)
    expect(
        widget(page, key(status, "status")).get_by_role("radio", name="Partly covered")
    ).not_to_be_checked()
    expect(page.get_by_text(re.compile(r"· 0 of \d+ answered"))).to_be_visible()

    page.get_by_role("link", name="Start").click()
    settle(page)
    page.get_by_role("button", name="Delete…").click()
    expect(page.get_by_text("This cannot be undone")).to_be_visible()
    settle(page)
    page.get_by_text("This cannot be undone").evaluate("e => e.scrollIntoView({block: 'center'})")
    page.screenshot(path=screenshots / "delete-confirmation.png")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download its file first (.json)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"{")
    page.get_by_role("button", name="Delete it for good").click()
    expect(page.get_by_text("Deleted Elbonia.")).to_be_visible()
    settle(page)
    expect(page.get_by_text("Nothing saved yet")).to_be_visible()
    assert "a=" not in page.url
    page.close()


def test_text_not_yet_committed__asks_before_the_page_is_left(chromium: Any, servers: Any) -> None:
    """Streamlit commits a text area on blur or Ctrl+Enter. Until then, refreshing or closing
    the tab asks first; once committed (and so saved), it does not."""
    server = servers()
    page: Page = chromium.new_page(viewport=VIEWPORT)
    create(page, server.url, "Ruritania")
    _, item = first_section_items()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))

    field = widget(page, key(item, "provisions")).locator("textarea")
    field.click()
    field.press_sequentially("Penal Code, art. 1")  # typed, still focused: not committed
    page.reload()
    settle(page)
    assert dialogs == ["beforeunload"]

    field = widget(page, key(item, "provisions")).locator("textarea")
    field.click()
    field.press_sequentially("Penal Code, art. 2")
    field.press("Control+Enter")  # committed: saved at once
    settle(page)
    expect(page.get_by_text(re.compile("to apply"))).to_have_count(0)
    page.reload()
    settle(page)
    assert dialogs == ["beforeunload"]  # no second question
    field = widget(page, key(item, "provisions")).locator("textarea")
    expect(field).to_have_value("Penal Code, art. 2")


def test_review_the_answer__lands_on_the_question_far_down_its_section(
    chromium: Any, servers: Any
) -> None:
    server = servers()
    page: Page = chromium.new_page(viewport=VIEWPORT)
    create(page, server.url, "Ruritania")
    section = max(default_checklist().sections[:9], key=lambda s: len(s.items))
    last = [i for i in section.items if i.answer.type == "status" and not i.applies_if][-1]
    page.locator(".st-key-nav-section-" + section.id).get_by_role("button").click()
    settle(page)
    choose(page, last, "status", "Not covered")
    to_results(page)
    widget(page, f"results:gap:{last.id}").get_by_role("button").click()
    settle(page)
    expect(widget(page, f"item:{last.id}")).to_be_in_viewport()


def test_keyboard__a_skip_link_leads_to_the_first_unanswered_question_and_focus_shows(
    chromium: Any, servers: Any
) -> None:
    server = servers()
    page: Page = chromium.new_page(viewport=VIEWPORT)
    create(page, server.url, "Ruritania")
    age, _ = first_section_items()
    page.reload()  # as a keyboard user arrives: focus at the top of the page
    settle(page)
    expect(page.locator("#opsc-skip")).to_have_count(1)
    page.keyboard.press("Tab")  # the first stop on the page
    skip = page.locator("#opsc-skip")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(widget(page, f"item:{age.id}").locator(":focus")).to_have_count(1)
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert outline == "3px"


def test_phone_width__sidebar_folds_after_picking_a_section_and_the_answer_comes_first(
    chromium: Any, servers: Any, screenshots: Path
) -> None:
    server = servers()
    page: Page = chromium.new_page(viewport={"width": 390, "height": 844})
    create(page, server.url, "Ruritania")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    page.get_by_test_id("stExpandSidebarButton").click()
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    second = default_checklist().sections[1]
    page.locator(".st-key-nav-section-" + second.id).get_by_role("button").click()
    expect(page.get_by_text(re.compile(r"^Section 2 of \d+$"))).to_be_visible()
    settle(page)
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    item = next(i for i in second.items if i.answer.type == "elements")
    answer = widget(page, f"item:{item.id}").locator("[data-testid='stRadio']").first
    question = widget(page, f"item:{item.id}").get_by_text(item.title, exact=True)
    answer_box, question_box = answer.bounding_box(), question.bounding_box()
    assert answer_box and question_box and answer_box["y"] < question_box["y"]
    expect(sidebar.get_by_text("Sections", exact=True)).not_to_be_in_viewport()
    page.screenshot(path=screenshots / "phone-questionnaire.png")


def test_addresses_in_user_text__stay_plain_text_not_live_links(
    chromium: Any, servers: Any
) -> None:
    server = servers()
    page: Page = chromium.new_page(viewport=VIEWPORT)
    create(page, server.url, "Ruritania http://evil.example www.evil2.example x@evil3.example")
    to_results(page)
    expect(page.get_by_text(re.compile(r"http:\W?//evil\.example")).first).to_be_visible()
    links = page.evaluate("[...document.querySelectorAll('a')].map(a => a.href)")
    assert not [href for href in links if "evil" in href], links


def test_review_comment_refresh_then_sign_off_makes_the_report_final(
    chromium: Any, servers: Any, screenshots: Path
) -> None:
    server = servers()
    page: Page = chromium.new_page(viewport=VIEWPORT)
    create(page, server.url, "Ruritania")
    _, status = first_section_items()
    choose(page, status, "status", "Partly covered")

    panel = widget(page, f"panel:{status.id}:review")
    panel.get_by_text("Reviewed", exact=True).click()
    expect(panel.get_by_role("radio", name="Reviewed", exact=True)).to_be_checked()
    settle(page)
    widget(page, f"panel:{status.id}:open").get_by_text("Comments (0) and history").click()
    settle(page)
    comment = widget(page, f"panel:{status.id}:comment").locator("textarea")
    comment.fill("Is art. 5 still in force? See http://example.org")
    widget(page, f"panel:{status.id}:add-comment").get_by_role("button").click()
    settle(page)
    expect(page.get_by_text("Is art. 5 still in force?", exact=False)).to_be_visible()
    expect(page.get_by_text(f"{NAME} · answered", exact=False)).to_be_visible()
    widget(page, f"panel:{status.id}:review").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=screenshots / "review-comments-history.png")

    page.reload()  # a new session: the name, the review state and the comment are kept
    settle(page)
    expect(page.get_by_text("Who is working on this?")).to_have_count(0)
    expect(
        widget(page, f"panel:{status.id}:review").get_by_role("radio", name="Reviewed")
    ).to_be_checked()
    widget(page, f"panel:{status.id}:open").get_by_text("Comments (1) and history").click()
    settle(page)
    expect(page.get_by_text("Is art. 5 still in force?", exact=False)).to_be_visible()
    expect(page.locator("a[href='http://example.org']")).to_have_count(0)

    to_results(page)
    expect(page.get_by_text("Draft: not signed off", exact=False)).to_be_visible()
    page.get_by_role("button", name="Versions and sign-off").click()
    settle(page)
    page.get_by_role("button", name="Record the decision").click()
    settle(page)
    expect(page.get_by_text(f"cleared by {NAME}", exact=False).first).to_be_visible()
    page.screenshot(path=screenshots / "versions-sign-off.png")
    page.get_by_role("button", name="Open read-only").click()
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="PDF report (.pdf)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(download.value.path()).pages]
    assert all("FINAL" in text for text in pages)  # the cleared version, on every page
    page.close()


def test_back_from_the_results__one_press_per_page(chromium: Any, servers: Any) -> None:
    """A page switch is one step of the browser's Back button: from the results, one press
    returns to the last questionnaire section (same assessment), the next to the one before.
    Both ways to the results count: the page's own button and the navigation link."""
    server = servers()
    page: Page = chromium.new_page(viewport=VIEWPORT)
    create(page, server.url, "Ruritania")
    match = re.search(r"[?&]a=([0-9a-f]+)", page.url)
    assert match, page.url
    checklist = default_checklist()
    sections = [s for s in checklist.sections if s.module in checklist.default_modules]
    count = len(sections)
    before_last, last = sections[-2], sections[-1]

    def showing(number: int, section_id: str) -> None:
        expect(page.get_by_text(re.compile(rf"^Section {number} of {count}$"))).to_be_visible()
        settle(page)
        expect(page).to_have_url(re.compile(rf"/questionnaire\?a={match[1]}&s={section_id}$"))

    page.locator(".st-key-nav-section-" + before_last.id).get_by_role("button").click()
    showing(count - 1, before_last.id)
    for way_to_the_results in (
        lambda: page.get_by_role("button", name="See the results").click(),
        lambda: page.get_by_role("link", name="Results").click(),
    ):
        page.get_by_role("button", name=re.compile("^Next")).click()
        showing(count, last.id)
        way_to_the_results()
        expect(page.get_by_role("heading", name="Gaps, gravest first")).to_be_visible()
        settle(page)
        page.go_back()
        showing(count, last.id)
        expect(page.get_by_role("heading", name="Gaps, gravest first")).to_have_count(0)
        page.go_back()
        showing(count - 1, before_last.id)


def test_action_plan__planned_on_results_and_listed_with_the_overdue_marked(
    chromium: Any, servers: Any, screenshots: Path
) -> None:
    server = servers()
    page: Page = chromium.new_page(viewport=VIEWPORT)
    create(page, server.url, "Ruritania")
    _, status = first_section_items()
    choose(page, status, "status", "Not covered")
    to_results(page)

    gap = widget(page, f"gap:{status.id}")
    expect(gap).to_be_visible()
    gap.get_by_text("Plan an action").click()
    form = f"results:action:{status.id}"
    widget(page, f"{form}:institution").locator("input").fill("Ministry of Justice")
    due = widget(page, f"{form}:due").locator("input")
    due.fill("2020-01-31")
    due.press("Enter")
    gap.get_by_role("button", name="Save the action").click()
    settle(page)
    expect(gap.get_by_text("Action saved.")).to_be_visible()
    gap.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=screenshots / "action-plan-form.png")

    page.get_by_role("link", name="Action plan").click()
    settle(page)
    expect(page.get_by_role("heading", name="Action plan")).to_be_visible()
    expect(page.get_by_text("past their target date", exact=False)).to_be_visible()
    expect(page.locator("[data-testid='stDataFrame'] canvas").first).to_be_visible()
    page.wait_for_timeout(500)  # the table draws itself on a canvas after it appears
    page.screenshot(path=screenshots / "action-plan.png")
    page.close()
