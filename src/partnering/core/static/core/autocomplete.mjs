// Progressive enhancement: a select marked data-module="app-autocomplete" becomes an accessible
// autocomplete (GOV.UK's accessible-autocomplete, vendored in core/static/vendor). Without
// JavaScript, or if the library fails to load, the select keeps working as it is.
export function initAutocompletes () {
  const library = window.accessibleAutocomplete
  if (!library) return
  for (const select of document.querySelectorAll('select[data-module="app-autocomplete"]')) {
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
  }
}
