// Grouped checkboxes (components/govuk/appGroupedCheckboxes.html): reveal the search box and show
// only the options whose label holds every word typed, opening the groups that have a match.
// Clearing the box puts the groups back as they were. Without this script the folded groups
// still list every option.

const words = (text) => text.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N} ]+/gu, ' ').split(/\s+/).filter(Boolean)

export function initCheckboxSearches (root = document) {
  for (const module of root.querySelectorAll('[data-module="app-checkbox-search"]')) {
    const box = module.querySelector('.app-checkbox-search')
    const input = module.querySelector('[data-app-search-input]')
    const status = module.querySelector('[data-app-search-status]')
    const groups = [...module.querySelectorAll('[data-app-search-group]')]
    if (!box || !input || !groups.length) continue
    box.hidden = false
    const items = groups.flatMap((group) =>
      [...group.querySelectorAll('[data-app-search-item]')].map((item) => ({
        item, group, text: words(item.textContent).join(' ')
      }))
    )
    let wasOpen = null
    const apply = () => {
      const wanted = words(input.value)
      if (!wanted.length) {
        for (const { item } of items) item.hidden = false
        if (wasOpen) groups.forEach((group, i) => { group.hidden = false; group.open = wasOpen[i] })
        wasOpen = null
        status.textContent = ''
        return
      }
      if (!wasOpen) wasOpen = groups.map((group) => group.open)
      const matches = new Map(groups.map((group) => [group, 0]))
      for (const entry of items) {
        const hit = wanted.every((word) => entry.text.includes(word))
        entry.item.hidden = !hit
        if (hit) matches.set(entry.group, matches.get(entry.group) + 1)
      }
      let total = 0
      for (const [group, count] of matches) {
        group.hidden = count === 0
        group.open = count > 0
        total += count
      }
      status.textContent = total === 0 ? 'No matches' : total === 1 ? '1 match' : `${total} matches`
    }
    input.addEventListener('input', apply)
    // Enter in the search box must not submit the form.
    input.addEventListener('keydown', (event) => { if (event.key === 'Enter') event.preventDefault() })
  }
}
