// Starts GOV.UK Frontend's components (the header's menu button among
// them) on pages that ask for them with data-module.  A file, not an
// inline script, so the Content-Security-Policy stays script-src 'self'.
// Browsers without ES modules never run this and get the plain pages,
// which work without JavaScript.
import { initAll } from '/assets/govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();

// A region marked data-tas-refresh (milliseconds) shows work still going
// on, a file being imported say: the page is fetched again that often and
// the region's progress bars and texts (those with an id) brought up to
// date, the live status read out only when it changes.  When the page
// comes back without the region the work is done, and the page is loaded
// whole to show what it came to.  Without JavaScript the region's own link
// does the same by hand.
const region = document.querySelector('[data-tas-refresh]');
if (region) {
  const every = Math.max(500, Number(region.dataset.tasRefresh) || 1000);
  const tick = async () => {
    let next = null;
    try {
      const r = await fetch(location.href, { credentials: 'same-origin', cache: 'no-store' });
      if (!r.ok) return location.reload();
      const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
      next = doc.getElementById(region.id);
    } catch (e) {
      setTimeout(tick, every * 5);   // the network, for a moment: try again later
      return;
    }
    if (!next || !next.hasAttribute('data-tas-refresh')) return location.reload();
    for (const el of next.querySelectorAll('[id]')) {
      const here = document.getElementById(el.id);
      if (!here || !region.contains(here)) continue;
      if (el.tagName === 'PROGRESS') here.value = el.value;
      if (here.textContent !== el.textContent) here.textContent = el.textContent;
    }
    setTimeout(tick, every);
  };
  setTimeout(tick, every);
}
