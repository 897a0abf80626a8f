// Progressive enhancement: a filter box over a long list of checkboxes (the list works without
// it). Used by the staff member's training and time page.
const box = document.getElementById('intervention-filter')
if (box) {
  const items = document.querySelectorAll('#intervention-list .govuk-checkboxes__item')
  box.closest('.sw-js-only').hidden = false
  box.addEventListener('input', () => {
    const words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean)
    items.forEach((item) => {
      const text = item.textContent.toLowerCase()
      const ticked = item.querySelector('input').checked
      // Set through the DOM (CSSOM), which the Content-Security-Policy allows; a style attribute it would not.
      item.style.display = ticked || words.every((word) => text.includes(word)) ? '' : 'none'
    })
  })
}
