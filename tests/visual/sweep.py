"""The visual sweep: what axe-core does not see, checked on a page as a person sees it.

At each width of ``WIDTHS`` (desktop, then a 375-px phone) a page must have:

- every visible label tied to a field, and every link, button and field one may use with a
  box of its own: not 0 px wide or high, not off the page, not inside a 0-px-wide block, not
  cut away by an ``overflow: hidden`` parent; text fields with a visible edge (border, shadow
  or background of their own: an unstyled ``<input>`` on a DSFR page has none);
- no horizontal scroll;
- no console error, no uncaught exception, no resource answered 4xx/5xx or failed;
- on a French page, no text that is not French (``tests.visual.french``).

Each page is photographed at each width into ``.cache/visual/`` (a CI artefact).
Visually hidden elements (``fr-sr-only``, skip links until focused, closed menus and
modals) are not "meant to be used" by sight: a control that passes once focused passes.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import urlsplit

from tests.visual.french import data_words, not_french, words

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / ".cache" / "visual"
WIDTHS = (1280, 375)
HEIGHT = 800
DEFAULT_VIEWPORT = {"width": 1280, "height": 720}

LAYOUT_JS = r"""
() => {
  const vw = document.documentElement.clientWidth;
  const problems = [];
  const describe = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].slice(0, 3).join('.');
    const name = el.getAttribute('name');
    if (name) s += `[name=${name}]`;
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
    if (text) s += ` «${text.slice(0, 40)}»`;
    return s;
  };
  const shown = el => el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true});
  // Visually hidden on purpose: a 1-px clipped box (fr-sr-only and its kind) on the way up.
  const srOnly = el => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e), r = e.getBoundingClientRect();
      if (s.position === 'absolute' && r.width <= 1 && r.height <= 1 && s.overflow !== 'visible') return true;
      if (s.clip && s.clip !== 'auto') return true;
    }
    return false;
  };
  const edgeless = el => {
    const s = getComputedStyle(el);
    const sides = ['Top', 'Right', 'Bottom', 'Left'];
    const border = sides.some(side => parseFloat(s[`border${side}Width`]) > 0 && s[`border${side}Style`] !== 'none'
      && !/rgba\(.*, 0\)$|transparent/.test(s[`border${side}Color`]));
    if (border || (s.boxShadow && s.boxShadow !== 'none')) return false;
    let bg = 'rgba(0, 0, 0, 0)';
    for (let e = el.parentElement; e; e = e.parentElement) {
      const b = getComputedStyle(e).backgroundColor;
      if (!/rgba\(.*, 0\)$|transparent/.test(b)) { bg = b; break; }
    }
    const own = s.backgroundColor;
    return /rgba\(.*, 0\)$|transparent/.test(own) || own === bg;
  };
  const boxProblem = el => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return `0-px box (${Math.round(r.width)}×${Math.round(r.height)})`;
    // Inside a box that scrolls sideways (a wide table's wrapper), that box must be on the page.
    let scroller = el.parentElement;
    while (scroller && scroller !== document.body && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX))
      scroller = scroller.parentElement;
    const p = scroller && scroller !== document.body ? scroller.getBoundingClientRect() : r;
    const left = p.left + scrollX, top = r.top + scrollY;
    if (left + p.width <= 0 || left >= vw || top + r.height <= 0) return 'off the page';
    if (left < -1 || left + p.width > vw + 1) return `sticks out of the ${vw}-px page`;
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === 'contents' || s.display === 'inline') continue;
      const ar = a.getBoundingClientRect();
      if (ar.width < 1) return `inside a 0-px-wide block ${describe(a).split(' «')[0]}`;
      const clips = v => v === 'hidden' || v === 'clip';
      if (clips(s.overflowX) || clips(s.overflowY)) {
        const w = Math.min(r.right, ar.right) - Math.max(r.left, ar.left);
        const h = Math.min(r.bottom, ar.bottom) - Math.max(r.top, ar.top);
        if ((clips(s.overflowX) && w < Math.min(r.width, 4)) || (clips(s.overflowY) && h < Math.min(r.height, 4)))
          return `hidden by the overflow of ${describe(a).split(' «')[0]}`;
      }
    }
    return null;
  };
  const usable = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + '[tabindex]:not([tabindex="-1"])';
  const textLike = 'input:not([type]), input[type=text], input[type=email], input[type=password], input[type=tel],'
    + 'input[type=number], input[type=date], input[type=search], input[type=url], select, textarea';
  const seen = new Set();
  for (const el of document.querySelectorAll(usable)) {
    if (!shown(el) || srOnly(el)) continue;
    let problem = boxProblem(el);
    if (problem && ['checkbox', 'radio'].includes(el.type)) {
      // DSFR draws checkboxes and radios on their label.
      const labels = [...(el.labels || [])].filter(l => shown(l) && !boxProblem(l));
      if (labels.length) problem = null;
    }
    if (problem && !el.disabled) {
      const previous = document.activeElement;
      el.focus({preventScroll: true});
      if (document.activeElement === el && !boxProblem(el)) problem = null;  // shown on focus (skip links)
      if (previous && previous !== document.body && previous.focus) previous.focus({preventScroll: true});
      else el.blur();
    }
    if (!problem && el.matches(textLike) && edgeless(el)) problem = 'no visible edge (unstyled field)';
    if (problem) { problems.push(`${describe(el)}: ${problem}`); seen.add(el); }
  }
  for (const label of document.querySelectorAll('label')) {
    if (!shown(label) || srOnly(label) || !label.innerText.trim()) continue;
    const field = label.control;
    // Django's admin labels a read-only value (the next <div class="readonly">), not a field.
    const readonly = label.nextElementSibling && label.nextElementSibling.matches('.readonly');
    if (!field) { if (!readonly) problems.push(`${describe(label)}: label without a field`); }
    else if (!shown(field) && !['checkbox', 'radio'].includes(field.type))
      problems.push(`${describe(label)}: label of a hidden field ${describe(field)}`);
  }
  const width = document.documentElement.scrollWidth;
  if (width > vw + 1) {
    const wide = [...document.body.querySelectorAll('*')]
      .filter(e => shown(e) && !srOnly(e) && e.getBoundingClientRect().right + scrollX > vw + 1)
      .filter((e, i, all) => !all.some(o => o !== e && o.contains(e)))
      .slice(0, 3).map(describe);
    problems.push(`horizontal scroll: ${width} px wide for ${vw} (${wide.join('; ')})`);
  }
  return problems;
}
"""

TEXTS_JS = r"""
() => {
  const out = new Set();
  const add = t => { t = (t || '').replace(/\s+/g, ' ').trim(); if (t) out.add(t); };
  add(document.title);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    // The DSFR brand block (« Ministère de l’Éducation nationale ») is a name, never translated.
    if (!p || p.closest('script, style, noscript, template, .fr-logo')) continue;
    const srText = p.closest('.fr-sr-only, .sr-only, .visually-hidden');  // read aloud: checked too
    if (!p.checkVisibility({visibilityProperty: true}) && !srText) continue;
    add(n.nodeValue);
  }
  const labelled = '[aria-label], [title], [placeholder], [alt], input[type=submit], input[type=button]';
  for (const el of document.body.querySelectorAll(labelled)) {
    for (const attr of ['aria-label', 'title', 'placeholder', 'alt']) add(el.getAttribute(attr));
    if (el.matches('input[type=submit], input[type=button]')) add(el.value);
  }
  return [...out];
}
"""

SETTLE_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


class Watch(logging.Handler):
    """Console errors, uncaught exceptions and failed loads of a page, since the last ``take()``.

    The server's own log of 4xx/5xx answers (``django.request``) is read too: chromium fetches
    some resources (``/favicon.ico``) without telling Playwright. The pages themselves may
    answer 4xx (an error page): only the other requests count. ``close()`` when done.
    """

    def __init__(self, page) -> None:
        super().__init__(level=logging.WARNING)
        self.events: list[str] = []
        self.documents: set[str] = set()
        self.server: list[tuple[int, str]] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.events.append(f"exception: {error}"))
        page.on("request", self._request)
        page.on("response", self._response)
        page.on("requestfailed", self._failed)
        self.page = page
        logging.getLogger("django.request").addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:  # the live server's threads
        request = getattr(record, "request", None)
        status = getattr(record, "status_code", None)
        if request is not None and status:
            self.server.append((status, request.path))

    def close(self) -> None:
        logging.getLogger("django.request").removeHandler(self)
        super().close()

    def _console(self, message) -> None:
        # Chromium's "Failed to load resource" duplicates a response seen below, with its URL.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.events.append(f"console error: {message.text}")

    def _main_document(self, request) -> bool:
        # The page itself may well be an error page (400, 404...): only its resources count.
        return request.is_navigation_request() and request.frame == self.page.main_frame

    def _request(self, request) -> None:
        if self._main_document(request):
            self.documents.add(urlsplit(request.url).path)

    def _response(self, response) -> None:
        if response.status >= 400 and not self._main_document(response.request):
            self.events.append(f"{response.status} {response.request.method} {response.url}")

    def _failed(self, request) -> None:
        if not self._main_document(request) and request.failure != "net::ERR_ABORTED":
            self.events.append(f"load failed ({request.failure}) {request.url}")

    def take(self) -> list[str]:
        events, self.events = self.events, []
        server, self.server = self.server, []
        seen = " ".join(events)
        for status, path in server:
            if path not in self.documents and path not in seen:
                events.append(f"{status} {path} (server log)")
        return events


def shot_path(name: str, width: int) -> Path:
    return SHOTS / f"{re.sub(r'[^A-Za-z0-9_-]+', '_', name)}-{width}.png"


def visual_problems(page, name: str, watch: Watch | None = None, known: tuple[str, ...] = ()) -> dict[str, object]:
    """Every visual problem of the current page at each width (empty when none); one shot per width.

    ``known``: data the page shows that is not in the database (an identity provider's answer).
    """
    problems: dict[str, object] = {}
    SHOTS.mkdir(parents=True, exist_ok=True)
    data = None
    french = page.evaluate("() => (document.documentElement.lang || '').toLowerCase().startsWith('fr')")
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            page.evaluate(SETTLE_JS)
            layout = page.evaluate(LAYOUT_JS)
            if layout:
                problems[f"layout {width}px"] = layout
            if french:
                data = (data_words() | {w for text in known for w in words(text)}) if data is None else data
                english = not_french(page.evaluate(TEXTS_JS), data)
                if english:
                    problems.setdefault("not French", [])
                    problems["not French"] += [t for t in english if t not in problems["not French"]]
            page.screenshot(path=str(shot_path(name, width)), full_page=True)
    finally:
        page.set_viewport_size(DEFAULT_VIEWPORT)
    if watch is not None:
        events = watch.take()
        if events:
            problems["console and loads"] = events
    return problems
