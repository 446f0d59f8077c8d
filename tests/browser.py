"""Real-browser helpers: Debian's Chromium through Playwright, held to what the intranet
allows (localhost only), and the checks a wall screen must pass (no errors, no scrollbars)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Route, WebSocketRoute

CHROMIUM = Path("/usr/bin/chromium")  # the system's; Playwright never downloads a browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    # Below the routes: whatever a route cannot see (workers, prefetch) cannot resolve a name.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
VIEWPORT = {"width": 1920, "height": 1080}  # the leaders' wall screen
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
ERROR_SELECTOR = ", ".join(
    ('[data-testid="stException"]', '[data-testid="stAlertContentError"]', ".stException")
)
# Streamlit 1.67 marks its root with the state of the script run and of the websocket.
RENDERED = (
    '[data-testid="stApp"][data-test-script-state="notRunning"]'
    '[data-test-connection-state="CONNECTED"]'
)
_PROBED = ("/_stcore/health", "/_stcore/host-config")
NO_SKELETONS = "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"


@dataclass
class GuardedPage:
    """A page whose requests beyond localhost were aborted and written down here."""

    page: Page
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS


def guard(context: BrowserContext, page: Page) -> GuardedPage:
    """Abort every request and websocket that would leave this machine, and record it."""
    guarded = GuardedPage(page)

    def abort(route: Route) -> None:
        guarded.blocked.append(route.request.url)
        route.abort("blockedbyclient")

    def close(socket: WebSocketRoute) -> None:
        guarded.blocked.append(socket.url)
        socket.close()

    context.route(lambda url: not is_local(url), abort)
    context.route_web_socket(lambda url: not is_local(url), close)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" and not _subpage_probe(message.location.get("url", "")):
            guarded.console_errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", console)
    page.on("pageerror", lambda error: guarded.console_errors.append(str(error)))
    return guarded


def _subpage_probe(url: str) -> bool:
    """Opened at /catalog, Streamlit first asks /catalog/_stcore/health and …/host-config and
    logs their 404s before it finds the root (streamlit/streamlit#7074): not the app's fault."""
    path = urlsplit(url).path
    return not path.startswith("/_stcore/") and path.endswith(_PROBED)


def wait_until_rendered(page: Page, network_idle: bool = True) -> None:
    """Until a script run has finished, its elements are drawn and the network is quiet.
    A page holding a `srcdoc` iframe (the briefing preview) never reports the network idle
    in Chromium; it passes `network_idle=False` and waits for what it shows instead."""
    page.wait_for_selector(RENDERED)
    page.wait_for_function(NO_SKELETONS)
    if network_idle:
        page.wait_for_load_state("networkidle")
    page.wait_for_selector(RENDERED)  # a component may have asked for a rerun meanwhile


def error_elements(page: Page) -> list[str]:
    """The text of every exception or st.error box on the page."""
    return [element.inner_text() for element in page.query_selector_all(ERROR_SELECTOR)]


_SCROLLBARS_JS = r"""() => {
  const found = [];
  const overflows = (el, axis) => axis === 'y'
    ? el.scrollHeight > el.clientHeight + 1 && `y ${el.scrollHeight}>${el.clientHeight}`
    : el.scrollWidth > el.clientWidth + 1 && `x ${el.scrollWidth}>${el.clientWidth}`;
  // The viewport scrolls unless html (or, when html is visible, body) hides the overflow.
  const html = getComputedStyle(document.documentElement);
  const body = getComputedStyle(document.body);
  for (const [axis, prop] of [['y', 'overflowY'], ['x', 'overflowX']]) {
    const overflow = html[prop] !== 'visible' ? html[prop] : body[prop];
    const seen = overflows(document.scrollingElement, axis);
    if (seen && !['hidden', 'clip'].includes(overflow)) found.push(`viewport ${seen}`);
  }
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    const axes = [['y', style.overflowY], ['x', style.overflowX]]
      .filter(([, overflow]) => overflow === 'auto' || overflow === 'scroll')
      .map(([axis]) => overflows(el, axis))
      .filter(Boolean);
    if (axes.length) {
      const owner = el.closest('[data-testid]');
      const within = owner ? `[data-testid="${owner.dataset.testid}"]` : '';
      const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/)[0] : '';
      found.push(`${el.tagName.toLowerCase()}${cls ? '.' + cls : ''}${within} ${axes.join(' ')}`);
    }
  }
  return found;
}"""


def scrollbars(page: Page) -> list[str]:
    """Every scrolling box whose content overflows, in the page and its frames (charts): the
    `viewport`, or `tag.class[data-testid] y content>box` (the test id of the element or of its
    nearest marked ancestor)."""
    found: list[str] = []
    for frame in page.frames:
        where = "" if frame == page.main_frame else f"{frame.url} "
        found += [where + item for item in frame.evaluate(_SCROLLBARS_JS)]
    return found


def save_screenshot(page: Page, name: str) -> Path:
    """test-artifacts/screenshots/<name>.png, kept by CI as a test artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path)
    return path
