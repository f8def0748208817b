// Copies the non-TypeScript files the batteries read at runtime (templates, styles,
// data files) from src/ to dist/ after `tsc`, keeping their paths.
import { cpSync } from "node:fs"

const ASSET = /\.(liquid|css|svg|txt\.gz|json)$/
cpSync("src", "dist", {
  recursive: true,
  filter: (path) => !path.includes(".test.") && (!/\.\w+$/.test(path) || ASSET.test(path)),
})
