// Initialises GOV.UK Frontend's JavaScript components (buttons, error summary, radios,
// checkboxes, service navigation, skip link, ...) on first load and again after each Blazor
// enhanced navigation. Load with <script type="module" src="js/govuk-init.js"></script>.
//
// govuk-frontend marks each initialised root element with data-<module>-init and throws an
// InitError if it is initialised twice; we call initAll() again over the whole document and
// ignore those errors, so already-initialised elements are left alone and new ones start.
// Interactive components can also import this module and call init(element) for their subtree.
import { initAll } from '../govuk/govuk-frontend.min.js';

function markBodySupported() {
  // GOV.UK's template adds these classes with an inline script; enhanced navigation syncs
  // <body> attributes from the server's HTML, which drops them, so put them back.
  const body = document.body;
  if (!body) {
    return;
  }
  body.classList.add('js-enabled');
  if ('noModule' in HTMLScriptElement.prototype) {
    body.classList.add('govuk-frontend-supported');
  }
}

function onError(error) {
  if (error && error.name === 'InitError') {
    return; // already initialised: expected when re-running after enhanced navigation
  }
  console.error(error);
}

export function init(scope) {
  markBodySupported();
  initAll({ scope: scope instanceof Element ? scope : document.body, onError });
}

export function focusElement(element) {
  if (element instanceof HTMLElement) {
    element.focus();
  }
}

// "Not recorded" checkboxes of GovNumberField on static (non-interactive) pages: ticking one clears
// and disables its number input, as the interactive component does. Harmless when interactive.
document.addEventListener('change', (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.dataset.appNotRecordedFor) {
    return;
  }
  const input = document.getElementById(box.dataset.appNotRecordedFor);
  if (input instanceof HTMLInputElement) {
    if (box.checked) {
      input.value = '';
    }
    input.disabled = box.checked;
  }
});

// Retry button of the reconnect display (Components/Layout/ReconnectUi.razor).
document.addEventListener('click', async (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-app-reconnect-retry]') : null;
  const blazor = window.Blazor;
  if (!target || !blazor) {
    return;
  }
  const modal = document.getElementById('components-reconnect-modal');
  const paused = modal && (modal.classList.contains('components-reconnect-paused')
    || modal.classList.contains('components-reconnect-resume-failed'));
  try {
    const ok = paused && typeof blazor.resumeCircuit === 'function'
      ? await blazor.resumeCircuit()
      : await blazor.reconnect();
    if (!ok) {
      location.reload();
    }
  } catch {
    // Server still unreachable: Blazor keeps showing the failed state.
  }
});


// In-page links ("#id": skip link, error summaries, notes, query links, contents). <base href="/"> resolves them
// to "/#id", the home page. Keep them on this page and move focus to the target, as GOV.UK's error summary does:
// a field gets focus itself (its label or legend scrolled into view); anything else (main, a heading) is made
// focusable for the moment. Capture phase on document, so it runs before Blazor's and govuk-frontend's handlers,
// on static and interactive pages alike, including content rendered later.
const focusableSelector = 'input:not([type="hidden"]):not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled]), a[href]';

function fieldIn(target) {
  if (target.matches(focusableSelector)) {
    return target;
  }
  if (target.matches('fieldset, .govuk-form-group, .govuk-radios, .govuk-checkboxes')) {
    return target.querySelector(focusableSelector);
  }
  return null;
}

function scrollTargetFor(field) {
  const fieldset = field.closest('fieldset');
  const legend = fieldset ? fieldset.querySelector('legend') : null;
  if (legend && field.type !== 'text' && field.tagName !== 'TEXTAREA' && field.tagName !== 'SELECT') {
    return legend;
  }
  const label = field.id ? document.querySelector(`label[for="${CSS.escape(field.id)}"]`) : null;
  return label && !label.classList.contains('govuk-visually-hidden') ? label : field;
}

export function moveFocusTo(target) {
  const field = fieldIn(target);
  if (field) {
    scrollTargetFor(field).scrollIntoView();
    field.focus({ preventScroll: true });
    return;
  }
  if (!target.hasAttribute('tabindex')) {
    target.setAttribute('tabindex', '-1');
    target.addEventListener('blur', () => target.removeAttribute('tabindex'), { once: true });
  }
  if (target.id === 'main-content') {
    target.classList.add('govuk-skip-link-focused-element');
    target.addEventListener('blur', () => target.classList.remove('govuk-skip-link-focused-element'), { once: true });
  }
  target.scrollIntoView();
  target.focus({ preventScroll: true });
}

document.addEventListener('click', (event) => {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
  const id = link ? decodeURIComponent(link.getAttribute('href').slice(1)) : '';
  const target = id ? document.getElementById(id) : null;
  if (!target) {
    return;
  }
  event.preventDefault();
  event.stopPropagation();
  moveFocusTo(target);
}, true);

// A link from another page to a question ("/returns/1/sections/offers#families_offered", from check your answers)
// lands with focus on that question.
function focusLocationHash() {
  const id = location.hash ? decodeURIComponent(location.hash.slice(1)) : '';
  const target = id ? document.getElementById(id) : null;
  if (target && fieldIn(target)) {
    moveFocusTo(target);
  }
}

// Interactive pages keep <title> true to their state ("Error: " while an error shows). <HeadOutlet> is static here,
// so a <PageTitle> change inside an interactive page does not reach the document: the page calls this instead.
//
// A live save can grow what is above the field being typed into (an error summary, a status line). The field
// must not move under the person's eyes: remember where the focused field was on screen at their last action,
// and after the page re-renders, scroll by however far it moved.
let tracked = null;

function trackFocused() {
  const element = document.activeElement;
  tracked = element instanceof HTMLElement && element !== document.body && element.matches('input, textarea, select, button')
    ? { element, top: element.getBoundingClientRect().top }
    : null;
}

['focusin', 'input', 'change', 'keyup', 'click'].forEach((type) => document.addEventListener(type, trackFocused, true));

// A scroll the person makes moves the remembered position too; one the browser makes because the page changed
// (scroll anchoring, just after a render) must not, or the field's move would be forgotten before it is undone.
let changedAt = 0;
new MutationObserver(() => { changedAt = performance.now(); }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
window.addEventListener('scroll', () => {
  if (performance.now() - changedAt > 250) {
    trackFocused();
  }
}, { passive: true });

window.fgcReturns = Object.assign(window.fgcReturns || {}, {
  setTitle(title) {
    if (typeof title === 'string' && document.title !== title) {
      document.title = title;
    }
  },
  keepFocusedFieldInPlace() {
    if (tracked && tracked.element.isConnected && document.activeElement === tracked.element) {
      const moved = tracked.element.getBoundingClientRect().top - tracked.top;
      if (Math.abs(moved) >= 1) {
        window.scrollBy(0, moved);
      }
    }
    trackFocused();
  },
});

let subscribed = false;

function subscribeToEnhancedLoad() {
  if (subscribed) {
    return true;
  }
  const blazor = window.Blazor;
  if (blazor && typeof blazor.addEventListener === 'function') {
    blazor.addEventListener('enhancedload', () => {
      init();
      focusLocationHash();
    });
    subscribed = true;
  }
  return subscribed;
}

init();
focusLocationHash();

// An interactive page replaces its prerendered fields when its circuit starts, which drops the focus given above
// (seen as a flaky landing from check answers' links). Give it again when a page's interactive marker appears,
// unless the person has already moved focus somewhere.
let interactiveMarker = null;
new MutationObserver(() => {
  const marker = document.querySelector('[data-testid=interactive]');
  if (marker && marker !== interactiveMarker) {
    interactiveMarker = marker;
    if (!document.activeElement || document.activeElement === document.body) {
      focusLocationHash();
    }
  }
}).observe(document.documentElement, { childList: true, subtree: true });

// blazor.web.js is a classic script and normally runs before this (deferred) module; if it is
// loaded later, try again once the page has loaded.
if (!subscribeToEnhancedLoad()) {
  window.addEventListener('load', subscribeToEnhancedLoad, { once: true });
}
