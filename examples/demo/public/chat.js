// The demo chat: one WebSocket to /chat/ws, the room's presence and messages. The page
// loads this file (no inline script), so the strict CSP holds.
const who = new Map()
const list = document.getElementById("chat-who")
const log = document.getElementById("chat-log")
const protocol = location.protocol === "https:" ? "wss:" : "ws:"
const socket = new WebSocket(`${protocol}//${location.host}/chat/ws`)

function item(text) {
  const li = document.createElement("li")
  li.textContent = text
  return li
}
function showWho() {
  list.replaceChildren(...[...who.values()].sort().map(item))
}

socket.addEventListener("message", (e) => {
  const frame = JSON.parse(e.data)
  if (frame.event === "who") for (const p of frame.data) who.set(p.id, p.meta.name)
  if (frame.event === "presence:join") who.set(frame.data.id, frame.data.meta.name)
  if (frame.event === "presence:leave") who.delete(frame.data.id)
  if (frame.event === "said") log.append(item(`${frame.data.from}: ${frame.data.text}`))
  showWho()
})

document.getElementById("chat-say").addEventListener("submit", (e) => {
  e.preventDefault()
  const input = e.target.elements.text
  socket.send(JSON.stringify({ text: input.value }))
  input.value = ""
})
