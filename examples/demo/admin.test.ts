import { createUser } from "truss/auth"
import { createClient, type TestClient } from "truss/testing"
import { describe, expect, it } from "vitest"
import { PASSWORD, signedUp, testApp } from "./test-app.js"

/** Logs in through the admin's own login page. */
async function adminLogin(client: TestClient, email: string): Promise<Response> {
  const page = await client.get("/admin/login", { headers: { accept: "text/html" } })
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ""
  return client.form("/admin/login", { _csrf: csrf, email, password: PASSWORD })
}

describe("demo admin at /admin", () => {
  it("lets a staff user in, with the demo's models, and lists a user's task", async () => {
    const { app, db } = await testApp()
    const ann = await signedUp(app, "ann@example.com")
    const page = await ann.get("/tasks/new")
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ""
    await ann.form("/tasks", { _csrf: csrf, title: "Ann's task", priority: "4", notes: "" })

    await createUser(db, {
      email: "root@example.com",
      password: PASSWORD,
      isStaff: true,
      isSuperuser: true,
    })
    const root = createClient(app, { headers: { accept: "text/html" } })
    expect((await adminLogin(root, "root@example.com")).status).toBe(303)
    const index = await (await root.get("/admin/")).text()
    for (const name of ["Tasks", "Bookmarks", "Notes", "Users", "Groups"])
      expect(index).toContain(name)
    const taskUrl = /href="(\/admin\/[^"]*task[^"]*)"/.exec(index)?.[1] ?? "(no link)"
    const list = await root.get(taskUrl)
    expect(list.status).toBe(200)
    const html = await list.text()
    expect(html).toContain("Ann&#39;s task")
    expect(html).toContain("ann@example.com")
  })

  it("sends an anonymous visitor to the admin login and refuses a user who is not staff", async () => {
    const { app } = await testApp()
    const anonymous = await createClient(app).get("/admin/", { headers: { accept: "text/html" } })
    expect([anonymous.status, anonymous.headers.get("location")]).toEqual([
      303,
      "/admin/login?next=%2Fadmin%2F",
    ])
    const ann = await signedUp(app, "ann@example.com")
    const refused = await ann.get("/admin/", { headers: { accept: "text/html" } })
    expect(refused.status).toBe(403)
  })
})
