// The passkey client truss/auth serves at <prefix>/client.js: buttons with
// data-passkey="register" or "login" call navigator.credentials and the passkey
// endpoints beside this script (JSON, base64url fields), sending the page's CSRF token
// (a csrf-token meta tag, or a form's _csrf field). Loaded by a script tag: no inline
// script, so a strict CSP holds. On success, register reloads the page and login goes
// to the button's data-next.
const b64 = {
  bytes(s) {
    const pad = s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4)
    return Uint8Array.from(atob(pad), (ch) => ch.charCodeAt(0))
  },
  text(buf) {
    let bin = ""
    for (const b of new Uint8Array(buf)) bin += String.fromCharCode(b)
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
  },
}
// The endpoints sit beside this script: <prefix>/client.js serves <prefix>/register, ….
const base = new URL(".", document.currentScript?.src ?? location.href).pathname.replace(/\/$/, "")
const csrf =
  document.querySelector('meta[name="csrf-token"]')?.content ??
  document.querySelector('input[name="_csrf"]')?.value ??
  ""

async function post(path, body) {
  const res = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", "x-csrf-token": csrf },
    body: JSON.stringify(body ?? {}),
  })
  const data = await res.json()
  if (!res.ok) throw new Error(data.detail ?? `HTTP ${res.status}`)
  return data
}

async function register(name) {
  const o = await post(`${base}/register/options`)
  const cred = await navigator.credentials.create({
    publicKey: {
      ...o,
      challenge: b64.bytes(o.challenge),
      user: { ...o.user, id: b64.bytes(o.user.id) },
      excludeCredentials: (o.excludeCredentials ?? []).map((c) => ({ ...c, id: b64.bytes(c.id) })),
    },
  })
  return post(`${base}/register`, {
    id: cred.id,
    rawId: b64.text(cred.rawId),
    type: cred.type,
    name,
    clientExtensionResults: cred.getClientExtensionResults(),
    response: {
      clientDataJSON: b64.text(cred.response.clientDataJSON),
      attestationObject: b64.text(cred.response.attestationObject),
      transports: cred.response.getTransports(),
    },
  })
}

async function login() {
  const o = await post(`${base}/login/options`)
  const cred = await navigator.credentials.get({
    publicKey: {
      ...o,
      challenge: b64.bytes(o.challenge),
      allowCredentials: (o.allowCredentials ?? []).map((c) => ({ ...c, id: b64.bytes(c.id) })),
    },
  })
  return post(`${base}/login`, {
    id: cred.id,
    rawId: b64.text(cred.rawId),
    type: cred.type,
    clientExtensionResults: cred.getClientExtensionResults(),
    response: {
      clientDataJSON: b64.text(cred.response.clientDataJSON),
      authenticatorData: b64.text(cred.response.authenticatorData),
      signature: b64.text(cred.response.signature),
      userHandle: cred.response.userHandle ? b64.text(cred.response.userHandle) : undefined,
    },
  })
}

for (const button of document.querySelectorAll("[data-passkey]")) {
  const status = document.getElementById(button.dataset.status ?? "passkey-status")
  button.addEventListener("click", async () => {
    button.disabled = true
    try {
      if (button.dataset.passkey === "register") {
        await register(button.dataset.name || "This device")
        location.reload()
      } else {
        await login()
        location.assign(button.dataset.next || "/")
      }
    } catch (err) {
      if (status) status.textContent = err.message
      button.disabled = false
    }
  })
}
