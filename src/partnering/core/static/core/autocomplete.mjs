// Progressive enhancement: a select marked data-module="app-autocomplete" becomes an accessible
// autocomplete (GOV.UK's accessible-autocomplete, vendored in core/static/vendor). Without
// JavaScript, or if the library fails to load, the select keeps working as it is.
export function initAutocompletes () {
  const library = window.accessibleAutocomplete
  if (!library) return
  for (const select of document.querySelectorAll('select[data-module="app-autocomplete"]')) {
    const id = select.id
    const described = (select.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)
    const hasError = select.classList.contains('govuk-select--error')
    library.enhanceSelectElement({
      selectElement: select,
      defaultValue: '',  // a chosen option (the select's value) is shown instead
      showAllValues: false,
      minLength: 2,
      autoselect: false, // its hint box is an unlabelled input (axe: label)
      dropdownArrow: () => '',
      tNoResults: () => 'No organisation found',
      tStatusQueryTooShort: (minQueryLength) => `Type ${minQueryLength} or more characters for results`
    })
    const input = document.getElementById(id)
    if (input && input.tagName === 'INPUT') keepDescribedBy(input, described, hasError)
  }
}

// The library draws its own input and sets aria-describedby to its own hint on every render,
// which would drop the field's GOV.UK hint and error message: screen readers would not hear
// them. Put them back whenever it is redrawn, and mark the input as in error like the select.
function keepDescribedBy (input, described, hasError) {
  if (hasError) input.classList.add('govuk-input--error')
  if (!described.length) return
  const sync = () => {
    const own = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)
    const wanted = [...described, ...own.filter((x) => !described.includes(x))]
    if (wanted.join(' ') !== own.join(' ')) input.setAttribute('aria-describedby', wanted.join(' '))
  }
  sync()
  new MutationObserver(sync).observe(input, { attributes: true, attributeFilter: ['aria-describedby'] })
}
