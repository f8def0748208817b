// Copies the non-TypeScript files the batteries read at runtime (templates, styles,
// scripts for pages, data files) from src/ to dist/ (or $ASSETS_OUT) after `tsc`,
// keeping their paths.
import { cpSync } from "node:fs"

const ASSET = /\.(liquid|css|svg|txt\.gz|json|js)$/
cpSync("src", process.env.ASSETS_OUT ?? "dist", {
  recursive: true,
  filter: (path) =>
    !path.includes(".test.") && !path.endsWith(".ts") && (!/\.\w+$/.test(path) || ASSET.test(path)),
})
