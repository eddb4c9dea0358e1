"""Real-browser tests: Debian's Chromium driven by Playwright against live_server.

They walk the site as a reader would (mouse and keyboard), check every page type
with axe-core at a phone width and a desktop width, and save screenshots of each
to test-artifacts/screenshots/. Any console error or failed request fails a test.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from content.loading import content_fixture_paths
from partners.maps import REGIONAL_CENTRE, standing
from partners.models import Partner
from partners.views import ActivityListView

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
WIDTHS = {"phone": 375, "desktop": 1280}

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs Debian chromium")
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium; .ci/run "
        "does it)",
        allow_module_level=True,
    )

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in the test thread, and Django refuses
    # database access from such a thread unless told it is safe, as it is here. Only
    # for this module: elsewhere (manage.py check --deploy) the variable is an error.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def content(transactional_db):
    call_command("loaddata", *content_fixture_paths(), verbosity=0)


@pytest.fixture
def open_page(browser, live_server, content):
    """A function that opens a new tab at a width; the tab must log no console
    error and no failed request."""
    problems, contexts = [], []

    def open_page(path="/", width=WIDTHS["desktop"], javascript=True):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        # Addresses a test visits on purpose for their error page.
        page.expected_errors = set()

        def on_console(message):
            url = message.location.get("url", "")
            if message.type == "error" and url not in page.expected_errors:
                problems.append(f"console: {message.text} ({url})")

        def on_response(response):
            if response.status >= 400 and response.url not in page.expected_errors:
                problems.append(f"{response.status}: {response.url}")

        def on_request_failed(request):
            # Cancelled by the next navigation (a favicon, say): not a fault.
            if request.failure != "net::ERR_ABORTED":
                problems.append(request.url)

        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("requestfailed", on_request_failed)
        page.on("response", on_response)
        page.set_default_timeout(10_000)
        page.base_url = live_server.url
        page.goto(live_server.url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert problems == []


def test_home_to_partner_to_activity(open_page):
    page = open_page("/")
    expect(page.locator("h1")).to_have_text("NATO's Istanbul Cooperation Initiative")
    page.locator(".partner-list").get_by_role("link", name="Kuwait").click()
    expect(page.locator("h1")).to_have_text("Kuwait")
    facts = page.locator(".key-facts")
    expect(facts).to_contain_text("Latest activity")
    expect(facts).to_contain_text("By area")
    first = page.locator("#activities-heading ~ ul.cards .card__title a").first
    title = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".breadcrumbs")).to_contain_text("Activities")
    expect(page.locator(".key-facts")).to_contain_text("Kuwait")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_filters_survive_removing_a_tag_and_paging(open_page, monkeypatch, javascript):
    # Small pages so that a narrow result still has a second page.
    monkeypatch.setattr(ActivityListView, "paginate_by", 2)
    page = open_page("/activities/", javascript=javascript)
    filters = page.get_by_role("form", name="Filter")
    filters.get_by_role("checkbox", name="Kuwait").check()
    filters.get_by_role("checkbox", name="Bahrain").check()
    filters.get_by_role(
        "checkbox", name="Maritime security and counterterrorism"
    ).check()
    filters.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/activities/?*")
    summary = page.locator(".result-count")
    expect(summary).to_contain_text("Maritime security and counterterrorism")
    expect(summary).to_contain_text("Bahrain or Kuwait")

    page.get_by_role("link", name="Remove filter Partner: Bahrain").click()
    expect(summary).to_contain_text("with Kuwait")
    expect(summary).not_to_contain_text("Bahrain")
    assert "partner=bahrain" not in page.url

    page.get_by_role("link", name="Next page").click()
    page.wait_for_url("**page=2*")
    assert "partner=kuwait" in page.url and "area=maritime-security" in page.url
    expect(filters.get_by_role("checkbox", name="Kuwait")).to_be_checked()
    expect(filters.get_by_role("checkbox", name="Bahrain")).not_to_be_checked()
    expect(
        filters.get_by_role("checkbox", name="Maritime security and counterterrorism")
    ).to_be_checked()
    expect(page.locator(".pagination [aria-current=page]")).to_contain_text("2")
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert (
        canonical.endswith(
            "/activities/?partner=kuwait&area=maritime-security-counterterrorism&page=2"
        )
        or "page=2" in canonical
    )


def test_search_from_the_header(open_page):
    page = open_page("/partners/")
    search = page.get_by_role("search", name="Site").get_by_role("searchbox")
    search.fill("regional centre")
    search.press("Enter")
    page.wait_for_url("**/search/?q=regional+centre")
    expect(page.locator(".result-count")).to_contain_text("for “regional centre”")
    expect(page.locator(".hit mark").first).to_be_visible()
    page.locator(".hit__title a").first.click()
    expect(page.locator("h1")).to_contain_text(re.compile("regional centre", re.I))


def focused(page):
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName.toLowerCase(),
                text: (el.innerText || el.value || '').trim().slice(0, 60),
                name: el.name || '',
                inFilters: !!el.closest('.filters'),
                inResults: !!el.closest('.results .cards'),
                outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
                shadow: style.boxShadow !== 'none',
                background: style.backgroundColor,
            };
        }"""
    )


def tab_until(page, wanted, limit=80):
    """Press Tab until `wanted(focus)` holds; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["shadow"] or now["outline"], f"no visible focus on {now}"
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached it in {limit} presses")


def test_keyboard_alone_filters_and_reaches_results_with_visible_focus(open_page):
    page = open_page("/activities/")
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["text"] == "Skip to main content"
    assert skip["shadow"] or skip["outline"]
    page.keyboard.press("Enter")
    tab_until(page, lambda f: f["inFilters"] and f["name"] == "partner")
    page.keyboard.press("Space")
    tab_until(page, lambda f: f["text"] == "Apply filters")
    page.keyboard.press("Enter")
    page.wait_for_url("**partner=*")
    expect(page.locator(".active-filters")).to_contain_text("Partner:")
    page.keyboard.press("Tab")  # focus starts again at the top of the new page
    tab_until(page, lambda f: f["inResults"])


PAGE_TYPES = {
    "home": "/",
    "partner-list": "/partners/",
    "partner-detail": "/partners/qatar/",
    "area-list": "/areas/",
    "area-detail": "/areas/maritime-security/",
    "activity-list": "/activities/?partner=kuwait&partner=qatar",
    "activity-detail": None,  # the first activity in the list
    "timeline": "/timeline/",
    "milestone-detail": None,  # the first milestone on the timeline
    "sources": "/sources/",
    "search": "/search/?q=maritime+security",
    "about": "/about/",
    "charts": "/charts/",
    "matrix": "/compare/",
    "data": "/data/",
    "methodology": "/methodology/",
    "changes": "/changes/",
    "report": "/report/",
    "not-found": "/no-such-page/",
}
STATUS = {"not-found": 404}


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_every_page_type_passes_axe_and_is_captured(open_page, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    report = {}
    page = open_page("/activities/", width)
    paths = dict(PAGE_TYPES)
    paths["activity-detail"] = page.locator(".card__title a").first.get_attribute(
        "href"
    )
    page.goto(page.base_url + "/timeline/")
    paths["milestone-detail"] = page.locator(
        ".entry--milestone .entry__title a"
    ).first.get_attribute("href")
    for name, path in paths.items():
        if name in STATUS:
            page.expected_errors.add(page.base_url + path)
        response = page.goto(page.base_url + path)
        assert response.status == STATUS.get(name, 200), path
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        # The page fits the width: nothing forces a horizontal scroll.
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        ), f"{path} is wider than {width} px"
        violations = axe.run(page).response["violations"]
        report[name] = [
            {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
            for v in violations
        ]
    ARTIFACTS.joinpath(f"axe-{width}.json").write_text(json.dumps(report, indent=2))
    serious = {
        name: [v for v in found if v["impact"] in ("serious", "critical")]
        for name, found in report.items()
    }
    assert {name: found for name, found in serious.items() if found} == {}
    # On paper, a profile and a list lose the header, filters and pagination.
    page.emulate_media(media="print")
    page.goto(page.base_url + "/activities/?partner=qatar")
    expect(page.locator(".filters")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".card").first).to_be_visible()
    page.emulate_media(media="screen")


# The map, the charts, the folded filters (issue 16).


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", ["/", "/partners/"])
def test_map_states_are_named_links_to_their_profiles(open_page, width, path):
    page = open_page(path, width)
    figure = page.locator("figure.gulf-map")
    frame = figure.locator("svg.gulf-map__svg").bounding_box()
    partners = list(Partner.objects.public())
    assert len(partners) == 6
    for partner in partners:
        name = f"{partner.name}, {standing(partner)}"
        shape = figure.get_by_role("link", name=name, exact=True)
        expect(shape).to_have_attribute("href", partner.get_absolute_url())
        box = shape.bounding_box()
        assert box["width"] > 0 and box["height"] > 0, name
        # Every state lies inside the drawn frame.
        assert box["x"] >= frame["x"] - 1 and box["y"] >= frame["y"] - 1, name
        assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 1, name
    centre = figure.get_by_role(
        "link", name=re.compile(f"^{REGIONAL_CENTRE['name']}, Kuwait City")
    )
    expect(centre).to_be_visible()
    # The legend tells the patterns apart in words; the table carries the facts.
    expect(figure.locator(".gulf-map__legend")).to_contain_text("ICI partner (hatched)")
    table = page.get_by_role("table", name="The Gulf states on the map")
    expect(table.get_by_role("row")).to_have_count(len(partners) + 2)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{path} is wider than {width} px"
    )
    report = Axe().run(page, context=".gulf-map").response
    assert report["violations"] == []
    # A click on a shape opens that state's profile, with its locator map.
    figure.get_by_role("link", name=re.compile("^Qatar, ")).click()
    expect(page.locator("h1")).to_have_text("Qatar")
    expect(page.locator(".locator-map__here")).to_have_attribute("data-iso3", "QAT")


def test_map_keyboard_reaches_every_state_with_visible_focus(open_page):
    page = open_page("/partners/")
    names = []
    for _ in range(60):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el.closest('.gulf-map')) return null;
                const style = getComputedStyle(el);
                return {name: el.getAttribute('aria-label'),
                        outline: style.outlineStyle !== 'none'};
            }"""
        )
        if state:
            assert state["outline"], state
            names.append(state["name"])
        elif names:
            break
    assert len(names) == 7  # six states and the Regional Centre


def test_map_table_is_printed(open_page):
    page = open_page("/partners/")
    facts = page.locator(".gulf-map__facts")
    expect(
        facts.get_by_role("table", name="The Gulf states on the map")
    ).to_be_attached()
    assert facts.bounding_box()["width"] <= 2  # read out, not shown, on screen
    page.emulate_media(media="print")
    assert facts.bounding_box()["width"] > 200
    expect(page.locator("svg.gulf-map__svg")).to_be_visible()
    page.emulate_media(media="screen")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", ["/charts/", "/charts/?partner=kuwait&partner=oman"])
def test_every_chart_label_lies_inside_its_chart(open_page, width, path):
    page = open_page(path, width)
    charts = page.locator("svg.chart__svg")
    assert charts.count() == 4
    outside = page.evaluate(
        """() => {
            const out = [];
            let labels = 0;
            for (const svg of document.querySelectorAll('svg.chart__svg')) {
                const frame = svg.getBoundingClientRect();
                for (const text of svg.querySelectorAll('text')) {
                    labels++;
                    const box = text.getBoundingClientRect();
                    if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5 ||
                        box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5)
                        out.push([text.textContent, box.left, box.right, frame.left,
                                  frame.right]);
                }
            }
            return {labels, out};
        }"""
    )
    assert outside["labels"] > 20
    assert outside["out"] == [], outside["out"]
    # No label is cut short either: the longest area name is written whole.
    expect(page.locator("#per-area svg")).to_contain_text("Defence reform")
    report = Axe().run(page, context=".results").response
    assert [v["id"] for v in report["violations"]] == []


def test_chart_downloads_answer_svg_and_csv(open_page):
    page = open_page("/charts/?partner=kuwait")
    chart = page.locator("#per-partner-year")
    svg = chart.get_by_role("link", name=re.compile("Download the chart"))
    response = page.request.get(page.base_url + svg.get_attribute("href"))
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.text().lstrip().startswith("<?xml")
    data = chart.get_by_role("link", name=re.compile("Download its data"))
    response = page.request.get(page.base_url + data.get_attribute("href"))
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text().splitlines()
    assert lines[0].split(",")[0] == "Year" and "Kuwait" in lines[0].split(",")
    assert len(lines) - 1 == chart.locator("tbody tr").count()


LISTS = {
    "/activities/": ".results .card",
    "/activities/?partner=kuwait&partner=qatar": ".results .card",
    "/timeline/": ".results .entry",
    "/charts/": ".results .chart",
}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_a_phone_the_first_result_is_on_the_first_screen(open_page, javascript):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page("/activities/", WIDTHS["phone"], javascript=javascript)
    for path, first in LISTS.items():
        page.goto(page.base_url + path)
        fold = page.locator("summary.filters-fold__summary")
        active = 2 if "partner=" in path else 0
        expect(fold).to_have_text(f"Filters ({active} active)" if active else "Filters")
        expect(page.locator("form.filters")).to_be_hidden()
        box = page.locator(first).first.bounding_box()
        assert box["y"] + 40 <= 800, f"{path}: first result at {box['y']} px"
        assert page.evaluate("document.documentElement.scrollWidth <= 375"), path
    page.goto(page.base_url + "/activities/?partner=kuwait&partner=qatar")
    page.screenshot(
        path=SCREENSHOTS / f"activity-list-phone-{'js' if javascript else 'no-js'}.png"
    )
    # One keyboard press opens the fold, and the form is there to use.
    fold = page.locator("summary.filters-fold__summary")
    fold.focus()
    page.keyboard.press("Enter")
    expect(page.locator("form.filters")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Kuwait")).to_be_checked()
    if javascript:  # axe runs as a script in the page
        report = Axe().run(page, context=".filters-fold").response
        assert report["violations"] == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_a_wide_screen_the_filters_show_without_opening_the_fold(
    open_page, javascript
):
    page = open_page("/activities/", WIDTHS["desktop"], javascript=javascript)
    for path in LISTS:
        page.goto(page.base_url + path)
        expect(page.get_by_role("form", name="Filter")).to_be_visible()
        expect(page.locator("summary.filters-fold__summary")).to_be_hidden()
        expect(page.get_by_role("button", name="Apply filters")).to_be_visible()


def test_share_tags_point_to_a_drawn_image(open_page):
    page = open_page("/partners/kuwait/")
    image = page.locator('meta[property="og:image"]').get_attribute("content")
    assert page.locator('meta[name="twitter:card"]').get_attribute("content") == (
        "summary_large_image"
    )
    response = page.request.get(image)
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    assert "max-age=" in response.headers["cache-control"]


ARABIC_PAGES = {
    "home": "/ar/",
    "partner-list": "/ar/partners/",
    "partner-detail": "/ar/partners/qatar/",
    "area-list": "/ar/areas/",
    "area-detail": "/ar/areas/maritime-security/",
    "activity-list": "/ar/activities/",
    "activity-filtered": "/ar/activities/?partner=kuwait&partner=qatar",
    "timeline": "/ar/timeline/",
    "sources": "/ar/sources/",
    "search": "/ar/search/?q=maritime",
    "compare": "/ar/compare/",
    "charts": "/ar/charts/",
    "data": "/ar/data/",
    "not-found": "/ar/no-such-page/",
}


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_arabic_pages_read_right_to_left_and_pass_axe(open_page, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    page = open_page("/ar/activities/", width)
    paths = dict(ARABIC_PAGES)
    paths["activity-detail"] = page.locator(".card__title a").first.get_attribute(
        "href"
    )
    report = {}
    for name, path in paths.items():
        if name == "not-found":
            page.expected_errors.add(page.base_url + path)
        response = page.goto(page.base_url + path)
        assert response.status == (404 if name == "not-found" else 200), path
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("html").get_attribute("lang") == "ar"
        page.screenshot(path=SCREENSHOTS / f"ar-{name}-{width}.png", full_page=True)
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        ), f"{path} is wider than {width} px"
        report[name] = [
            {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
            for v in axe.run(page).response["violations"]
        ]
    ARTIFACTS.joinpath(f"axe-ar-{width}.json").write_text(json.dumps(report, indent=2))
    assert {name: found for name, found in report.items() if found} == {}
    # The header mirrors: the site's name starts at the right edge.
    page.goto(page.base_url + "/ar/")
    name = page.locator(".site-name").bounding_box()
    assert name["x"] + name["width"] > width / 2
    # The Arabic font is the site's own, loaded from its static files.
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Arabic\"', 'مبادرة')")


def test_the_switcher_keeps_the_page_and_its_filters_in_the_browser(open_page):
    page = open_page("/activities/?partner=qatar")
    page.get_by_role("navigation", name="Language").get_by_role(
        "link", name="العربية"
    ).click()
    expect(page).to_have_url(re.compile(r"/ar/activities/\?partner=qatar$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator('input[name="partner"][value="qatar"]')).to_be_checked()
    page.get_by_role("navigation", name="اللغة").get_by_role(
        "link", name="Français"
    ).click()
    expect(page).to_have_url(re.compile(r"/fr/activities/\?partner=qatar$"))
    expect(page.locator("h1")).to_have_text("Activités")
