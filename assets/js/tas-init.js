// Starts GOV.UK Frontend's components (the header's menu button among
// them) on pages that ask for them with data-module.  A file, not an
// inline script, so the Content-Security-Policy stays script-src 'self'.
// Browsers without ES modules never run this and get the plain pages,
// which work without JavaScript.
import { initAll } from '/assets/govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();
