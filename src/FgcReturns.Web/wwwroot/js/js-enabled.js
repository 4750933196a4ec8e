// GOV.UK's page template marks the body as soon as it exists with an inline script; the Content-Security-Policy
// allows no inline script, so this file does it. Load it as the first thing in <body>, without defer or async.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
