import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { memoryBackplane } from "../../src/realtime/index.js"
import { browserTestsEnabled, launchChromium } from "../support/browser.js"
import { chatApp } from "./fixtures/chat-app.js"

describe.skipIf(!browserTestsEnabled("realtime chat"))(
  "the chat page in Chromium, on two nodes",
  () => {
    let browser: Browser
    const backplane = memoryBackplane()
    const apps = [chatApp(backplane), chatApp(backplane)]
    const urls: string[] = []
    beforeAll(async () => {
      browser = await launchChromium()
      for (const app of apps)
        urls.push((await app.listen({ port: 0, signals: false, shutdownTimeout: 500 })).url)
    })
    afterAll(async () => {
      await browser?.close()
      for (const app of apps) await app.close()
      await backplane.close()
    })

    it("two browser contexts see each other's presence and messages, and a leave", async () => {
      const ada = await (await browser.newContext()).newPage()
      const bob = await (await browser.newContext()).newPage()
      await ada.goto(`${urls[0]}/?name=ada`)
      await ada.locator("#who li").first().waitFor()
      await bob.goto(`${urls[1]}/?name=bob`)
      await expect.poll(() => ada.locator("#who li").allTextContents()).toEqual(["ada", "bob"])
      await expect.poll(() => bob.locator("#who li").allTextContents()).toEqual(["ada", "bob"])
      await ada.fill("input[name=text]", "hello <b>bob</b>")
      await ada.click("button")
      await expect
        .poll(() => bob.locator("#log li").allTextContents())
        .toEqual(["ada: hello <b>bob</b>"])
      await expect
        .poll(() => ada.locator("#log li").allTextContents())
        .toEqual(["ada: hello <b>bob</b>"])
      expect(await bob.locator("#log b").count()).toBe(0)
      await bob.context().close()
      await expect.poll(() => ada.locator("#who li").allTextContents()).toEqual(["ada"])
      await ada.context().close()
    }, 30_000)
  },
)
