/**
 * The admin's one script, served as `<prefix>/static/admin.js` (a module file, so no
 * inline script and no CSP nonce is needed). Progressive: every page works without it.
 * It wires the list's select-all checkbox and the "select all N" link, submits
 * filter selects on change, and asks before leaving a form with unsaved edits.
 * @module
 */

/** The script's source. @internal */
export const ADMIN_SCRIPT = `// truss admin
const $ = (sel, root = document) => root.querySelector(sel)
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)]

function wireList() {
  const all = $("#select-all")
  if (!all) return
  const boxes = $$("input[name=_selected]")
  const bar = $("#action-bar")
  const counter = $("#selected-count")
  const across = $("#select-across")
  const acrossBox = $("#select-across-box")
  const update = () => {
    const n = boxes.filter((b) => b.checked).length
    all.checked = n > 0 && n === boxes.length
    all.indeterminate = n > 0 && n < boxes.length
    if (counter) counter.textContent = acrossBox && acrossBox.checked ? counter.dataset.total : String(n)
    if (bar) bar.dataset.selected = n > 0 ? "yes" : "no"
    if (across) across.hidden = !(n === boxes.length && boxes.length > 0)
    for (const b of boxes) b.closest("tr")?.classList.toggle("selected", b.checked)
  }
  all.addEventListener("change", () => {
    for (const b of boxes) b.checked = all.checked
    if (!all.checked && acrossBox) acrossBox.checked = false
    update()
  })
  for (const b of boxes) b.addEventListener("change", () => {
    if (!b.checked && acrossBox) acrossBox.checked = false
    update()
  })
  acrossBox?.addEventListener("change", update)
  update()
}

function wireFilters() {
  for (const sel of $$("select[data-autosubmit]")) {
    sel.addEventListener("change", () => sel.form?.requestSubmit())
  }
}

function wireForms() {
  const form = $("form[data-dirty-check]")
  if (!form) return
  let dirty = false
  form.addEventListener("input", () => { dirty = true })
  form.addEventListener("submit", () => { dirty = false })
  window.addEventListener("beforeunload", (e) => { if (dirty) e.preventDefault() })
}

function wireLookups() {
  for (const box of $$(".autocomplete[data-lookup]")) {
    const id = $(".ac-id", box)
    const search = $(".ac-search", box)
    const list = $("datalist", box)
    const current = box.parentElement && $(".ac-current", box.parentElement)
    if (!id || !search || !list) continue
    search.hidden = false
    const byLabel = new Map()
    let timer
    search.addEventListener("input", () => {
      const hit = byLabel.get(search.value)
      if (hit) {
        id.value = hit
        if (current) current.textContent = search.value
        return
      }
      clearTimeout(timer)
      timer = setTimeout(async () => {
        const url = new URL(box.dataset.lookup, location.href)
        url.searchParams.set("q", search.value)
        const res = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" })
        if (!res.ok) return
        byLabel.clear()
        list.replaceChildren(...(await res.json()).map((row) => {
          byLabel.set(row.label, row.id)
          const option = document.createElement("option")
          option.value = row.label
          return option
        }))
      }, 200)
    })
  }
}

wireList()
wireFilters()
wireLookups()
wireForms()
`
