import { App } from "truss"
import { health } from "truss/ops"
import { memoryBackplane, realtime } from "truss/realtime"
import { z } from "zod"

const production = process.env.NODE_ENV === "production"

/**
 * A WebSocket chat: GET / says where to connect, /chat?name=Ada opens a socket in the
 * lobby. Each message `{ "text": "hi" }` reaches everyone in the room as a `said`
 * frame; joins and leaves arrive as presence frames. Several processes share rooms
 * with redisBackplane() instead of memoryBackplane().
 */
export const app = new App({ debug: !production, logger: production })

const rt = realtime(app, {
  backplane: memoryBackplane(),
  user: (c) => c.req.query.get("name")?.slice(0, 40) || undefined,
  // Browsers send Origin; tools and tests may not. List your site's origin in production.
  origins: production ? undefined : "*",
}).channel("chat/:room", {
  presence: true,
  events: { said: z.object({ from: z.string(), text: z.string() }) },
})

rt.ws(
  "/chat",
  {
    async open(socket) {
      await socket.join("chat/lobby", { name: socket.user ?? "guest" })
      socket.send("who", rt.presence("chat/lobby"))
    },
    message: (socket, msg) => rt.publish("chat/lobby", "said", { from: socket.user ?? "guest", text: msg.text }),
  },
  { message: z.object({ text: z.string().trim().min(1).max(500) }) },
)

app.get("/", { name: "home" }, () => ({ message: "__NAME__ chat: connect a WebSocket to /chat?name=you" }))

// GET /healthz and /readyz, for the Dockerfile's HEALTHCHECK and load balancers.
app.register(health())
