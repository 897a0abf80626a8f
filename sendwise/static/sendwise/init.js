// Start GOV.UK Frontend's components on every page, and the page's own small behaviours
// (no inline script or event handler attribute: the Content-Security-Policy refuses them).
import { initAll } from '/static/govuk/govuk-frontend.min.js'
initAll()

// A button marked data-sw-print prints the page (the one-page profile).
document.querySelectorAll('[data-sw-print]').forEach((button) => {
  button.addEventListener('click', () => window.print())
})
