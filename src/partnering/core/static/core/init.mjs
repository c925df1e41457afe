import { initAll } from '../govuk/govuk-frontend.min.js'
import { initAutocompletes } from './autocomplete.mjs'
import { initCheckboxSearches } from './checkbox_search.mjs'
import { pollUntilGone } from './poll.mjs'
import { warnBeforeSignOut } from './session.mjs'

initAll()
pollUntilGone()
warnBeforeSignOut()

// Conditional reveals of radios: show the fields of the chosen option only. GOV.UK Frontend's own
// script sets aria-expanded on the radio, which axe (rightly) reports; this one does not.
for (const group of document.querySelectorAll('.govuk-radios')) {
  const inputs = [...group.querySelectorAll('input[type="radio"]')]
  if (!inputs.some((input) => input.dataset.appControls)) continue
  const sync = () => {
    for (const input of inputs) {
      const target = input.dataset.appControls && document.getElementById(input.dataset.appControls)
      if (target) target.classList.toggle('govuk-radios__conditional--hidden', !input.checked)
    }
  }
  group.addEventListener('change', sync)
  sync()
}

initAutocompletes()
initCheckboxSearches()
