import { createClient, type TestClient } from "truss/testing"
import { describe, expect, it } from "vitest"
import { demoApp, signedUp } from "./test-app.js"

/** The masked CSRF token in the first form of a page. */
function csrfOf(html: string): string {
  const m = /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(html)
  if (!m) throw new Error(`no CSRF field in:\n${html}`)
  return m[1]!
}

async function page(client: TestClient, path: string): Promise<string> {
  const res = await client.get(path)
  expect(res.status).toBe(200)
  return res.text()
}

function flashes(html: string): string[] {
  return [...html.matchAll(/<li class="flash flash-(\w+)" role="status">([^<]*)<\/li>/g)].map(
    (m) => `${m[1]}: ${m[2]}`,
  )
}

describe("demo task pages", () => {
  it("lists no tasks at first, with the layout, stylesheet and security headers", async () => {
    const res = await (await signedUp(await demoApp())).get("/tasks")
    expect(res.status).toBe(200)
    expect(res.headers.get("x-frame-options")).toBe("DENY")
    const html = await res.text()
    expect(html).toContain("<title>Tasks · Truss demo</title>")
    expect(html).toContain('<link rel="stylesheet" href="/static/site.css">')
    expect(html).toContain('<p class="empty">No tasks yet.</p>')
    expect(html).toContain('<a class="button" href="/tasks/new">New task</a>')
  })

  it("serves the stylesheet", async () => {
    const res = await (await demoApp()).request("/static/site.css")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("text/css; charset=utf-8")
  })

  it("shows validation errors next to the fields and keeps what was typed", async () => {
    const client = await signedUp(await demoApp())
    const token = csrfOf(await page(client, "/tasks/new"))
    const res = await client.form("/tasks", {
      _csrf: token,
      title: "  ",
      notes: "<b>n</b>",
      priority: "9",
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('<p class="error" data-error-for="title">Enter a title.</p>')
    expect(html).toContain(
      '<p class="error" data-error-for="priority">Give a priority from 1 to 5.</p>',
    )
    expect(html).toContain(
      '<textarea id="notes" name="notes" rows="4">&lt;b&gt;n&lt;/b&gt;</textarea>',
    )
    expect(html).toContain('name="priority" type="number" min="1" max="5" value="9">')
    expect(html).not.toContain('data-error-for="notes"')
  })

  it("refuses a post without the CSRF token", async () => {
    const client = await signedUp(await demoApp())
    await page(client, "/tasks/new")
    const res = await client.form(
      "/tasks",
      { title: "Sneaky", priority: "1" },
      { headers: { accept: "application/json" } },
    )
    expect(res.status).toBe(403)
    expect(((await res.json()) as { code: string }).code).toBe("TRUSS_ERR_CSRF_MISSING")
  })

  it("creates, edits and deletes a task in the database, flashing each change exactly once", async () => {
    const client = await signedUp(await demoApp())
    let token = csrfOf(await page(client, "/tasks/new"))
    const created = await client.form("/tasks", {
      _csrf: token,
      title: "Buy <milk>",
      priority: "4",
      notes: "",
    })
    expect(created.status).toBe(303)
    expect(created.headers.get("location")).toBe("/tasks")

    let list = await page(client, "/tasks")
    expect(flashes(list)).toEqual(["success: Created “Buy &lt;milk&gt;”."])
    expect(list).toContain("<td>Buy &lt;milk&gt;</td>")
    expect(list).toContain('<a href="/tasks/1/edit">Edit</a>')
    expect(flashes(await page(client, "/tasks"))).toEqual([])

    const edit = await page(client, "/tasks/1/edit")
    expect(edit).toContain('<form method="post" action="/tasks/1" novalidate>')
    expect(edit).toContain(
      '<input id="title" name="title" value="Buy &lt;milk&gt;" maxlength="200">',
    )
    expect(edit).toContain('<input id="done" name="done" type="checkbox"> Done')
    token = csrfOf(edit)
    const saved = await client.form("/tasks/1", {
      _csrf: token,
      title: "Buy oat milk",
      priority: "2",
      done: "on",
    })
    expect(saved.status).toBe(303)
    list = await page(client, "/tasks")
    expect(flashes(list)).toEqual(["success: Saved “Buy oat milk”."])
    expect(list).toMatch(/<td>Buy oat milk<\/td>\s*<td>2<\/td>\s*<td>done<\/td>/)

    const deleted = await client.form("/tasks/1/delete", { _csrf: csrfOf(list) })
    expect(deleted.status).toBe(303)
    list = await page(client, "/tasks")
    expect(flashes(list)).toEqual(["info: Deleted “Buy oat milk”."])
    expect(list).toContain("No tasks yet.")
  })

  it("sends a visitor who is not signed in to the login page, and back after", async () => {
    const page = await createClient(await demoApp()).get("/tasks", {
      headers: { accept: "text/html" },
    })
    expect([page.status, page.headers.get("location")]).toEqual([
      303,
      "/accounts/login?next=%2Ftasks",
    ])
  })

  it("shows each user only their own tasks, and 404 for another user's", async () => {
    const app = await demoApp()
    const ann = await signedUp(app, "ann@example.com")
    const bob = await signedUp(app, "bob@example.com")
    await ann.form("/tasks", {
      _csrf: csrfOf(await page(ann, "/tasks/new")),
      title: "Ann's secret plan",
      priority: "3",
      notes: "",
    })
    expect(await page(ann, "/tasks")).toContain("Ann&#39;s secret plan")
    const bobs = await page(bob, "/tasks")
    expect(bobs).not.toContain("secret plan")
    expect(bobs).toContain("No tasks yet.")
    const theirs = await bob.get("/tasks/1/edit", { headers: { accept: "application/json" } })
    expect(theirs.status).toBe(404)
  })

  it("answers 404 for a task that does not exist", async () => {
    const res = await (await signedUp(await demoApp())).get("/tasks/99/edit", {
      headers: { accept: "application/json" },
    })
    expect(res.status).toBe(404)
    expect(((await res.json()) as { code: string }).code).toBe("DEMO_TASK_NOT_FOUND")
  })
})
