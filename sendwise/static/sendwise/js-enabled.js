// GOV.UK Frontend's first script, as a file so the Content-Security-Policy needs no inline
// script: marks the page as having JavaScript (and the browser as one Frontend supports) before
// anything is drawn, so components show their enhanced form without a flicker.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
