// Start GOV.UK Frontend's components on every page, and the page's own small behaviours
// (no inline script or event handler attribute: the Content-Security-Policy refuses them).
import { initAll } from '/static/govuk/govuk-frontend.min.js'
initAll()

// Signing out forgets any unsaved register drafts kept in this browser (register-draft.js), so
// the next person at a shared computer does not find them.
const signOut = document.querySelector('form[action$="/logout/"], form[data-sign-out]')
if (signOut) {
  signOut.addEventListener('submit', () => {
    try {
      for (const key of Object.keys(window.localStorage)) {
        if (key.startsWith('sendwise-register:')) window.localStorage.removeItem(key)
      }
    } catch (error) {}
  })
}

// A button marked data-sw-print prints the page (the one-page profile).
document.querySelectorAll('[data-sw-print]').forEach((button) => {
  button.addEventListener('click', () => window.print())
})
