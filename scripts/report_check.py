#!/usr/bin/env python3
"""Drives a claimex report in headless Chromium (Playwright, Debian's chromium) and checks it.

Used by the browser test (tests/desk.rs) and by `make bench` (--time-only). Prints one JSON
object on stdout with what it saw; exits 1 with the reason on stderr when a check fails.

Checks: the page renders from its own data with no network request and no console error;
the overview's counts; the claims table's rows, sort (by clicking the Score and Speaker
headers) and filters (typing text, choosing a kind); an article's highlights and the panels a
click on a quote and on an entity opens; that nothing from article text ran (no dialog, no
`window.__pwned`, the hostile strings shown as text); and a screenshot of one article.
"""
import argparse
import json
import sys
import time

from playwright.sync_api import sync_playwright


def fail(msg):
    print(f"report_check: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--report", required=True)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--expect", help="JSON: articles, failed, claims, kinds{}, hostile (index), seed (index), seed_speaker")
    ap.add_argument("--screenshot")
    ap.add_argument("--time-only", action="store_true", help="only open the page and say how long it took")
    a = ap.parse_args()
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=a.chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        requests, errors, dialogs = [], [], []
        page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        t0 = time.monotonic()
        page.goto("file://" + a.report)
        page.wait_for_selector("body[data-ready='1']", timeout=120_000)
        out["open_ms"] = round((time.monotonic() - t0) * 1000)
        if a.time_only:
            print(json.dumps(out))
            return
        e = json.loads(a.expect)
        card = lambda id: int(page.inner_text(f"#{id} b"))
        for id, want in [("n-articles", e["articles"]), ("n-failed", e["failed"]), ("n-claims", e["claims"])] + [
            ("n-" + k, v) for k, v in e["kinds"].items()
        ]:
            if card(id) != want:
                fail(f"overview card {id}: {card(id)}, want {want}")
        if e["failed"] and page.locator("#failed li").count() != e["failed"]:
            fail("failed articles are not all listed")
        out["failed_text"] = page.inner_text("#failed") if e["failed"] else ""
        rows = page.locator("#claims-table tbody tr")
        if rows.count() != min(200, e["claims"]):
            fail(f"{rows.count()} table rows, want {min(200, e['claims'])}")

        def scores():
            return [float(x) if x != "–" else -1 for x in page.locator("#claims-table tbody tr td:nth-child(2)").all_inner_texts()]

        s = scores()
        if s != sorted(s, reverse=True):
            fail("the table does not start ranked by score, highest first")
        page.click("button[data-sort='score']")
        if page.get_attribute("th[data-key='score']", "aria-sort") != "ascending" or scores() != sorted(scores()):
            fail("clicking Score did not sort ascending")
        page.click("button[data-sort='speaker']")
        sp = [x.split("\n")[0].lower() for x in page.locator("#claims-table tbody tr td:nth-child(4)").all_inner_texts()]
        if sp != sorted(sp):
            fail("clicking Speaker did not sort by speaker")
        page.click("button[data-sort='score']")
        if page.get_attribute("th[data-key='score']", "aria-sort") != "descending" or scores() != sorted(scores(), reverse=True):
            fail("clicking Score after another column did not sort highest first")
        # filters, by typing and choosing as a person would
        page.fill("#f-text", "agreement")
        texts = page.locator("#claims-table tbody tr td:nth-child(5)").all_inner_texts()
        if not texts or not all("agreement" in t.lower() for t in texts):
            fail(f"the text filter shows {texts[:3]}")
        out["filtered_agreement"] = len(texts)
        page.fill("#f-text", "")
        page.select_option("#f-kind", "narrative")
        kinds = page.locator("#claims-table tbody tr td:nth-child(3)").all_inner_texts()
        if len(kinds) != min(200, e["kinds"]["narrative"]) or set(kinds) != {"narrative"}:
            fail(f"the kind filter shows {len(kinds)} rows of {set(kinds)}")
        page.select_option("#f-kind", "")
        page.fill("#f-min", "0.9")
        high = [x for x in scores()]
        if not all(x >= 0.9 for x in high):
            fail("the minimum score filter let lower scores through")
        page.fill("#f-min", "")
        # the seed article, from its row's link
        page.goto("file://" + a.report + f"#a/{e['seed']}")
        page.wait_for_selector("#article-text")
        counts = {c: page.locator(f"#article-text .{c}").count() for c in ["content", "source", "cue", "mention", "claim"]}
        out["seed_marks"] = counts
        if min(counts.values()) == 0:
            fail(f"highlights missing on the seed article: {counts}")
        if page.locator("#article-text sup.score").count() < 10:
            fail("claims are not marked with their scores")
        page.locator("#article-text .content[data-q]:not(.mention)").nth(3).click()
        panel = page.inner_text("#panel")
        if "Speaker" not in panel or "Cue" not in panel:
            fail(f"clicking a quote did not show its attribution: {panel!r}")
        out["quote_panel"] = panel
        if a.screenshot:
            page.screenshot(path=a.screenshot, full_page=False)
        page.locator(f"#article-text .mention[data-e]:text-is('{e['seed_speaker']}')").first.click()
        panel = page.inner_text("#panel")
        if e["seed_speaker"] not in panel or page.locator("#mentions li").count() < 3:
            fail(f"clicking an entity did not list its mentions: {panel!r}")
        out["speaker_panel"] = panel
        page.click("#panel-close")
        # the hostile article: everything shows as text, nothing runs
        page.goto("file://" + a.report + f"#a/{e['hostile']}")
        page.wait_for_selector("#article-text")
        text = page.inner_text("#article-text")
        title = page.inner_text("#article-title")
        for needle in ["<script>", "<img src=x onerror=", "</textarea>", "javascript:"]:
            if needle not in text + title:
                fail(f"{needle!r} is not shown as text")
        out["hostile_title"] = title
        page.locator("#article-text [data-q]").first.click()
        page.goto("file://" + a.report + "#claims")
        page.fill("#f-text", "script")
        if page.evaluate("typeof window.__pwned") != "undefined":
            fail("a script from the article ran")
        if page.locator("#article-text img, #claims img, #overview img, script:not(#data)").count() > 1:
            fail("markup from an article became elements")
        if dialogs:
            fail(f"dialogs opened: {dialogs}")
        if requests:
            fail(f"the page made requests: {requests}")
        if errors:
            fail(f"console errors: {errors}")
        browser.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
