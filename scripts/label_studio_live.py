#!/usr/bin/env python3
"""Drives a real Label Studio as an annotator would, for claimex's live round-trip test.

Starts Label Studio on 127.0.0.1 (a free port, a fresh data folder), creates a project with
claimex's config.xml, imports the exported tasks (predictions included), then, for the task
whose data.id is given, accepts the prediction and applies one region correction and one
relation correction through the REST API, exports a snapshot with full predictions, writes it
to --out and stops the server by its process id (pass or fail).

The edit file is JSON: {"data_id": "...",
  "redraw": {"id": REGION, "start": S, "end": E},         # code points into data.text
  "relink": {"from": A, "to": B, "new_to": C}}            # the relation A->B becomes A->C

With --ui-task, it then works in Label Studio's real UI, in headless Chromium (Debian's
`chromium`, driven by Playwright from Label Studio's venv): logs in, opens that task, checks
that every pre-labelled region is highlighted over exactly its text (the task has emoji,
flags and a ZWJ sequence before and inside regions), draws a region with the mouse over
--ui-word with label --ui-label, and submits. --screenshot saves the task page (the task
given by --screenshot-task, else the UI task) as a PNG.

The driver itself uses only the standard library; Label Studio's venv is given with --venv.
"""

import argparse
import copy
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

TOKEN = "claimex-live-test-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"

    def __call__(self, method, path, body=None, raw=False):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=120) as f:
                out = f.read()
        except urllib.error.HTTPError as e:
            raise SystemExit(f"{method} {path}: HTTP {e.code}: {e.read()[:2000]!r}")
        return out if raw else json.loads(out or b"null")


def start(venv, data_dir, port, log):
    env = dict(os.environ)
    env.update(
        LABEL_STUDIO_USERNAME="annotator@claimex.test",
        LABEL_STUDIO_PASSWORD="claimex-annotator",
        LABEL_STUDIO_USER_TOKEN=TOKEN,
        LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK="true",
        LABEL_STUDIO_LATEST_VERSION_CHECK="false",
        LABEL_STUDIO_COLLECT_ANALYTICS="false",
        LABEL_STUDIO_SENTRY_DSN="",
        LABEL_STUDIO_FRONTEND_SENTRY_DSN="",
        LABEL_STUDIO_BASE_DATA_DIR=data_dir,
    )
    cmd = [
        os.path.join(venv, "bin", "label-studio"),
        "start",
        "--no-browser",
        "--internal-host",
        "127.0.0.1",
        "-p",
        str(port),
        "--enable-legacy-api-token",
    ]
    # its own process group, so stopping it stops its children too
    return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_healthy(api, proc, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"label-studio exited with {proc.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(api.base + "/health/", timeout=5) as f:
                if f.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"label-studio not healthy after {seconds} s")


def apply_edit(task_text, result, edit):
    r = edit.get("redraw")
    if r:
        hits = [x for x in result if x.get("id") == r["id"]]
        if not hits:
            raise SystemExit(f"no region {r['id']} in the prediction")
        for x in hits:  # the region and its per-region fields move together
            x["value"]["start"], x["value"]["end"] = r["start"], r["end"]
            if x["type"] == "labels":
                # Python slices strings by code point, as Label Studio counts offsets
                x["value"]["text"] = task_text[r["start"]:r["end"]]
    k = edit.get("relink")
    if k:
        rel = [x for x in result if x.get("type") == "relation"
               and x["from_id"] == k["from"] and x["to_id"] == k["to"]]
        if not rel:
            raise SystemExit(f"no relation {k['from']}->{k['to']} in the prediction")
        rel[0]["to_id"] = k["new_to"]
    return result


UI_USER = ("annotator@claimex.test", "claimex-annotator")

# The bounding box of `word` in the task's text, found from a highlighted region up.
FIND_WORD = """(word) => {
  let root = document.querySelector('.htx-highlight');
  while (root && !root.textContent.includes(word)) root = root.parentElement;
  if (!root) return null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const i = n.data.indexOf(word);
    if (i >= 0) {
      const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + word.length);
      const b = r.getBoundingClientRect(); return [b.left, b.top, b.width, b.height];
    }
  }
  return null;
}"""


def ui_session(api, venv, pid, tasks_by_data_id, a):
    """Logs in and works in the labeling UI; returns what it found."""
    site = os.path.join(venv, "lib")
    sys.path[:0] = [os.path.join(site, d, "site-packages") for d in os.listdir(site)]
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=a.chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(api.base + "/user/login/")
        page.fill("input[name=email]", UI_USER[0])
        page.fill("input[name=password]", UI_USER[1])
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

        def open_task(data_id):
            page.goto(f"{api.base}/projects/{pid}/data?task={tasks_by_data_id[data_id]['id']}")
            page.wait_for_selector(".htx-highlight", timeout=120000)
            page.wait_for_timeout(1500)

        if a.ui_task:
            task = tasks_by_data_id[a.ui_task]
            open_task(a.ui_task)
            # every region's highlight pieces, by the region id in their class name
            pieces = page.eval_on_selector_all(
                ".htx-highlight",
                "els => els.map(e => [e.className, Array.from(e.childNodes)"
                ".filter(c => c.nodeType === 3 || c.classList.contains('htx-highlight'))"
                ".map(c => c.textContent).join('')])",
            )
            shown = {}
            for cls, text in pieces:
                for c in cls.split():
                    if c.startswith("htx-highlight-"):
                        rid = c[len("htx-highlight-"):].rsplit("-", 1)[0]
                        shown[rid] = shown.get(rid, "") + text
            regions = [r for r in task["predictions_full"] if r.get("type") == "labels"]
            wrong = [(r["id"], r["value"]["text"], shown.get(r["id"])) for r in regions
                     if shown.get(r["id"]) != r["value"]["text"]]
            found["regions_checked"] = len(regions)
            found["regions_misplaced"] = wrong
            page.locator(".lsf-label", has_text=a.ui_label).first.click()
            box = page.evaluate(FIND_WORD, a.ui_word)
            if box is None:
                raise SystemExit(f"{a.ui_word!r} is not in the task's text on the page")
            x, y, w, h = box
            page.mouse.move(x + 1, y + h / 2)
            page.mouse.down()
            page.mouse.move(x + w / 2, y + h / 2, steps=5)
            page.mouse.move(x + w - 1, y + h / 2, steps=5)
            page.mouse.up()
            page.wait_for_timeout(500)
            page.get_by_role("button", name="Submit").click()
            page.wait_for_timeout(3000)
        if a.screenshot:
            open_task(a.screenshot_task or a.ui_task)
            page.screenshot(path=a.screenshot)
        browser.close()
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--venv", required=True)
    ap.add_argument("--tasks", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--edit", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--timeout", type=int, default=420)
    ap.add_argument("--ui-task", help="data.id of the task to check and draw on in the UI")
    ap.add_argument("--ui-word", default="Stadium")
    ap.add_argument("--ui-label", default="Place")
    ap.add_argument("--ui-report", help="write what the UI check found here (JSON)")
    ap.add_argument("--screenshot", help="save a PNG of a task page here")
    ap.add_argument("--screenshot-task", help="data.id of the task to screenshot")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="claimex-ls-")
    port = free_port()
    api = Api(port)
    log_path = os.path.join(work, "label-studio.log")
    log = open(log_path, "w")
    proc = start(a.venv, os.path.join(work, "data"), port, log)
    print(f"label-studio pid {proc.pid} on 127.0.0.1:{port}, log {log_path}", file=sys.stderr)
    try:
        t0 = time.time()
        wait_healthy(api, proc, a.timeout)
        print(f"healthy after {time.time() - t0:.0f} s", file=sys.stderr)
        project = api("POST", "/api/projects", {"title": "claimex live test",
                                                "label_config": open(a.config).read()})
        pid = project["id"]
        tasks = json.load(open(a.tasks))
        imported = api("POST", f"/api/projects/{pid}/import", tasks)
        print(f"imported {imported['task_count']} tasks, {imported['prediction_count']} predictions",
              file=sys.stderr)
        edit = json.load(open(a.edit))
        listed = api("GET", f"/api/tasks?project={pid}&page_size=100000")
        listed = listed["tasks"] if isinstance(listed, dict) else listed
        task = next(t for t in listed if t["data"].get("id") == edit["data_id"])
        predictions = api("GET", f"/api/predictions?task={task['id']}")
        # accept the prediction, then correct it
        result = apply_edit(task["data"]["text"], copy.deepcopy(predictions[-1]["result"]), edit)
        api("POST", f"/api/tasks/{task['id']}/annotations",
            {"result": result, "was_cancelled": False, "lead_time": 1.0})
        if a.ui_task or a.screenshot:
            by_id = {t["data"].get("id"): t for t in listed}
            if a.ui_task:
                t = by_id[a.ui_task]
                t["predictions_full"] = api("GET", f"/api/predictions?task={t['id']}")[-1]["result"]
            found = ui_session(api, a.venv, pid, by_id, a)
            print(f"UI: {found}", file=sys.stderr)
            if a.ui_report:
                with open(a.ui_report, "w") as f:
                    json.dump(found, f)
        export = api("POST", f"/api/projects/{pid}/exports",
                     {"title": "claimex", "serialization_options": {"predictions": {"only_id": False}}})
        for _ in range(120):
            status = api("GET", f"/api/projects/{pid}/exports/{export['id']}")["status"]
            if status == "completed":
                break
            if status == "failed":
                raise SystemExit("the export snapshot failed")
            time.sleep(1)
        else:
            raise SystemExit("the export snapshot did not complete in 120 s")
        data = api("GET", f"/api/projects/{pid}/exports/{export['id']}/download?exportType=JSON", raw=True)
        with open(a.out, "wb") as f:
            f.write(data)
        print(f"exported {len(json.loads(data))} tasks to {a.out}", file=sys.stderr)
    except BaseException:
        log.flush()
        sys.stderr.write(open(log_path).read()[-4000:])
        raise
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
