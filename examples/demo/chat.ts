import type { App, Middleware } from "truss"
import { requireUser } from "truss/auth"
import { type Backplane, memoryBackplane, realtime } from "truss/realtime"
import { z } from "zod"

/**
 * A live chat with presence: `/chat` (the page) and `/chat/ws` (its socket), for
 * signed-in users. Run several demo processes on one `redisBackplane()` and they share
 * the room. `site` is the sessions + auth middleware the pages use, run at the upgrade.
 */
export function installChat(app: App, site: Middleware[], backplane?: Backplane): void {
  const rt = realtime(app, {
    backplane: backplane ?? memoryBackplane(),
    user: (c) => c.user?.email,
  }).channel("chat/:room", {
    presence: true,
    events: { said: z.object({ from: z.string(), text: z.string() }) },
  })
  rt.ws(
    "/chat/ws",
    {
      async open(socket) {
        await socket.join("chat/lobby", { name: socket.user ?? "?" })
        socket.send("who", rt.presence("chat/lobby"))
      },
      message: (socket, msg) =>
        rt.publish("chat/lobby", "said", { from: socket.user ?? "?", text: msg.text }),
    },
    {
      message: z.object({ text: z.string().trim().min(1).max(500) }),
      middleware: [...site, requireUser()],
    },
  )
  app.get("/chat", { name: "chat" }, ...site, requireUser(), (c) => c.render("chat.liquid"))
}
