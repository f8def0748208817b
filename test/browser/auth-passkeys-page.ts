/**
 * The page the passkey browser test serves: plain `navigator.credentials` calls
 * (@simplewebauthn/browser is not installed) with base64url conversion written here.
 */
export const PASSKEY_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Passkeys</title>
<style>body{font:16px system-ui;margin:2rem}#log{white-space:pre-wrap;border:1px solid #999;padding:1rem}</style>
</head><body>
<h1>Passkeys</h1>
<p id="who">signed out</p>
<div id="log"></div>
<script>
const b64 = {
  toBytes(s) {
    const pad = s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4)
    return Uint8Array.from(atob(pad), (ch) => ch.charCodeAt(0))
  },
  fromBytes(buf) {
    let bin = ""
    for (const b of new Uint8Array(buf)) bin += String.fromCharCode(b)
    return btoa(bin).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "")
  },
}
function log(line) { document.getElementById("log").textContent += line + "\\n" }
async function post(path, body) {
  const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) })
  return { status: res.status, body: await res.json() }
}
async function register(name) {
  const { body: o } = await post("/passkeys/register/options")
  const cred = await navigator.credentials.create({ publicKey: {
    ...o,
    challenge: b64.toBytes(o.challenge),
    user: { ...o.user, id: b64.toBytes(o.user.id) },
    excludeCredentials: (o.excludeCredentials ?? []).map((c) => ({ ...c, id: b64.toBytes(c.id) })),
  } })
  const sent = {
    id: cred.id, rawId: b64.fromBytes(cred.rawId), type: cred.type, name,
    authenticatorAttachment: cred.authenticatorAttachment ?? undefined,
    clientExtensionResults: cred.getClientExtensionResults(),
    response: {
      clientDataJSON: b64.fromBytes(cred.response.clientDataJSON),
      attestationObject: b64.fromBytes(cred.response.attestationObject),
      transports: cred.response.getTransports(),
    },
  }
  const res = await post("/passkeys/register", sent)
  log("registered: " + res.status + " " + JSON.stringify(res.body))
  return res
}
async function assertion(optionsPath) {
  const { body: o } = await post(optionsPath)
  const cred = await navigator.credentials.get({ publicKey: {
    ...o,
    challenge: b64.toBytes(o.challenge),
    allowCredentials: (o.allowCredentials ?? []).map((c) => ({ ...c, id: b64.toBytes(c.id) })),
  } })
  return {
    id: cred.id, rawId: b64.fromBytes(cred.rawId), type: cred.type,
    authenticatorAttachment: cred.authenticatorAttachment ?? undefined,
    clientExtensionResults: cred.getClientExtensionResults(),
    response: {
      clientDataJSON: b64.fromBytes(cred.response.clientDataJSON),
      authenticatorData: b64.fromBytes(cred.response.authenticatorData),
      signature: b64.fromBytes(cred.response.signature),
      userHandle: cred.response.userHandle ? b64.fromBytes(cred.response.userHandle) : undefined,
    },
  }
}
async function signIn(kind) {
  const sent = await assertion("/passkeys/" + kind + "/options")
  const res = await post("/passkeys/" + kind, sent)
  log(kind + ": " + res.status + " " + JSON.stringify(res.body))
  if (res.status === 200) document.getElementById("who").textContent = "signed in as " + res.body.user.email
  return { ...res, sent }
}
</script>
</body></html>`
