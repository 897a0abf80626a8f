// Start GOV.UK Frontend's components on every page.
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
